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
    notice_id: str,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/notices/{notice_id}".format(notice_id=quote(str(notice_id), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Notice | Problem | None:
    if response.status_code == 200:
        response_200 = Notice.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Notice | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    notice_id: str,
    *,
    client: AuthenticatedClient,

) -> Response[Notice | Problem]:
    """ Get Notice

     One notice: what will be paid, when, and (once paid) its application's status.

    Args:
        notice_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Notice | Problem]
     """


    kwargs = _get_kwargs(
        notice_id=notice_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    notice_id: str,
    *,
    client: AuthenticatedClient,

) -> Notice | Problem | None:
    """ Get Notice

     One notice: what will be paid, when, and (once paid) its application's status.

    Args:
        notice_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Notice | Problem
     """


    return sync_detailed(
        notice_id=notice_id,
client=client,

    ).parsed

async def asyncio_detailed(
    notice_id: str,
    *,
    client: AuthenticatedClient,

) -> Response[Notice | Problem]:
    """ Get Notice

     One notice: what will be paid, when, and (once paid) its application's status.

    Args:
        notice_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Notice | Problem]
     """


    kwargs = _get_kwargs(
        notice_id=notice_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    notice_id: str,
    *,
    client: AuthenticatedClient,

) -> Notice | Problem | None:
    """ Get Notice

     One notice: what will be paid, when, and (once paid) its application's status.

    Args:
        notice_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Notice | Problem
     """


    return (await asyncio_detailed(
        notice_id=notice_id,
client=client,

    )).parsed
