from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.event_schema_events_schemas_subject_json_get_response_event_schema_events_schemas_subject_json_get import EventSchemaEventsSchemasSubjectJsonGetResponseEventSchemaEventsSchemasSubjectJsonGet
from ...models.problem import Problem
from typing import cast



def _get_kwargs(
    subject: str,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/events/schemas/{subject}.json".format(subject=quote(str(subject), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> EventSchemaEventsSchemasSubjectJsonGetResponseEventSchemaEventsSchemasSubjectJsonGet | Problem | None:
    if response.status_code == 200:
        response_200 = EventSchemaEventsSchemasSubjectJsonGetResponseEventSchemaEventsSchemasSubjectJsonGet.from_dict(response.json())



        return response_200

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[EventSchemaEventsSchemasSubjectJsonGetResponseEventSchemaEventsSchemasSubjectJsonGet | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    subject: str,
    *,
    client: AuthenticatedClient | Client,

) -> Response[EventSchemaEventsSchemasSubjectJsonGetResponseEventSchemaEventsSchemasSubjectJsonGet | Problem]:
    """ Event Schema

     The JSON Schema (draft 2020-12) of one event type's data (public), as in
    docs/events/schemas/.

    Args:
        subject (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventSchemaEventsSchemasSubjectJsonGetResponseEventSchemaEventsSchemasSubjectJsonGet | Problem]
     """


    kwargs = _get_kwargs(
        subject=subject,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    subject: str,
    *,
    client: AuthenticatedClient | Client,

) -> EventSchemaEventsSchemasSubjectJsonGetResponseEventSchemaEventsSchemasSubjectJsonGet | Problem | None:
    """ Event Schema

     The JSON Schema (draft 2020-12) of one event type's data (public), as in
    docs/events/schemas/.

    Args:
        subject (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventSchemaEventsSchemasSubjectJsonGetResponseEventSchemaEventsSchemasSubjectJsonGet | Problem
     """


    return sync_detailed(
        subject=subject,
client=client,

    ).parsed

async def asyncio_detailed(
    subject: str,
    *,
    client: AuthenticatedClient | Client,

) -> Response[EventSchemaEventsSchemasSubjectJsonGetResponseEventSchemaEventsSchemasSubjectJsonGet | Problem]:
    """ Event Schema

     The JSON Schema (draft 2020-12) of one event type's data (public), as in
    docs/events/schemas/.

    Args:
        subject (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventSchemaEventsSchemasSubjectJsonGetResponseEventSchemaEventsSchemasSubjectJsonGet | Problem]
     """


    kwargs = _get_kwargs(
        subject=subject,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    subject: str,
    *,
    client: AuthenticatedClient | Client,

) -> EventSchemaEventsSchemasSubjectJsonGetResponseEventSchemaEventsSchemasSubjectJsonGet | Problem | None:
    """ Event Schema

     The JSON Schema (draft 2020-12) of one event type's data (public), as in
    docs/events/schemas/.

    Args:
        subject (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventSchemaEventsSchemasSubjectJsonGetResponseEventSchemaEventsSchemasSubjectJsonGet | Problem
     """


    return (await asyncio_detailed(
        subject=subject,
client=client,

    )).parsed
