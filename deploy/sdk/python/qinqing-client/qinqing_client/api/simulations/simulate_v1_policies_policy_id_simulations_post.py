from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.simulate_request import SimulateRequest
from ...models.simulation import Simulation
from typing import cast



def _get_kwargs(
    policy_id: str,
    *,
    body: SimulateRequest,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/policies/{policy_id}/simulations".format(policy_id=quote(str(policy_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Simulation | None:
    if response.status_code == 200:
        response_200 = Simulation.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Simulation]:
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
    body: SimulateRequest,

) -> Response[Problem | Simulation]:
    """ Simulate

     What the policy would decide and pay, with its trace, without applying or paying.

    For a real enterprise (``uscc``): the enterprise itself, an app it granted access,
    or an operator; its employees' claims this year count, and the read is audited.
    For made-up facts (``enterprise``): anyone with a token; they are kept nowhere. A
    department previews its own draft (``draft``) on made-up facts before publishing.

    Args:
        policy_id (str):
        body (SimulateRequest): A real enterprise (by USCC, one that granted the caller access) or
            made-up facts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Simulation]
     """


    kwargs = _get_kwargs(
        policy_id=policy_id,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    policy_id: str,
    *,
    client: AuthenticatedClient,
    body: SimulateRequest,

) -> Problem | Simulation | None:
    """ Simulate

     What the policy would decide and pay, with its trace, without applying or paying.

    For a real enterprise (``uscc``): the enterprise itself, an app it granted access,
    or an operator; its employees' claims this year count, and the read is audited.
    For made-up facts (``enterprise``): anyone with a token; they are kept nowhere. A
    department previews its own draft (``draft``) on made-up facts before publishing.

    Args:
        policy_id (str):
        body (SimulateRequest): A real enterprise (by USCC, one that granted the caller access) or
            made-up facts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Simulation
     """


    return sync_detailed(
        policy_id=policy_id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    policy_id: str,
    *,
    client: AuthenticatedClient,
    body: SimulateRequest,

) -> Response[Problem | Simulation]:
    """ Simulate

     What the policy would decide and pay, with its trace, without applying or paying.

    For a real enterprise (``uscc``): the enterprise itself, an app it granted access,
    or an operator; its employees' claims this year count, and the read is audited.
    For made-up facts (``enterprise``): anyone with a token; they are kept nowhere. A
    department previews its own draft (``draft``) on made-up facts before publishing.

    Args:
        policy_id (str):
        body (SimulateRequest): A real enterprise (by USCC, one that granted the caller access) or
            made-up facts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Simulation]
     """


    kwargs = _get_kwargs(
        policy_id=policy_id,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    policy_id: str,
    *,
    client: AuthenticatedClient,
    body: SimulateRequest,

) -> Problem | Simulation | None:
    """ Simulate

     What the policy would decide and pay, with its trace, without applying or paying.

    For a real enterprise (``uscc``): the enterprise itself, an app it granted access,
    or an operator; its employees' claims this year count, and the read is audited.
    For made-up facts (``enterprise``): anyone with a token; they are kept nowhere. A
    department previews its own draft (``draft``) on made-up facts before publishing.

    Args:
        policy_id (str):
        body (SimulateRequest): A real enterprise (by USCC, one that granted the caller access) or
            made-up facts.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Simulation
     """


    return (await asyncio_detailed(
        policy_id=policy_id,
client=client,
body=body,

    )).parsed
