from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.dead_letter_out import DeadLetterOut
from ...models.problem import Problem
from ...models.replay import Replay
from typing import cast



def _get_kwargs(
    letter_id: str,
    *,
    body: Replay,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/dead-letters/{letter_id}/replay".format(letter_id=quote(str(letter_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> DeadLetterOut | Problem | None:
    if response.status_code == 200:
        response_200 = DeadLetterOut.from_dict(response.json())



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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())



        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())



        return response_413

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[DeadLetterOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    letter_id: str,
    *,
    client: AuthenticatedClient,
    body: Replay,

) -> Response[DeadLetterOut | Problem]:
    """ Replay

     Put it back in its queue (with a corrected payload if given); audited.

    Args:
        letter_id (str):
        body (Replay): Replay as it was, or with a corrected payload (the ``data`` of an event).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeadLetterOut | Problem]
     """


    kwargs = _get_kwargs(
        letter_id=letter_id,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    letter_id: str,
    *,
    client: AuthenticatedClient,
    body: Replay,

) -> DeadLetterOut | Problem | None:
    """ Replay

     Put it back in its queue (with a corrected payload if given); audited.

    Args:
        letter_id (str):
        body (Replay): Replay as it was, or with a corrected payload (the ``data`` of an event).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeadLetterOut | Problem
     """


    return sync_detailed(
        letter_id=letter_id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    letter_id: str,
    *,
    client: AuthenticatedClient,
    body: Replay,

) -> Response[DeadLetterOut | Problem]:
    """ Replay

     Put it back in its queue (with a corrected payload if given); audited.

    Args:
        letter_id (str):
        body (Replay): Replay as it was, or with a corrected payload (the ``data`` of an event).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeadLetterOut | Problem]
     """


    kwargs = _get_kwargs(
        letter_id=letter_id,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    letter_id: str,
    *,
    client: AuthenticatedClient,
    body: Replay,

) -> DeadLetterOut | Problem | None:
    """ Replay

     Put it back in its queue (with a corrected payload if given); audited.

    Args:
        letter_id (str):
        body (Replay): Replay as it was, or with a corrected payload (the ``data`` of an event).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeadLetterOut | Problem
     """


    return (await asyncio_detailed(
        letter_id=letter_id,
client=client,
body=body,

    )).parsed
