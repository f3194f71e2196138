"""Event subjects and the data each carries (no unmasked personal data).

``EVENTS`` is the registry: every event a service publishes, with its data model, its
publisher and the services that consume it. The outboxes refuse a subject that is not
in it, and the AsyncAPI document and the JSON Schemas (``qinqing_shared.asyncapi``,
docs/events/) are generated from it. A change that removes a field or makes one
required is a new version (``.v2``), published beside the old one while it is used.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from qinqing_shared.contracts.audit import DOMAINS, AuditRecord, audit_subject
from qinqing_shared.contracts.catalog import Policy, ServiceHandling
from qinqing_shared.contracts.ingest import DEPARTMENTS
from qinqing_shared.contracts.interaction import Action, RequestEvent, request_subject
from qinqing_shared.contracts.money import Currency, Fen

APPLICATION_SUBMITTED = "qinqing.subsidy.application.submitted.v1"
APPLICATION_APPROVED = "qinqing.subsidy.application.approved.v1"
APPLICATION_REJECTED = "qinqing.subsidy.application.rejected.v1"
CREDIT_CHECK_COMPLETED = "qinqing.credit.check.completed.v1"
CREDIT_RECORD_FILED = "qinqing.credit.record.filed.v1"
CREDIT_RECORD_LIFTED = "qinqing.credit.record.lifted.v1"
COMMITMENT_MADE = "qinqing.credit.commitment.made.v1"
COMMITMENT_KEPT = "qinqing.credit.commitment.kept.v1"
COMMITMENT_BROKEN = "qinqing.credit.commitment.broken.v1"
COMMITMENT_LAPSED = "qinqing.credit.commitment.lapsed.v1"
APPLICATION_CLAWED_BACK = "qinqing.subsidy.application.clawed-back.v1"
CLAWBACK_DEMANDED = "qinqing.payment.clawback.demanded.v1"
CLAWBACK_REPAID = "qinqing.payment.clawback.repaid.v1"
CLAWBACK_REOPENED = "qinqing.payment.clawback.reopened.v1"
REFUND_COMPLETED = "qinqing.payment.refund.completed.v1"
REFUND_FAILED = "qinqing.payment.refund.failed.v1"
PAYOUT_COMPLETED = "qinqing.payment.payout.completed.v1"
PAYOUT_FAILED = "qinqing.payment.payout.failed.v1"
PAYOUT_REVERSED = "qinqing.payment.payout.reversed.v1"
BUDGET_EXHAUSTED = "qinqing.payment.budget.exhausted.v1"
ENTERPRISE_REGISTERED = "qinqing.identity.enterprise.registered.v1"
FACTS_RECEIVED = "qinqing.identity.facts.received.v1"
PAYEE_ACCOUNT_CHANGED = "qinqing.identity.payee-account.changed.v1"
POLICY_PUBLISHED = "qinqing.catalog.policy.published.v1"
ITEM_HANDLING_SET = "qinqing.catalog.service-item.handling-set.v1"
NOTICE_ISSUED = "qinqing.subsidy.notice.issued.v1"
NOTICE_DECLINED = "qinqing.subsidy.notice.declined.v1"
NOTICE_FAILED = "qinqing.subsidy.notice.failed.v1"
PROACTIVE_RUN_PROGRESSED = "qinqing.subsidy.proactive-run.progressed.v1"


class NoticeEvent(BaseModel):
    """An enterprise told it will be paid without applying, or that declined it."""

    notice_id: str
    policy_id: str
    policy_version: int
    uscc: str
    amount_fen: Fen
    currency: Currency
    pay_after: dt.datetime


class NoticeFailed(NoticeEvent):
    """A notice whose payment could not start, and why: recorded, not retried."""

    reason: str


class ProactiveRunProgressed(BaseModel):
    """How far a proactive policy's run has come: after each batch of enterprises."""

    policy_id: str
    policy_version: int
    state: str
    evaluated: int
    eligible: int


class ApplicationSubmitted(BaseModel):
    application_id: str
    policy_id: str
    uscc: str


class ApplicationApproved(BaseModel):
    application_id: str
    policy_id: str
    policy_version: int
    uscc: str
    amount_fen: Fen
    currency: Currency
    beneficiaries: int


class ApplicationRejected(BaseModel):
    application_id: str
    policy_id: str
    uscc: str
    reasons: list[str]


class CreditCheckCompleted(BaseModel):
    check_id: str
    application_id: str
    uscc: str
    allowed: bool
    reasons: list[str]


class CreditRecordFiled(BaseModel):
    record_id: str = Field(description="<department>:<the department's record id>")
    uscc: str
    kind: str = Field(description="blacklist, redlist or violation")
    department: str
    valid_from: str = Field(description="ISO 8601 date")
    valid_to: str | None = Field(description="ISO 8601 date; none: until lifted")


class CreditRecordLifted(BaseModel):
    record_id: str
    uscc: str
    kind: str
    department: str
    lifted_on: str = Field(description="ISO 8601 date: in force no more from this day")


class CommitmentEvent(BaseModel):
    """A credit commitment made or verified (no personal data: the person stays in
    credit-svc)."""

    commitment_id: str
    uscc: str
    policy_id: str = Field(description="the policy committed to; empty for a service item's")
    clause: str
    department: str = Field(
        description="the policy's (or item's) department, the commitment's addressee"
    )
    outcome: Literal["open", "kept", "broken", "lapsed"]
    verify_by: str = Field(description="ISO 8601 date")
    service_code: str | None = Field(
        default=None, description="the service item committed to (告知承诺制); None: a policy's"
    )


class ApplicationClawedBack(BaseModel):
    """A paid application whose commitment was broken: its money is demanded back."""

    application_id: str
    policy_id: str
    uscc: str
    amount_fen: Fen
    currency: Currency
    commitment_id: str
    reason: str


class ClawbackDemanded(BaseModel):
    """The ledger books what the enterprise owes back; the repayment demand is sent."""

    clawback_id: str
    application_id: str
    payout_id: str
    policy_id: str
    uscc: str
    amount_fen: Fen
    currency: Currency
    reason: str


class ClawbackRepaid(BaseModel):
    """The bank reported the enterprise's repayment: the money is back in the budget."""

    clawback_id: str
    application_id: str
    policy_id: str
    uscc: str
    amount_fen: Fen
    currency: Currency
    transfer_id: str = Field(
        description="the bank's incoming transfer; `offset:<payout>:…` when the last part "
        "was set off against a payout, `return:<payout>` when the payout came back"
    )


class ClawbackReopened(BaseModel):
    """A payout that had set off part of a clawback came back from the bank: that part
    is owed again (the demand is open again)."""

    clawback_id: str
    application_id: str
    policy_id: str
    uscc: str
    amount_fen: Fen
    currency: Currency
    repaid_fen: Fen = Field(description="what stays repaid")
    payout_id: str = Field(description="the payout that came back")


class RefundSettled(BaseModel):
    """Money an enterprise repaid that was owed back to it (the payout it repaid came
    back from the bank), sent back through the bank: completed, or failed (refused, or
    returned later) and kept owed to the enterprise."""

    refund_id: str
    clawback_id: str
    application_id: str = Field(description="the clawed-back application")
    uscc: str
    amount_fen: Fen
    currency: Currency
    reason: str | None = None


class PayoutCompleted(BaseModel):
    payout_id: str
    application_id: str
    policy_id: str
    uscc: str
    amount_fen: Fen = Field(description="what the application was paid")
    currency: Currency
    bank_reference: str
    offset_fen: Fen = Field(
        0,
        description="the part set off against what the enterprise owed back (clawbacks); "
        "the bank paid amount_fen - offset_fen",
    )


class BudgetExhausted(BaseModel):
    policy_id: str
    remaining_fen: Fen
    requested_fen: Fen


class PayoutFailed(BaseModel):
    """A payout the bank refused; its reservation went back to the budget."""

    payout_id: str
    application_id: str
    policy_id: str
    uscc: str
    amount_fen: Fen
    currency: Currency
    reason: str


class PayoutReversed(PayoutFailed):
    """A completed payout whose money came back (a return or a clawback)."""


class EnterpriseRegistered(BaseModel):
    uscc: str
    name: str
    status: str
    district_code: str
    legal_representative: str = Field(description="masked ID number")
    employees: int


class IngestRefused(BaseModel):
    """A department's record sent on NATS that could not be taken (kept as a dead letter
    on identity-svc, replayable after correction)."""

    department: str
    kind: str = Field(description="the kind of fact, from the subject it was sent on")
    record_id: str | None = Field(description="the record's id, if it had a readable one")
    message_id: str = Field(description="the ce-id of the message sent")
    problem: str = Field(description="the problem type, as the REST API would answer it")
    detail: str
    dead_letter_id: str


def ingest_refused_subject(department: str) -> str:
    """Where a department hears that a record it sent on NATS was refused."""
    return f"qinqing.identity.ingest.{department}.refused.v1"


def credit_refused_subject(department: str) -> str:
    """Where a department hears that a credit record it sent on NATS was refused."""
    return f"qinqing.credit.ingest.{department}.refused.v1"


class FactsReceived(BaseModel):
    """A department's records of one kind were taken (no personal data: who, what kind,
    how many): what waits for such data may look again."""

    department: str
    kind: str = Field(description="the kind of fact (docs/data-exchange.md)")
    applied: int = Field(description="records that became current")
    received_at: str = Field(description="ISO 8601 time")
    enterprises: list[str] = Field(
        default_factory=list,
        description="the enterprises (USCCs) the records that became current concern: "
        "their own, or their employees' (what a proactive policy evaluates again)",
    )


class PayeeAccountChanged(BaseModel):
    uscc: str
    bank: str
    account_no_masked: str
    changed_by: str = Field(description="the client that changed it")
    changed_at: str = Field(description="ISO 8601 time")


# Each domain's stream has one owner, the service that publishes on it: its own domain,
# and catalog-svc the enterprises' requests to departments (direct interaction).
OWNERS = {domain: f"{domain}-svc" for domain in DOMAINS} | {"interaction": "catalog-svc"}


@dataclass(frozen=True)
class EventType:
    subject: str
    data: type[BaseModel]
    publisher: str
    summary: str
    consumers: tuple[str, ...] = ()


def _audit(domain: str) -> EventType:
    consumers = ("identity-svc",)  # it appends every record to the one chain
    summary = f"An accountable act in {domain}: a read of personal data, a write, money."
    return EventType(audit_subject(domain), AuditRecord, f"{domain}-svc", summary, consumers)


# the gateway delivers these to the webhooks registered for them (qinqing_gateway.webhooks)
WEBHOOKS = ("gateway",)

_ALL = [
    EventType(
        ENTERPRISE_REGISTERED,
        EnterpriseRegistered,
        "identity-svc",
        "Market regulation registered or replaced an enterprise.",
        ("catalog-svc",),  # its district, for the live figures by district
    ),
    EventType(
        FACTS_RECEIVED,
        FactsReceived,
        "identity-svc",
        "A department's records of one kind became current (a call, a batch or a message).",
        ("gateway",),
    ),
    EventType(
        PAYEE_ACCOUNT_CHANGED,
        PayeeAccountChanged,
        "identity-svc",
        "An enterprise's payee account changed, verified by its bank.",
    ),
    *[
        EventType(
            ingest_refused_subject(department),
            IngestRefused,
            "identity-svc",
            f"A record {department} sent on NATS was refused; it waits as a dead letter.",
        )
        for department in DEPARTMENTS
    ],
    *[
        EventType(
            credit_refused_subject(department),
            IngestRefused,
            "credit-svc",
            f"A credit record {department} sent on NATS was refused; it waits as a dead letter.",
        )
        for department in DEPARTMENTS
    ],
    EventType(
        POLICY_PUBLISHED,
        Policy,
        "catalog-svc",
        "A department published a policy version (its budget is opened or topped up).",
        ("payment-svc", "gateway"),  # the gateway starts a proactive policy's run
    ),
    EventType(
        ITEM_HANDLING_SET,
        ServiceHandling,
        "catalog-svc",
        "A department set how one of its service items is handled from now on: routed "
        "to it, or decided at once from department data on the conditions given.",
    ),
    EventType(
        NOTICE_ISSUED,
        NoticeEvent,
        "subsidy-svc",
        "An enterprise qualifies for a proactive policy: it is paid after the notice "
        "period, without applying, unless it declines first.",
    ),
    EventType(
        NOTICE_DECLINED,
        NoticeEvent,
        "subsidy-svc",
        "An enterprise declined a proactive payment before the money moved.",
    ),
    EventType(
        NOTICE_FAILED,
        NoticeFailed,
        "subsidy-svc",
        "A proactive payment could not start (e.g. the enterprise is no longer "
        "registered): the notice records why, and it is not tried again.",
    ),
    EventType(
        PROACTIVE_RUN_PROGRESSED,
        ProactiveRunProgressed,
        "subsidy-svc",
        "A proactive policy's run evaluated another batch of enterprises, or finished.",
    ),
    EventType(
        CREDIT_RECORD_FILED,
        CreditRecordFiled,
        "credit-svc",
        "A department filed a credit record: black list, red list or violation.",
        WEBHOOKS,
    ),
    EventType(
        CREDIT_RECORD_LIFTED,
        CreditRecordLifted,
        "credit-svc",
        "A credit record was lifted by credit repair (it stays in the history).",
        WEBHOOKS,
    ),
    EventType(
        COMMITMENT_MADE,
        CommitmentEvent,
        "credit-svc",
        "An enterprise made a credit commitment to a policy's department.",
        WEBHOOKS,
    ),
    EventType(
        COMMITMENT_KEPT,
        CommitmentEvent,
        "credit-svc",
        "The department's data confirmed a credit commitment: it is closed.",
        WEBHOOKS,
    ),
    EventType(
        COMMITMENT_BROKEN,
        CommitmentEvent,
        "credit-svc",
        "The department's data contradicted a credit commitment: what it paid is clawed "
        "back, a service item granted on it is revoked, and a violation is filed.",
        ("subsidy-svc", "catalog-svc", *WEBHOOKS),
    ),
    EventType(
        COMMITMENT_LAPSED,
        CommitmentEvent,
        "credit-svc",
        "No department's data came before a commitment's verification date: it is closed "
        "unverified (no data is no negative).",
        WEBHOOKS,
    ),
    EventType(
        APPLICATION_CLAWED_BACK,
        ApplicationClawedBack,
        "subsidy-svc",
        "A paid application relied on a broken commitment: its money is clawed back.",
        ("payment-svc", *WEBHOOKS),
    ),
    EventType(
        CLAWBACK_DEMANDED,
        ClawbackDemanded,
        "payment-svc",
        "The ledger booked a receivable from the enterprise and a repayment demand went out.",
        ("catalog-svc", *WEBHOOKS),
    ),
    EventType(
        CLAWBACK_REPAID,
        ClawbackRepaid,
        "payment-svc",
        "The bank reported the repayment of a clawback: the money is back in the budget.",
        WEBHOOKS,
    ),
    EventType(
        CLAWBACK_REOPENED,
        ClawbackReopened,
        "payment-svc",
        "A payout that set off part of a clawback came back from the bank: that part is "
        "owed again.",
        WEBHOOKS,
    ),
    EventType(
        REFUND_COMPLETED,
        RefundSettled,
        "payment-svc",
        "Money an enterprise repaid, owed back to it, was paid back through the bank.",
        WEBHOOKS,
    ),
    EventType(
        REFUND_FAILED,
        RefundSettled,
        "payment-svc",
        "The bank refused or returned a refund: the money stays owed to the enterprise.",
        WEBHOOKS,
    ),
    EventType(
        APPLICATION_SUBMITTED,
        ApplicationSubmitted,
        "subsidy-svc",
        "An application was evaluated against its policy.",
        WEBHOOKS,
    ),
    EventType(
        APPLICATION_APPROVED,
        ApplicationApproved,
        "subsidy-svc",
        "An application is eligible and its credit allows it: a payout order is signed.",
        WEBHOOKS,
    ),
    EventType(
        APPLICATION_REJECTED,
        ApplicationRejected,
        "subsidy-svc",
        "An application was rejected, with its reasons (no personal values).",
        WEBHOOKS,
    ),
    EventType(
        CREDIT_CHECK_COMPLETED,
        CreditCheckCompleted,
        "credit-svc",
        "An enterprise's public credit was checked for an application, or for a service "
        "item decided at once (`application_id` is then the request's id).",
        WEBHOOKS,
    ),
    EventType(
        PAYOUT_COMPLETED,
        PayoutCompleted,
        "payment-svc",
        "The bank paid an application's payout.",
        ("catalog-svc", "subsidy-svc", *WEBHOOKS),
    ),
    EventType(
        PAYOUT_FAILED,
        PayoutFailed,
        "payment-svc",
        "The bank refused a payout; its reservation went back to the budget.",
        WEBHOOKS,
    ),
    EventType(
        PAYOUT_REVERSED,
        PayoutReversed,
        "payment-svc",
        "A completed payout's money came back (a return or a clawback).",
        ("catalog-svc", "subsidy-svc", *WEBHOOKS),
    ),
    EventType(
        BUDGET_EXHAUSTED,
        BudgetExhausted,
        "payment-svc",
        "A policy's budget could not cover a payout, the first time.",
        WEBHOOKS,
    ),
    *[
        EventType(request_subject(action), RequestEvent, "catalog-svc", summary)
        for action, summary in (
            (Action.SUBMITTED, "An enterprise submitted a request; it is routed to a department."),
            (Action.ACCEPTED, "The department holding a request took it in hand."),
            (Action.CLARIFICATION_REQUESTED, "The department asked the enterprise to clarify."),
            (Action.CLARIFIED, "The enterprise answered the department's question."),
            (Action.TRANSFERRED, "A department passed a request to another, with a reason."),
            (Action.ANSWERED, "The department answered a request."),
            (Action.CLOSED, "The department closed an answered request."),
            (Action.RATED, "The enterprise rated the answer (1-5)."),
            (Action.REOPENED, "A low rating or the enterprise reopened a request."),
            (
                Action.ESCALATED,
                "A request ran past its time limit: escalated to the department's "
                "supervisor and the city's oversight desk.",
            ),
            (
                Action.REVOKED,
                "A service item granted on a credit commitment was revoked: the "
                "department's data found the commitment broken (告知承诺制).",
            ),
        )
    ],
    *[_audit(domain) for domain in DOMAINS],
]
EVENTS: dict[str, EventType] = {event.subject: event for event in _ALL}
