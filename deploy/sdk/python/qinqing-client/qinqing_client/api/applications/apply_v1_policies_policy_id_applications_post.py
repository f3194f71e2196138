from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.application_view import ApplicationView
from ...models.apply_request import ApplyRequest
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    policy_id: str,
    *,
    body: ApplyRequest,
    idempotency_key: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["idempotency-key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/policies/{policy_id}/applications".format(policy_id=quote(str(policy_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ApplicationView | Problem | None:
    if response.status_code == 200:
        response_200 = ApplicationView.from_dict(response.json())



        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())



        return response_400

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ApplicationView | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    policy_id: str,
    *,
    client: AuthenticatedClient,
    body: ApplyRequest,
    idempotency_key: None | str | Unset = UNSET,

) -> Response[ApplicationView | Problem]:
    """ Apply

     Ask for a subsidy: identity, eligibility, credit and payout in one call.

    An enterprise asks for itself; an app for an enterprise that granted it access.
    Send an ``Idempotency-Key``: the same key and body answer the same, and pay once.
    Keys are kept per client (the token's ``client_id``) for 24 hours.

    Args:
        policy_id (str):
        idempotency_key (None | str | Unset):
        body (ApplyRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApplicationView | Problem]
     """


    kwargs = _get_kwargs(
        policy_id=policy_id,
body=body,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    policy_id: str,
    *,
    client: AuthenticatedClient,
    body: ApplyRequest,
    idempotency_key: None | str | Unset = UNSET,

) -> ApplicationView | Problem | None:
    """ Apply

     Ask for a subsidy: identity, eligibility, credit and payout in one call.

    An enterprise asks for itself; an app for an enterprise that granted it access.
    Send an ``Idempotency-Key``: the same key and body answer the same, and pay once.
    Keys are kept per client (the token's ``client_id``) for 24 hours.

    Args:
        policy_id (str):
        idempotency_key (None | str | Unset):
        body (ApplyRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApplicationView | Problem
     """


    return sync_detailed(
        policy_id=policy_id,
client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    policy_id: str,
    *,
    client: AuthenticatedClient,
    body: ApplyRequest,
    idempotency_key: None | str | Unset = UNSET,

) -> Response[ApplicationView | Problem]:
    """ Apply

     Ask for a subsidy: identity, eligibility, credit and payout in one call.

    An enterprise asks for itself; an app for an enterprise that granted it access.
    Send an ``Idempotency-Key``: the same key and body answer the same, and pay once.
    Keys are kept per client (the token's ``client_id``) for 24 hours.

    Args:
        policy_id (str):
        idempotency_key (None | str | Unset):
        body (ApplyRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApplicationView | Problem]
     """


    kwargs = _get_kwargs(
        policy_id=policy_id,
body=body,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    policy_id: str,
    *,
    client: AuthenticatedClient,
    body: ApplyRequest,
    idempotency_key: None | str | Unset = UNSET,

) -> ApplicationView | Problem | None:
    """ Apply

     Ask for a subsidy: identity, eligibility, credit and payout in one call.

    An enterprise asks for itself; an app for an enterprise that granted it access.
    Send an ``Idempotency-Key``: the same key and body answer the same, and pay once.
    Keys are kept per client (the token's ``client_id``) for 24 hours.

    Args:
        policy_id (str):
        idempotency_key (None | str | Unset):
        body (ApplyRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApplicationView | Problem
     """


    return (await asyncio_detailed(
        policy_id=policy_id,
client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
