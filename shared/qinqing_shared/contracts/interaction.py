"""Direct interaction (诉求直达): an enterprise's request, routed to the department that
owns it, answered on the record within a time limit (docs/interaction.md).

catalog-svc keeps the requests; the gateway files them for an enterprise (or an app it
granted) and reads them for it; departments answer at catalog-svc with their own token.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from qinqing_shared.contracts.subsidy import ItemDecision
from qinqing_shared.ids import Uscc

TopicCode = Field(max_length=40, pattern=r"^[a-z][a-z0-9-]*$")
Department = Field(max_length=20, pattern=r"^[A-Z]{2}-[A-Z0-9]{2,10}$")
# a request's id: the UUID the gateway gave it (one path segment, nothing else)
REQUEST_ID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
# free text is the enterprise's own words: it may hold personal data (docs/interaction.md)
Text = Field(min_length=1, max_length=4_000)
Reason = Field(min_length=5, max_length=1_000)


# a service item's answer: the department grants it or refuses it
Outcome = Literal["granted", "refused"]  # what a department answers for a service item
# what became of a service item: granted or refused, or revoked (granted on a credit
# commitment that was found broken: 告知承诺制)
RequestOutcome = Literal["granted", "refused", "revoked"]


class RequestStatus(StrEnum):
    OPEN = "open"  # routed to a department that has not taken it yet
    ACCEPTED = "accepted"  # the department has it in hand
    AWAITING_ENTERPRISE = "awaiting-enterprise"  # the department asked for clarification
    ANSWERED = "answered"
    CLOSED = "closed"


class Action(StrEnum):
    """Every step of a request's history, and the event each one publishes."""

    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    CLARIFICATION_REQUESTED = "clarification-requested"
    CLARIFIED = "clarified"
    TRANSFERRED = "transferred"
    ANSWERED = "answered"
    CLOSED = "closed"
    RATED = "rated"
    REOPENED = "reopened"
    ESCALATED = "escalated"
    REVOKED = "revoked"


def request_subject(action: Action) -> str:
    return f"qinqing.interaction.request.{action.value}.v1"


class Links(BaseModel):
    """What the request is about; the gateway checks each belongs to the enterprise."""

    model_config = ConfigDict(extra="forbid")

    application_id: str | None = Field(None, max_length=64)
    policy_id: str | None = Field(None, max_length=60, pattern=r"^[a-z0-9][a-z0-9-]*$")
    service_code: str | None = Field(None, max_length=40)


class RequestIn(BaseModel):
    """What an enterprise (or its app) submits at ``POST /v1/requests``."""

    model_config = ConfigDict(extra="forbid")

    uscc: Uscc
    topic: str = TopicCode
    title: str = Field(min_length=2, max_length=200)
    text: str = Text
    links: Links = Links()


class RequestFiling(RequestIn):
    """What the gateway files at catalog-svc: the request, who made it, and its id
    (derived from the caller's Idempotency-Key, so a retry files the same request)."""

    id: str = Field(pattern=REQUEST_ID)
    client_id: str = Field(max_length=100)
    actor: str = Field(max_length=100)
    # a complaint's application: its decision and trace as an app may read them (no
    # person's own facts), from the gateway that holds it
    application: dict[str, Any] | None = None
    # a service item decided at once: subsidy-svc's signed decision (docs/interaction.md)
    decision: ItemDecision | None = None


class Step(BaseModel):
    seq: int
    action: Action
    at: dt.datetime
    actor: str
    department: str  # who held the request when the step was taken
    to_department: str | None = None  # a transfer's receiver
    text: str | None = None  # an answer, a question, a reply, a reason
    rating: int | None = None
    outcome: RequestOutcome | None = None  # a service item's answer, or its revocation
    escalated_to: list[str] = []


class RequestView(BaseModel):
    id: str
    uscc: str
    client_id: str
    topic: str
    title: str
    text: str
    links: Links
    department: str  # who has it now
    department_name: str
    status: RequestStatus
    submitted_at: dt.datetime
    acknowledge_by: dt.datetime | None  # the holder's limit to take it (None: taken)
    answer_by: dt.datetime | None  # the limit to answer (None: answered, or waiting)
    escalated: bool
    late: bool  # a limit was missed (counted against the department that held it)
    rating: int | None
    outcome: RequestOutcome | None = None  # a service item's: granted, refused or revoked
    steps: list[Step]
    application: dict[str, Any] | None = None  # the linked application's decision
    # a service item decided at once from department data: the platform's decision,
    # its reasons and its trace (an undecided one went to the department)
    decision: ItemDecision | None = None


class RequestSummary(BaseModel):
    """A line of a list: no free text."""

    id: str
    uscc: str
    topic: str
    title: str
    department: str
    status: RequestStatus
    submitted_at: dt.datetime
    answer_by: dt.datetime | None
    escalated: bool
    late: bool
    outcome: RequestOutcome | None = None


class Answer(BaseModel):
    """A department's answer or question (``text``); a service item's answer grants
    or refuses it (``outcome``, required there and nowhere else)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Text
    outcome: Outcome | None = None


class Transfer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to_department: str = Department
    reason: str = Reason


class Reply(BaseModel):
    """The enterprise's reply to a question, or its reason to reopen."""

    model_config = ConfigDict(extra="forbid")

    text: str = Text


class Rating(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rating: int = Field(ge=1, le=5, description="1 (very poor) to 5 (very good)")
    comment: str | None = Field(None, max_length=1_000)


class RequestEvent(BaseModel):
    """A step of a request, as its event carries it: no free text (it may hold personal
    data), only who, what, when and the limits."""

    request_id: str
    uscc: str
    topic: str
    action: Action
    department: str = Field(description="the department that holds the request after it")
    from_department: str | None = Field(None, description="a transfer's sender")
    status: RequestStatus
    at: str = Field(description="ISO 8601 time")
    answer_by: str | None = None
    rating: int | None = None
    outcome: RequestOutcome | None = Field(
        None, description="a service item's answer, or its revocation"
    )
    escalated_to: list[str] = []


class TopicFigures(BaseModel):
    key: str  # a department's code, or a topic's
    requests: int
    answered: int
    answered_in_time: int
    share_answered_in_time: float | None  # of those answered
    escalated: int
    first_answer_hours_p50: float | None
    first_answer_hours_p90: float | None
    close_hours_p50: float | None
    close_hours_p90: float | None
    satisfaction: float | None  # mean rating, 1-5
    ratings: int


class InteractionFigures(BaseModel):
    all: TopicFigures
    by_department: list[TopicFigures]
    by_topic: list[TopicFigures]
