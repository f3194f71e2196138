"""The gateway's commitment verifier (qinqing_gateway.commitments.CommitmentDesk.verify)
with fake peers: each finding of the data gives one verdict, or asks again later."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from qinqing_devtools.demo import golden, rental_policy
from qinqing_gateway.commitments import CommitmentDesk
from qinqing_shared.contracts.catalog import Policy
from qinqing_shared.jobs import Job, ManualClock
from qinqing_shared.problems import Problem

NOW = dt.datetime(2026, 9, 1, 2, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 9, 1)
RECHECK = dt.timedelta(hours=1)
PROFILE = next(e for e in golden()["enterprises"] if e["uscc"] == "91330106MA2H00014Q")


def commitment(**changes: Any) -> dict[str, Any]:
    found = {
        "id": "C-1",
        "uscc": PROFILE["uscc"],
        "policy_id": "hz-rental-subsidy-2026",
        "clause": "no_home",
        "department": "HZ-HRSS",
        "id_number_masked": "330106********0111",
        "statement": "This employee owns no home in the city.",
        "signed_by": "Wang Li",
        "made_on": "2026-08-01",
        "verify_by": "2026-10-30",
        "outcome": "open",
        "closed_on": None,
        "evidence": None,
        "fact": "person.owns_home_in_city",
        "id_number": PROFILE["employees"][0]["id_number"],
    }
    return found | changes


class Peer:
    def __init__(self, answers: dict[tuple[str, str], Any]) -> None:
        self.answers = answers
        self.calls: list[tuple[str, str, Any]] = []

    async def request(
        self, method: str, path: str, json: Any = None, headers: dict[str, str] | None = None
    ) -> Any:
        self.calls.append((method, path, json))
        answer = self.answers.get((method, path))
        if isinstance(answer, Problem):
            raise answer
        return answer


class Peers:
    def __init__(self, found: dict[str, Any] | Problem, state: str, entry: Any = None) -> None:
        self.credit = Peer(
            {("GET", "/commitments/C-1"): found, ("POST", "/commitments/C-1/verdict"): {}}
        )
        self.identity = Peer({("GET", f"/enterprises/{PROFILE['uscc']}/profile"): PROFILE})
        self.subsidy = Peer({("POST", "/fact-checks"): {"state": state, "entry": entry}})


class Policies:
    def __init__(self) -> None:
        self.days: list[dt.date] = []

    async def get(self, policy_id: str, on: dt.date) -> Policy:
        self.days.append(on)  # the version in effect on the desk's day
        return Policy.model_validate(rental_policy())


def desk(peers: Peers, today: dt.date = TODAY) -> CommitmentDesk:
    return CommitmentDesk(
        peers,  # type: ignore[arg-type]
        Policies(),  # type: ignore[arg-type]
        None,  # type: ignore[arg-type]
        clock=ManualClock(NOW),
        today=lambda: today,
        recheck=RECHECK,
    )


JOB = Job(id="j", kind="verify-commitment", key="C-1", payload={}, attempts=1, due_at=NOW)
ENTRY = {
    "subject": "employee 330106********0111",
    "clause": "no_home",
    "requirement": "owns no home in the city",
    "seen": True,
    "passed": False,
    "source": "HZ-HOU record H-1, as of 2026-08-31",
}


def verdicts(peers: Peers) -> list[Any]:
    return [body for method, path, body in peers.credit.calls if path.endswith("/verdict")]


@pytest.mark.parametrize(("state", "verdict"), [("holds", "kept"), ("contradicts", "broken")])
async def test_the_data_decides_kept_or_broken_with_its_record_as_evidence(
    state: str, verdict: str
) -> None:
    peers = Peers(commitment(), state, ENTRY)
    assert await desk(peers).verify(JOB) is None
    assert verdicts(peers) == [
        {
            "verdict": verdict,
            "on": "2026-09-01",
            "evidence": "employee 330106********0111: owns no home in the city, "
            "HZ-HOU record H-1, as of 2026-08-31",
        }
    ]
    [(_, _, asked)] = peers.subsidy.calls
    assert (asked["clause"], asked["id_number"], asked["on"]) == (
        "no_home",
        PROFILE["employees"][0]["id_number"],
        "2026-09-01",
    )
    [(_, _, _)] = peers.identity.calls


async def test_unknown_data_is_asked_again_until_the_verification_date() -> None:
    peers = Peers(commitment(), "unknown")
    assert await desk(peers).verify(JOB) == NOW + RECHECK
    assert verdicts(peers) == []


async def test_unknown_data_on_the_verification_date_lapses_the_commitment() -> None:
    peers = Peers(commitment(), "unknown")
    verifier = desk(peers, today=dt.date(2026, 10, 30))
    assert await verifier.verify(JOB) is None
    assert verifier.policies.days == [dt.date(2026, 10, 30)]  # type: ignore[attr-defined]
    assert verdicts(peers) == [
        {
            "verdict": "lapsed",
            "on": "2026-10-30",
            "evidence": "No department's data by 2026-10-30: closed unverified.",
        }
    ]


async def test_a_commitment_verified_before_or_never_filed_ends_the_job() -> None:
    closed = Peers(commitment(outcome="kept"), "holds", ENTRY)
    assert await desk(closed).verify(JOB) is None
    missing = Peers(Problem(404, "not-found", "Not found", "no such commitment"), "holds")
    assert await desk(missing).verify(JOB) is None
    assert verdicts(closed) == verdicts(missing) == []
    assert closed.subsidy.calls == missing.subsidy.calls == []


async def test_a_credit_svc_that_fails_fails_the_job_to_be_retried() -> None:
    down = Peers(Problem(503, "dependency-unavailable", "Unavailable", "retry"), "holds")
    with pytest.raises(Problem):
        await desk(down).verify(JOB)
