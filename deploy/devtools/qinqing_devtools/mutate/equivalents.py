"""Surviving mutants judged equivalent: no test can tell them from the code, and why.

Each is named as mutmut names it (``mutmut show NAME`` in ``var/mutate/GROUP`` prints
its diff); a name whose code has changed is reported as stale by ``make mutate`` and
must be judged again. docs/testing.md lists them too.
"""

from __future__ import annotations

EQUIVALENT: dict[str, str] = {
    "qinqing_shared.ids.x_uscc_check_char__mutmut_5": (
        "USCC_CHARSET.index -> rindex: each character occurs once in the charset, so the "
        "first and the last occurrence are the same position"
    ),
    # the answer of a flow ended without its request's claim (resumed by the sweep) is
    # stored under the client and the key; the claim's resource and take-over flag are
    # not read by the unit of work's answer()
    "qinqing_gateway.saga.xǁSagaǁ_end__mutmut_5": "Claim.resource_id is not read by answer()",
    "qinqing_gateway.saga.xǁSagaǁ_end__mutmut_6": "Claim.taken_over is not read by answer()",
    "qinqing_gateway.saga.xǁSagaǁ_end__mutmut_11": "Claim.taken_over is not read by answer()",
    # a flow gets its result only when it ends (FlowUnit.end sets both), so a running flow
    # with a result is not a state the saga can meet
    "qinqing_gateway.saga.xǁSagaǁrun__mutmut_3": "only a final flow has a result",
    "qinqing_gateway.saga.xǁSagaǁview__mutmut_8": "only a final flow has a result",
}

# HTTP header names are case-insensitive (RFC 9110 §5.1): every client reads them so
for _name in (
    "qinqing_shared.auth.guard.x_authenticate__mutmut_38",
    "qinqing_shared.auth.guard.x_authenticate__mutmut_39",
    "qinqing_shared.auth.guard.x_unauthenticated__mutmut_28",
    "qinqing_shared.auth.guard.x_unauthenticated__mutmut_29",
):
    EQUIVALENT[_name] = "a header name in another case is the same header (RFC 9110 §5.1)"
EQUIVALENT["qinqing_shared.auth.guard.x_authenticate__mutmut_3"] = (
    "unauthenticated(..., None): None is as false as False where the flag is read"
)
# a trace entry without a subject is not a person's: "", None and "XXXX" as the default
# all fail startswith("employee") alike
for _name in (
    "qinqing_gateway.access.x_public_view__mutmut_13",
    "qinqing_gateway.access.x_public_view__mutmut_15",
    "qinqing_gateway.access.x_public_view__mutmut_18",
):
    EQUIVALENT[_name] = "any default subject but one starting with 'employee' reads the same"
for _name in (
    "qinqing_shared.idempotency.x_replay_response__mutmut_19",
    "qinqing_shared.idempotency.x_replay_response__mutmut_20",
):
    EQUIVALENT[_name] = "a header name in another case is the same header (RFC 9110 §5.1)"
for _name in (
    "qinqing_shared.idempotency.xǁIdempotencyStoreǁ_claim__mutmut_33",
    "qinqing_shared.idempotency.xǁIdempotencyStoreǁ_repeat__mutmut_32",
):
    EQUIVALENT[_name] = (
        "< and <= differ only for a request at the very microsecond a key expires or its lease ends"
    )
# done() stores the status, the code and the body in one statement: a record is either
# in progress with neither, or done with both
EQUIVALENT["qinqing_shared.idempotency.xǁIdempotencyStoreǁ_repeat__mutmut_19"] = (
    "status 'done' and a stored body always come together (one UPDATE sets both)"
)
EQUIVALENT["qinqing_shared.idempotency.xǁIdempotencyStoreǁ_repeat__mutmut_29"] = (
    "a done record always has its status code (the same UPDATE sets it)"
)
# the desk's final answer under a claim: stored in the settling transaction when the
# claim is passed, else by IdempotencyStore.once right after; the same answer either way
for _name in (
    "payment_svc.desk.xǁPayoutDeskǁpay__mutmut_31",
    "payment_svc.desk.xǁPayoutDeskǁpay__mutmut_34",
):
    EQUIVALENT[_name] = "without the claim, once() stores the same final answer just after"
EQUIVALENT["payment_svc.desk.xǁPayoutDeskǁapply__mutmut_1"] = (
    "the read-only shortcut for a word already heard only saves a transaction: taking "
    "the locked path instead changes nothing either way"
)
# compare() reads each source with .get(ref, []): None (or nothing) in place of [] is as
# empty where _one() asks `not amounts`; and _unknown's default for a payout the ledger
# lacks only has to have a status that is not a paid one, which "" and "XXXX" both are
for _n in (33, 35, 53, 55, 74, 76):
    EQUIVALENT[f"payment_svc.reconciliation.x_compare__mutmut_{_n}"] = (
        "no amounts read as None is as empty as [] where it is read (`not amounts`)"
    )
for _n in (17, 18, 19):
    EQUIVALENT[f"payment_svc.reconciliation.x__unknown__mutmut_{_n}"] = (
        "the default stands for a payout the ledger does not have: any status but a paid "
        "one says so"
    )
EQUIVALENT["payment_svc.reconciliation.x__utc__mutmut_1"] = (
    "every time is stored in UTC: giving an aware UTC time the UTC zone again is the same time"
)
# the consumer's settings are NATS's own defaults for a pull consumer (explicit acks, 30 s
# to ack, 1000 in flight: the test reads them from the server), so leaving one out, or
# the whole config, makes the same consumer; without the stream's name nats-py finds the
# stream by the subject, the same one
for _n in (14, 15, 16, 27):
    EQUIVALENT[f"qinqing_shared.inbox.x_consume_forever__mutmut_{_n}"] = (
        "the value left out is NATS's default for a pull consumer, the same value"
    )
for _n in (22, 26):
    EQUIVALENT[f"qinqing_shared.inbox.x_consume_forever__mutmut_{_n}"] = (
        "without the stream's name nats-py looks the stream up by the subject: the same one"
    )
EQUIVALENT["qinqing_shared.inbox.x_consume_forever__mutmut_6"] = (
    "no replica count makes the server's default, one: the count the default parameter gives"
)
# tuning with no outcome: how many messages one fetch may bring, how long an idle fetch
# waits, and how soon a failed event comes again (it comes again either way, as a test
# shows)
for _name in (
    "qinqing_shared.inbox.x_consume_forever__mutmut_35",
    "qinqing_shared.inbox.x_consume_forever__mutmut_36",
    "qinqing_shared.inbox.x__process__mutmut_52",
    "qinqing_shared.inbox.x__process__mutmut_53",
):
    EQUIVALENT[_name] = "a batch size, poll wait or redelivery delay: the same outcome, later"
# the outbox
for _n in (15, 18, 19):
    EQUIVALENT[f"qinqing_shared.outbox.x__publish__mutmut_{_n}"] = (
        "asyncio.gather answers as many results as it was given awaitables: zip's strict "
        "check never fires"
    )
for _n in (17, 19, 22):
    EQUIVALENT[f"qinqing_shared.outbox.xǁOutboxǁ__init____mutmut_{_n}"] = (
        "column.in_(bindparam(...)) makes the parameter expanding whatever the flag says "
        "(SQLAlchemy 2)"
    )
for _n in (6, 7, 8):
    EQUIVALENT[f"qinqing_shared.outbox.xǁOutboxǁ_bury__mutmut_{_n}"] = (
        "the dead letter's payload is a JSON column written by orjson, which writes dates "
        "as JSON mode does"
    )
for _n in (4, 5):
    EQUIVALENT[f"qinqing_shared.outbox.xǁ_Relayǁ__init____mutmut_{_n}"] = (
        "mark_due is read only while events wait to be marked, and it is set when the "
        "first of them is acknowledged: its first value is never read"
    )
# tuning with no outcome: batch sizes and how long the relay waits before it looks again
for _name in (
    "qinqing_shared.outbox.xǁOutboxǁrelay_forever__mutmut_1",
    "qinqing_shared.outbox.xǁOutboxǁrelay_forever__mutmut_2",
    "qinqing_shared.outbox.xǁOutboxǁrelay_once__mutmut_1",
    "qinqing_shared.outbox.xǁ_Relayǁrun__mutmut_24",
    "qinqing_shared.outbox.xǁ_Relayǁrun__mutmut_43",
):
    EQUIVALENT[_name] = "a batch size or a wait: the same events published, the same marks"
# the payout desk
for _n in (24, 27, 28, 29):
    EQUIVALENT[f"payment_svc.desk.xǁPayoutDeskǁapply__mutmut_{_n}"] = (
        "apply() is called for a payout read a moment before, and payouts are never "
        "deleted: its not-found problem cannot be raised"
    )
EQUIVALENT["payment_svc.desk.xǁPayoutDeskǁapply__mutmut_43"] = (
    "a final answer left unstored here is stored by once() just after; a non-final one "
    "stored here is deleted with the key once() releases"
)
EQUIVALENT["payment_svc.desk.xǁPayoutDeskǁapply__mutmut_44"] = (
    "an answer stored without its code is replayed as 200, the code it would have had"
)
EQUIVALENT["qinqing_shared.idempotency.x_fingerprint__mutmut_5"] = (
    "json.dumps(ensure_ascii=None): None is as false as False"
)

# a Python-mode dump differs from a JSON-mode one only in dates and enums, which the
# flow's JSON column and the service client's body (both orjson) write as JSON mode
# does (pydantic takes an unknown mode for Python)
for _name in (
    "qinqing_gateway.saga.xǁSagaǁstart__mutmut_33",
    "qinqing_gateway.saga.xǁSagaǁstart__mutmut_34",
    "qinqing_gateway.saga.xǁSagaǁstart__mutmut_35",
    "qinqing_gateway.steps.xǁHttpStepsǁdecide__mutmut_18",
    "qinqing_gateway.steps.xǁHttpStepsǁdecide__mutmut_19",
    "qinqing_gateway.steps.xǁHttpStepsǁdecide__mutmut_20",
    "qinqing_gateway.steps.xǁHttpStepsǁpay__mutmut_14",
    "qinqing_gateway.steps.xǁHttpStepsǁpay__mutmut_15",
    "qinqing_gateway.steps.xǁHttpStepsǁpay__mutmut_16",
):
    EQUIVALENT[_name] = (
        "the dump is written by orjson, which writes dates and enums as JSON mode does"
    )
EQUIVALENT["credit_svc.commitments.x__file_violation__mutmut_19"] = (
    "valid_to left out is the column's default, None: the same open-ended violation"
)
