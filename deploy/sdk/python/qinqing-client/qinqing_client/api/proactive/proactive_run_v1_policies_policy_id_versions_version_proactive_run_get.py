from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.proactive_run import ProactiveRun
from ...models.problem import Problem
from typing import cast



def _get_kwargs(
    policy_id: str,
    version: int,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/policies/{policy_id}/versions/{version}/proactive-run".format(policy_id=quote(str(policy_id), safe=""),version=quote(str(version), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ProactiveRun | Problem | None:
    if response.status_code == 200:
        response_200 = ProactiveRun.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ProactiveRun | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    policy_id: str,
    version: int,
    *,
    client: AuthenticatedClient,

) -> Response[ProactiveRun | Problem]:
    """ Proactive Run

     How far a proactive policy version's run has come: enterprises evaluated, notices
    by status, their applications by status. The policy's department and operators.

    Args:
        policy_id (str):
        version (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProactiveRun | Problem]
     """


    kwargs = _get_kwargs(
        policy_id=policy_id,
version=version,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    policy_id: str,
    version: int,
    *,
    client: AuthenticatedClient,

) -> ProactiveRun | Problem | None:
    """ Proactive Run

     How far a proactive policy version's run has come: enterprises evaluated, notices
    by status, their applications by status. The policy's department and operators.

    Args:
        policy_id (str):
        version (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProactiveRun | Problem
     """


    return sync_detailed(
        policy_id=policy_id,
version=version,
client=client,

    ).parsed

async def asyncio_detailed(
    policy_id: str,
    version: int,
    *,
    client: AuthenticatedClient,

) -> Response[ProactiveRun | Problem]:
    """ Proactive Run

     How far a proactive policy version's run has come: enterprises evaluated, notices
    by status, their applications by status. The policy's department and operators.

    Args:
        policy_id (str):
        version (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProactiveRun | Problem]
     """


    kwargs = _get_kwargs(
        policy_id=policy_id,
version=version,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    policy_id: str,
    version: int,
    *,
    client: AuthenticatedClient,

) -> ProactiveRun | Problem | None:
    """ Proactive Run

     How far a proactive policy version's run has come: enterprises evaluated, notices
    by status, their applications by status. The policy's department and operators.

    Args:
        policy_id (str):
        version (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProactiveRun | Problem
     """


    return (await asyncio_detailed(
        policy_id=policy_id,
version=version,
client=client,

    )).parsed
