from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.commitment import Commitment
from ...models.commitment_in import CommitmentIn
from ...models.problem import Problem
from typing import cast



def _get_kwargs(
    *,
    body: CommitmentIn,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/commitments",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Commitment | Problem | None:
    if response.status_code == 200:
        response_200 = Commitment.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Commitment | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CommitmentIn,

) -> Response[Commitment | Problem]:
    """ Make Commitment

     Commit for a fact no department has sent yet (信用承诺): "this employee owns no
    home in the city". With a valid commitment the next application is paid at once; the
    platform verifies it when the department's data comes, and what was paid on a
    broken one is clawed back. Only for a clause the policy opens to commitments; not
    for an enterprise under joint punishment or that broke one (409
    ``commitment-refused``). Asking again for the same clause and employee answers the
    commitment that stands.

    Args:
        body (CommitmentIn): An enterprise declares what a department's data does not tell yet
            (信用承诺): for
            a policy's clause, about one employee; or for a service item's condition, about the
            enterprise itself (告知承诺制: the item is then granted at once on it).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Commitment | Problem]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    body: CommitmentIn,

) -> Commitment | Problem | None:
    """ Make Commitment

     Commit for a fact no department has sent yet (信用承诺): "this employee owns no
    home in the city". With a valid commitment the next application is paid at once; the
    platform verifies it when the department's data comes, and what was paid on a
    broken one is clawed back. Only for a clause the policy opens to commitments; not
    for an enterprise under joint punishment or that broke one (409
    ``commitment-refused``). Asking again for the same clause and employee answers the
    commitment that stands.

    Args:
        body (CommitmentIn): An enterprise declares what a department's data does not tell yet
            (信用承诺): for
            a policy's clause, about one employee; or for a service item's condition, about the
            enterprise itself (告知承诺制: the item is then granted at once on it).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Commitment | Problem
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CommitmentIn,

) -> Response[Commitment | Problem]:
    """ Make Commitment

     Commit for a fact no department has sent yet (信用承诺): "this employee owns no
    home in the city". With a valid commitment the next application is paid at once; the
    platform verifies it when the department's data comes, and what was paid on a
    broken one is clawed back. Only for a clause the policy opens to commitments; not
    for an enterprise under joint punishment or that broke one (409
    ``commitment-refused``). Asking again for the same clause and employee answers the
    commitment that stands.

    Args:
        body (CommitmentIn): An enterprise declares what a department's data does not tell yet
            (信用承诺): for
            a policy's clause, about one employee; or for a service item's condition, about the
            enterprise itself (告知承诺制: the item is then granted at once on it).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Commitment | Problem]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CommitmentIn,

) -> Commitment | Problem | None:
    """ Make Commitment

     Commit for a fact no department has sent yet (信用承诺): "this employee owns no
    home in the city". With a valid commitment the next application is paid at once; the
    platform verifies it when the department's data comes, and what was paid on a
    broken one is clawed back. Only for a clause the policy opens to commitments; not
    for an enterprise under joint punishment or that broke one (409
    ``commitment-refused``). Asking again for the same clause and employee answers the
    commitment that stands.

    Args:
        body (CommitmentIn): An enterprise declares what a department's data does not tell yet
            (信用承诺): for
            a policy's clause, about one employee; or for a service item's condition, about the
            enterprise itself (告知承诺制: the item is then granted at once on it).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Commitment | Problem
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed
