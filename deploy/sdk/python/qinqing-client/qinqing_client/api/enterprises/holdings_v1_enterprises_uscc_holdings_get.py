from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.holdings import Holdings
from ...models.problem import Problem
from typing import cast



def _get_kwargs(
    uscc: str,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/enterprises/{uscc}/holdings".format(uscc=quote(str(uscc), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Holdings | Problem | None:
    if response.status_code == 200:
        response_200 = Holdings.from_dict(response.json())



        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())



        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())



        return response_404

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())



        return response_429

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())



        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Holdings | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    uscc: str,
    *,
    client: AuthenticatedClient,

) -> Response[Holdings | Problem]:
    """ Holdings

     What the platform holds about the enterprise and its employees, each fact with
    the department and record it came from (none: no department has sent it). The
    enterprise itself and operators; the read is in its records of use.

    Args:
        uscc (str): Unified Social Credit Code (GB 32100-2015)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Holdings | Problem]
     """


    kwargs = _get_kwargs(
        uscc=uscc,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    uscc: str,
    *,
    client: AuthenticatedClient,

) -> Holdings | Problem | None:
    """ Holdings

     What the platform holds about the enterprise and its employees, each fact with
    the department and record it came from (none: no department has sent it). The
    enterprise itself and operators; the read is in its records of use.

    Args:
        uscc (str): Unified Social Credit Code (GB 32100-2015)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Holdings | Problem
     """


    return sync_detailed(
        uscc=uscc,
client=client,

    ).parsed

async def asyncio_detailed(
    uscc: str,
    *,
    client: AuthenticatedClient,

) -> Response[Holdings | Problem]:
    """ Holdings

     What the platform holds about the enterprise and its employees, each fact with
    the department and record it came from (none: no department has sent it). The
    enterprise itself and operators; the read is in its records of use.

    Args:
        uscc (str): Unified Social Credit Code (GB 32100-2015)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Holdings | Problem]
     """


    kwargs = _get_kwargs(
        uscc=uscc,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    uscc: str,
    *,
    client: AuthenticatedClient,

) -> Holdings | Problem | None:
    """ Holdings

     What the platform holds about the enterprise and its employees, each fact with
    the department and record it came from (none: no department has sent it). The
    enterprise itself and operators; the read is in its records of use.

    Args:
        uscc (str): Unified Social Credit Code (GB 32100-2015)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Holdings | Problem
     """


    return (await asyncio_detailed(
        uscc=uscc,
client=client,

    )).parsed
