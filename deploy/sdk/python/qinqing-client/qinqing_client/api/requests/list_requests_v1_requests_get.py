from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.request_status import RequestStatus
from ...models.request_summary import RequestSummary
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    uscc: None | str | Unset = UNSET,
    status: None | RequestStatus | Unset = UNSET,
    escalated: bool | None | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_uscc: None | str | Unset
    if isinstance(uscc, Unset):
        json_uscc = UNSET
    else:
        json_uscc = uscc
    params["uscc"] = json_uscc

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, RequestStatus):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_escalated: bool | None | Unset
    if isinstance(escalated, Unset):
        json_escalated = UNSET
    else:
        json_escalated = escalated
    params["escalated"] = json_escalated


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/requests",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | list[RequestSummary] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in (_response_200):
            response_200_item = RequestSummary.from_dict(response_200_item_data)



            response_200.append(response_200_item)

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())



        return response_403

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | list[RequestSummary]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    uscc: None | str | Unset = UNSET,
    status: None | RequestStatus | Unset = UNSET,
    escalated: bool | None | Unset = UNSET,

) -> Response[Problem | list[RequestSummary]]:
    """ List Requests

     The latest 100 requests the caller may see, newest first, without their text: an
    enterprise its own, an app those it submitted (``uscc`` to narrow), the oversight
    desk and operators any.

    Args:
        uscc (None | str | Unset):
        status (None | RequestStatus | Unset):
        escalated (bool | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[RequestSummary]]
     """


    kwargs = _get_kwargs(
        uscc=uscc,
status=status,
escalated=escalated,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    uscc: None | str | Unset = UNSET,
    status: None | RequestStatus | Unset = UNSET,
    escalated: bool | None | Unset = UNSET,

) -> Problem | list[RequestSummary] | None:
    """ List Requests

     The latest 100 requests the caller may see, newest first, without their text: an
    enterprise its own, an app those it submitted (``uscc`` to narrow), the oversight
    desk and operators any.

    Args:
        uscc (None | str | Unset):
        status (None | RequestStatus | Unset):
        escalated (bool | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[RequestSummary]
     """


    return sync_detailed(
        client=client,
uscc=uscc,
status=status,
escalated=escalated,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    uscc: None | str | Unset = UNSET,
    status: None | RequestStatus | Unset = UNSET,
    escalated: bool | None | Unset = UNSET,

) -> Response[Problem | list[RequestSummary]]:
    """ List Requests

     The latest 100 requests the caller may see, newest first, without their text: an
    enterprise its own, an app those it submitted (``uscc`` to narrow), the oversight
    desk and operators any.

    Args:
        uscc (None | str | Unset):
        status (None | RequestStatus | Unset):
        escalated (bool | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[RequestSummary]]
     """


    kwargs = _get_kwargs(
        uscc=uscc,
status=status,
escalated=escalated,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    uscc: None | str | Unset = UNSET,
    status: None | RequestStatus | Unset = UNSET,
    escalated: bool | None | Unset = UNSET,

) -> Problem | list[RequestSummary] | None:
    """ List Requests

     The latest 100 requests the caller may see, newest first, without their text: an
    enterprise its own, an app those it submitted (``uscc`` to narrow), the oversight
    desk and operators any.

    Args:
        uscc (None | str | Unset):
        status (None | RequestStatus | Unset):
        escalated (bool | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[RequestSummary]
     """


    return (await asyncio_detailed(
        client=client,
uscc=uscc,
status=status,
escalated=escalated,

    )).parsed
