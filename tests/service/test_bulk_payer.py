"""The gateway's bulk path of proactive payouts (qinqing_gateway.bulk), on its real
database, the services answering as they would: the flows of a batch recorded and ended
as the saga records and ends one, and every notice the batch cannot finish left to the
saga, with what was done of it recorded."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from qinqing_devtools.demo import golden
from qinqing_gateway.bulk import BulkPayer
from qinqing_gateway.flows import SqlFlowUnits
from qinqing_gateway.models import Flow, FlowStatus
from qinqing_gateway.receipts import ReceiptDesk
from qinqing_gateway.saga import Saga
from qinqing_gateway.steps import HttpSteps
from qinqing_shared.auth.keys import KeyRing
from qinqing_shared.contracts.identity import EnterpriseProfile
from qinqing_shared.contracts.payment import PayoutStatus
from qinqing_shared.contracts.subsidy import Application, ApplicationStatus, Notice
from qinqing_shared.db import Database
from qinqing_shared.metrics import ServiceMetrics
from qinqing_shared.uow import Units
from tests.unit.test_saga import POLICY, application, payout
from tests.unit.test_steps import Peers, problem

ON = dt.date(2026, 9, 1)
NOW = dt.datetime(2026, 9, 1, 2, 0, tzinfo=dt.UTC)
CITY = {e["uscc"]: EnterpriseProfile.model_validate(e) for e in golden()["enterprises"]}
PAID, REJECTED, PENDING, REFUSED, CUT_OFF = sorted(CITY)[:5]
GONE = "91330199MA70000018"  # not registered (any more)


def notice(uscc: str) -> Notice:
    return Notice(
        id=f"n-{uscc}",
        policy_id=POLICY.id,
        policy_version=POLICY.version,
        uscc=uscc,
        amount_fen=1_800_000,
        currency="CNY",
        beneficiaries=[],
        status="taken",
        noticed_at=NOW,
        pay_after=NOW,
        taken_at=NOW,
    )


def decided(uscc: str, status: ApplicationStatus) -> Application:
    app = application(f"n-{uscc}", status)
    return app.model_copy(update={"uscc": uscc})


def check(uscc: str) -> dict[str, Any]:
    return {
        "id": f"check-{uscc}",
        "application_id": f"n-{uscc}",
        "uscc": uscc,
        "allowed": True,
        "fast_track": False,
        "reasons": [],
        "records": [],
    }


def paid(app: Application, status: str) -> dict[str, Any]:
    made = payout(app.id, app).model_copy(update={"status": PayoutStatus(status)})
    return {"application_id": app.id, "payout": made.model_dump(mode="json")}


@pytest.fixture
async def units(service_db: Callable[[str], str]) -> AsyncIterator[Units]:
    db = Database(service_db("qinqing_gateway"))
    try:
        yield Units(db)
    finally:
        await db.dispose()


def payer(units: Units, peers: Peers, tmp_path: Path) -> BulkPayer:
    receipts = ReceiptDesk(KeyRing(tmp_path / "receipts", "EdDSA"), "https://qinqing.test")
    metrics = ServiceMetrics(f"bulk_{id(peers)}")
    saga = Saga(SqlFlowUnits(units), HttpSteps(peers), metrics, receipts)  # type: ignore[arg-type]
    return BulkPayer(
        peers,  # type: ignore[arg-type]
        saga,
        units,
        receipts,
        lambda: ON,
        client_id="qinqing-proactive",
    )


async def flow(units: Units, application_id: str) -> tuple[Flow, dict[str, Any]] | None:
    async with SqlFlowUnits(units).read() as reader:
        return await reader.flows.get(application_id)


async def test_a_batch_ends_the_flows_it_finishes_and_leaves_the_rest_to_the_saga(
    units: Units, tmp_path: Path
) -> None:
    async with units.write() as uow:  # a batch cut off before had started this one's flow
        uow.session.add(
            Flow(
                application_id=f"n-{CUT_OFF}",
                policy_id=POLICY.id,
                uscc=CUT_OFF,
                client_id="qinqing-proactive",
                idempotency_key=f"notice:n-{CUT_OFF}",
                applied_on=ON,
                status=FlowStatus.RUNNING,
                created_at=NOW,
                updated_at=NOW,
            )
        )
        await uow.commit()
    approved, pending = decided(PAID, "approved"), decided(PENDING, "approved")
    peers = Peers()
    peers.identity.answers = [
        {
            "items": [CITY[u].model_dump(mode="json") for u in sorted(CITY)[:5]],
            "missing": [GONE],
        }
    ]
    peers.credit.answers = [[check(u) for u in (PAID, REJECTED, PENDING, REFUSED)]]
    peers.subsidy.answers = [
        [
            {"application_id": approved.id, "application": approved.model_dump(mode="json")},
            {
                "application_id": f"n-{REJECTED}",
                "application": decided(REJECTED, "rejected").model_dump(mode="json"),
            },
            {"application_id": pending.id, "application": pending.model_dump(mode="json")},
            {
                "application_id": f"n-{REFUSED}",
                "problem": problem(409, "claims-contended").body(),
            },
        ]
    ]
    peers.payment.answers = [[paid(approved, "completed"), paid(pending, "reserved")]]
    batch = [notice(u) for u in (PAID, REJECTED, PENDING, REFUSED, CUT_OFF, GONE)]

    left = await payer(units, peers, tmp_path).pay(POLICY, batch)

    assert [n.uscc for n in left] == [PENDING, REFUSED, CUT_OFF, GONE]
    ended = await flow(units, f"n-{PAID}")
    assert ended is not None
    (paid_flow, steps) = ended
    assert (paid_flow.status, paid_flow.result["status"], paid_flow.result["amount_fen"]) == (
        "paid",
        "paid",
        1_800_000,
    )
    assert paid_flow.result["receipt"]  # signed, as the saga's answers are
    assert sorted(steps) == ["credit", "decision", "enterprise", "payout", "policy"]
    assert "employees" not in steps["enterprise"], "a flow keeps the payee, not the staff"
    rejected = await flow(units, f"n-{REJECTED}")
    assert rejected is not None and rejected[0].status == "rejected"
    for uscc, recorded in ((PENDING, ["credit", "decision"]), (REFUSED, ["credit"])):
        running = await flow(units, f"n-{uscc}")
        assert running is not None and running[0].status == "running"
        assert sorted(set(running[1]) - {"enterprise", "policy"}) == recorded
    assert await flow(units, f"n-{GONE}") is None  # the saga fails its notice, with why
    assert [body["usccs"] for _, _, body, _ in peers.identity.calls] == [
        sorted([PAID, REJECTED, PENDING, REFUSED, CUT_OFF, GONE])
    ]
    [(_, _, credit, _)] = peers.credit.calls
    assert [c["uscc"] for c in credit["checks"]] == [PAID, REJECTED, PENDING, REFUSED]
    [(_, _, sent, _)] = peers.payment.calls
    assert [(p["application_id"], p["order"]) for p in sent["payouts"]] == [
        (approved.id, "signed-order"),
        (pending.id, "signed-order"),
    ]
    assert sent["payouts"][0]["payee"] == CITY[PAID].bank_account.model_dump(mode="json")
