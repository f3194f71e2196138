from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.notice import Notice
from ...models.problem import Problem
from typing import cast



def _get_kwargs(
    uscc: str,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/enterprises/{uscc}/notices".format(uscc=quote(str(uscc), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | list[Notice] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in (_response_200):
            response_200_item = Notice.from_dict(response_200_item_data)



            response_200.append(response_200_item)

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | list[Notice]]:
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

) -> Response[Problem | list[Notice]]:
    """ Notices Of

     What the enterprise will be, or was, paid without applying, newest first: the
    enterprise itself, an app it granted access, and operators.

    Args:
        uscc (str): Unified Social Credit Code (GB 32100-2015)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[Notice]]
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

) -> Problem | list[Notice] | None:
    """ Notices Of

     What the enterprise will be, or was, paid without applying, newest first: the
    enterprise itself, an app it granted access, and operators.

    Args:
        uscc (str): Unified Social Credit Code (GB 32100-2015)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[Notice]
     """


    return sync_detailed(
        uscc=uscc,
client=client,

    ).parsed

async def asyncio_detailed(
    uscc: str,
    *,
    client: AuthenticatedClient,

) -> Response[Problem | list[Notice]]:
    """ Notices Of

     What the enterprise will be, or was, paid without applying, newest first: the
    enterprise itself, an app it granted access, and operators.

    Args:
        uscc (str): Unified Social Credit Code (GB 32100-2015)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[Notice]]
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

) -> Problem | list[Notice] | None:
    """ Notices Of

     What the enterprise will be, or was, paid without applying, newest first: the
    enterprise itself, an app it granted access, and operators.

    Args:
        uscc (str): Unified Social Credit Code (GB 32100-2015)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[Notice]
     """


    return (await asyncio_detailed(
        uscc=uscc,
client=client,

    )).parsed
