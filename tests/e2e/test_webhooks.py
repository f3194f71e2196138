"""Webhooks on the running platform, delivered to a real receiving server that verifies
every delivery with the Standard Webhooks library: signed, retried through failures,
in order per application, an app's only for its own applications, dead-lettered after
the last try and delivered once replayed; nothing lost, nothing accepted unsigned."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from qinqing_devtools import chaos
from qinqing_devtools.platform import Platform
from tests.e2e.pilots import applied
from tests.e2e.test_access import as_

pytestmark = pytest.mark.e2e

COMPLETED = "qinqing.payment.payout.completed.v1"
APPROVED = "qinqing.subsidy.application.approved.v1"


@dataclass
class Received:
    path: str
    webhook_id: str
    body: dict[str, Any]
    answered: int


@dataclass
class Receiver:
    """A department's or an app's server: each path has its secret and its behaviour
    (``fail_first``: answer 500 to the first tries of each delivery; ``down``: 503)."""

    secrets: dict[str, str] = field(default_factory=dict)
    fail_first: dict[str, int] = field(default_factory=dict)
    down: set[str] = field(default_factory=set)
    log: list[Received] = field(default_factory=list)
    refused_unsigned: int = 0

    def answer(self, path: str, headers: dict[str, str], raw: bytes) -> int:
        try:
            body = Webhook(self.secrets[path]).verify(raw, headers)
        except (KeyError, WebhookVerificationError):
            self.refused_unsigned += 1
            return 401
        tries = sum(r.webhook_id == headers["webhook-id"] for r in self.log)
        status = 200
        if path in self.down:
            status = 503
        elif tries < self.fail_first.get(path, 0):
            status = 500
        self.log.append(Received(path, headers["webhook-id"], body, status))
        return status

    def about(self, path: str, application_id: str) -> list[Received]:
        return [
            r
            for r in self.log
            if r.path == path and r.body["data"].get("application_id") == application_id
        ]


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, str]]:
    state = Receiver()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            headers = {k.lower(): v for k, v in self.headers.items()}
            with lock:
                status = state.answer(self.path, headers, raw)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


async def register(
    platform: Platform, who: str, url: str, subjects: list[str]
) -> tuple[int, dict[str, Any]]:
    async with httpx.AsyncClient(timeout=30) as http:
        answer = await http.post(
            platform.gateway_url + "/v1/webhooks",
            json={"url": url, "subjects": subjects},
            headers=as_(platform, who),
        )
    return answer.status_code, answer.json()


async def until(check: Any, within: float = 30) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if check():
            return True
        await asyncio.sleep(0.1)
    return False


async def remove_all(platform: Platform, who: str) -> None:
    async with httpx.AsyncClient(timeout=30, base_url=platform.gateway_url) as http:
        mine = (await http.get("/v1/webhooks", headers=as_(platform, who))).json()
        for endpoint in mine:
            await http.delete(f"/v1/webhooks/{endpoint['id']}", headers=as_(platform, who))


async def test_deliveries_are_signed_retried_in_order_and_an_apps_are_its_own(
    platform: Platform, receiver: tuple[Receiver, str]
) -> None:
    state, base = receiver
    try:
        status, dept = await register(
            platform, "hrss-department", base + "/dept", [APPROVED, COMPLETED]
        )
        assert status == 201, dept
        state.secrets["/dept"], state.fail_first["/dept"] = dept["secret"], 2
        status, app = await register(platform, chaos.LOAD_APP, base + "/app", [COMPLETED])
        assert status == 201, app
        state.secrets["/app"] = app["secret"]
        status, other = await register(platform, "demo-app", base + "/other", [COMPLETED])
        assert status == 201, other
        state.secrets["/other"] = other["secret"]

        answer = await applied(platform, 7301)  # the load app applies
        assert answer["status"] == "paid"
        mine = answer["id"]
        assert await until(lambda: len(state.about("/dept", mine)) == 6)
        tries = state.about("/dept", mine)
        # each delivery tried three times (two failures) with one id, then the next one:
        # the payout is not sent before the approval it follows is delivered
        ids = [t.webhook_id for t in tries]
        assert ids[0] == ids[1] == ids[2] != ids[3] == ids[4] == ids[5]
        assert [t.answered for t in tries] == [500, 500, 200, 500, 500, 200]
        assert sorted(t.body["type"] for t in tries[::3]) == sorted([APPROVED, COMPLETED])
        assert [t.body["data"]["amount_fen"] for t in tries[::3]] == [1_000_000] * 2
        assert await until(lambda: len(state.about("/app", mine)) == 1)
        assert state.about("/app", mine)[0].body["type"] == COMPLETED
        await asyncio.sleep(1)  # time for a wrong delivery to arrive, if one were sent
        assert state.about("/other", mine) == []  # another app hears nothing of it
        assert len(state.about("/app", mine)) == 1  # delivered: not sent again
        assert state.refused_unsigned == 0  # everything the platform sent verified
        async with httpx.AsyncClient(timeout=5) as http:
            forged = await http.post(base + "/dept", content=b'{"type": "x", "data": {}}')
        assert (forged.status_code, state.refused_unsigned) == (401, 1)  # the check is live
    finally:
        for who in ("hrss-department", chaos.LOAD_APP, "demo-app"):
            await remove_all(platform, who)


async def test_a_delivery_failing_its_last_try_is_a_dead_letter_an_operator_replays(
    platform: Platform, receiver: tuple[Receiver, str]
) -> None:
    state, base = receiver
    try:
        status, down = await register(platform, "hrss-department", base + "/down", [COMPLETED])
        assert status == 201, down
        state.secrets["/down"] = down["secret"]
        state.down.add("/down")
        answer = await applied(platform, 7302)
        mine = answer["id"]
        gateway = platform.gateway_url
        operator = as_(platform, "demo-operator")

        async def letter() -> dict[str, Any] | None:
            async with httpx.AsyncClient(timeout=30) as http:
                letters = (await http.get(gateway + "/dead-letters", headers=operator)).json()
            found = [x for x in letters if x["kind"] == "webhook" and x["subject"] == COMPLETED]
            for item in found:
                async with httpx.AsyncClient(timeout=30) as http:
                    full = await http.get(f"{gateway}/dead-letters/{item['id']}", headers=operator)
                if full.json()["payload"]["body"]["data"]["application_id"] == mine:
                    return dict(full.json())
            return None

        dead: dict[str, Any] | None = None
        for _ in range(100):
            dead = await letter()
            if dead is not None:
                break
            await asyncio.sleep(0.2)
        assert dead is not None
        assert len(state.about("/down", mine)) == 4  # GATEWAY_WEBHOOK_MAX_ATTEMPTS
        assert dead["error"] == "4 attempts; the last: answered 503"
        state.down.discard("/down")  # the department's server is back
        async with httpx.AsyncClient(timeout=30) as http:
            replay = await http.post(
                f"{gateway}/dead-letters/{dead['id']}/replay", json={}, headers=operator
            )
        assert replay.status_code == 200, replay.text
        assert await until(lambda: [r.answered for r in state.about("/down", mine)][-1:] == [200])
        assert Counter(r.webhook_id for r in state.about("/down", mine)) == {dead["ref"]: 5}
    finally:
        await remove_all(platform, "hrss-department")


async def test_registrations_are_checked_and_each_caller_sees_and_removes_its_own(
    platform: Platform, receiver: tuple[Receiver, str]
) -> None:
    _, base = receiver
    status, refused = await register(
        platform, "demo-app", base + "/x", ["qinqing.payment.budget.exhausted.v1"]
    )
    assert status == 422
    assert refused["type"] == "urn:qinqing:problem:webhook-refused"
    assert "Not offered to apps: ['qinqing.payment.budget.exhausted.v1']" in refused["detail"]
    status, unknown = await register(platform, "demo-app", base + "/x", ["qinqing.nothing.v1"])
    assert (status, unknown["title"]) == (422, "Webhook refused")
    status, made = await register(platform, "demo-app", base + "/x", [COMPLETED])
    assert status == 201
    assert made["secret"].startswith("whsec_")
    async with httpx.AsyncClient(timeout=30, base_url=platform.gateway_url) as http:
        listed = (await http.get("/v1/webhooks", headers=as_(platform, "demo-app"))).json()
        assert [(e["id"], e["subjects"]) for e in listed] == [(made["id"], [COMPLETED])]
        assert "secret" not in listed[0]
        others = await http.get("/v1/webhooks", headers=as_(platform, "other-app"))
        assert others.json() == []
        theirs = await http.delete(f"/v1/webhooks/{made['id']}", headers=as_(platform, "other-app"))
        assert theirs.status_code == 404  # someone else's: not found
        gone = await http.delete(f"/v1/webhooks/{made['id']}", headers=as_(platform, "demo-app"))
        assert gone.status_code == 204
        again = await http.get("/v1/webhooks", headers=as_(platform, "demo-app"))
        assert again.json() == []
        fake = await http.delete(f"/v1/webhooks/{uuid.uuid4()}", headers=as_(platform, "demo-app"))
        assert fake.status_code == 404
