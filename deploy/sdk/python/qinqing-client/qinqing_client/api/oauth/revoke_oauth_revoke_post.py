from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.revoke_oauth_revoke_post_response_400 import RevokeOauthRevokePostResponse400
from ...models.revoke_oauth_revoke_post_response_401 import RevokeOauthRevokePostResponse401
from typing import cast



def _get_kwargs(
    
) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/oauth/revoke",
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem | RevokeOauthRevokePostResponse400 | RevokeOauthRevokePostResponse401 | None:
    if response.status_code == 200:
        response_200 = response.json()
        return response_200

    if response.status_code == 400:
        response_400 = RevokeOauthRevokePostResponse400.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = RevokeOauthRevokePostResponse401.from_dict(response.json())



        return response_401

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Problem | RevokeOauthRevokePostResponse400 | RevokeOauthRevokePostResponse401]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,

) -> Response[Any | Problem | RevokeOauthRevokePostResponse400 | RevokeOauthRevokePostResponse401]:
    """ Revoke

     Token revocation (RFC 7009): a client revokes its own access token.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | RevokeOauthRevokePostResponse400 | RevokeOauthRevokePostResponse401]
     """


    kwargs = _get_kwargs(
        
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,

) -> Any | Problem | RevokeOauthRevokePostResponse400 | RevokeOauthRevokePostResponse401 | None:
    """ Revoke

     Token revocation (RFC 7009): a client revokes its own access token.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | RevokeOauthRevokePostResponse400 | RevokeOauthRevokePostResponse401
     """


    return sync_detailed(
        client=client,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,

) -> Response[Any | Problem | RevokeOauthRevokePostResponse400 | RevokeOauthRevokePostResponse401]:
    """ Revoke

     Token revocation (RFC 7009): a client revokes its own access token.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | RevokeOauthRevokePostResponse400 | RevokeOauthRevokePostResponse401]
     """


    kwargs = _get_kwargs(
        
    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,

) -> Any | Problem | RevokeOauthRevokePostResponse400 | RevokeOauthRevokePostResponse401 | None:
    """ Revoke

     Token revocation (RFC 7009): a client revokes its own access token.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | RevokeOauthRevokePostResponse400 | RevokeOauthRevokePostResponse401
     """


    return (await asyncio_detailed(
        client=client,

    )).parsed
