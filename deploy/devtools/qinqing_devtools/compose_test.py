"""``make compose-test``: the compose stack (deploy/compose.yaml) built and run for real.

Builds the images, brings a stack up under its own project name, waits for every
container's health, then: the golden flow through the published gateway and a
department's subscriber outside the stack that receives its payout event; 240
applications during which payment-svc and then PostgreSQL are killed and started again,
with every chaos check (every application final, one payout event per paid one, a
balanced ledger, drained outboxes, reconciliation without differences); the payment
database and the payment stream backed up, restored into a fresh stack, reconciled again.
The stack is brought down (its volumes removed) at the end, whatever happened.

Needs a Docker engine (DOCKER_HOST) and docker-compose; the images' Python packages come
from var/wheelhouse (``make compose-wheels``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import nats

from qinqing_devtools import chaos, clients, demo, nats_users
from qinqing_devtools.platform import BANK, SERVICES

ROOT = Path(__file__).resolve().parents[3]
FILES = ("deploy/compose.yaml", "deploy/compose.test.yaml")
PROJECT = "qinqing-test"
GATEWAY_PORT, NATS_PORT, PROMETHEUS_PORT = 18000, 14222, 19090
SECOND_GATEWAY_PORT = 18010  # compose.test.yaml
PORTS = {s.name: 18000 + s.port - 8000 for s in SERVICES} | {BANK: 18009}
LOCAL_BASE = "localhost/debian-base:bookworm"  # the team machines' base (no Docker Hub)
ENTERPRISES = 400


class StepFailed(Exception):
    pass


@dataclass
class Compose:
    """docker-compose on the test's project, with the stack's variables."""

    project: str = PROJECT
    env: dict[str, str] = field(default_factory=dict)

    def __call__(self, *args: str, stdin: str | None = None, quiet: bool = False) -> str:
        out = self.raw(*args, stdin=None if stdin is None else stdin.encode())
        return out.decode()

    def raw(self, *args: str, stdin: bytes | None = None) -> bytes:
        files = [arg for f in FILES for arg in ("-f", str(ROOT / f))]
        result = subprocess.run(
            ["docker-compose", "-p", self.project, *files, *args],
            env=os.environ | self.env,
            input=stdin,
            capture_output=True,
        )
        if result.returncode:
            error = result.stderr.decode(errors="replace")[-3000:]
            raise StepFailed(f"docker-compose {' '.join(args)}:\n{error}")
        return result.stdout

    def shell(self, service: str, script: str, stdin: bytes | None = None) -> bytes:
        """A shell script in a new container of the service, with its volumes (the
        service itself may be stopped: e.g. to copy its data while nothing writes it)."""
        return self.raw(
            "run",
            "--rm",
            "--no-deps",
            "-T",
            "--entrypoint",
            "sh",
            service,
            "-c",
            script,
            stdin=stdin,
        )

    def run_in(self, service: str, *command: str, stdin: str | None = None) -> str:
        """A command in the running container, with its settings (the entrypoint's)."""
        return self("exec", "-T", service, "qinqing-entrypoint", *command, stdin=stdin, quiet=True)

    def read(self, path: str) -> str:
        return self("exec", "-T", "gateway", "cat", path, quiet=True)

    def psql(self, *args: str, stdin: bytes | None = None) -> bytes:
        """A PostgreSQL client program as the superuser, in the running database container."""
        password = "PGPASSWORD=$(cat /run/qinqing/postgres-password)"
        script = f"{password} exec " + " ".join(args)
        return self.raw("exec", "-T", "postgres", "sh", "-c", script, stdin=stdin)

    def healthy(self, service: str) -> bool:
        ids = self("ps", "-q", service, quiet=True).split()
        if not ids:
            return False
        state = subprocess.run(
            ["docker", "inspect", "--format", "{{.State.Health.Status}}", ids[0]],
            capture_output=True,
            text=True,
        )
        return state.stdout.strip() == "healthy"

    def wait_completed(self, service: str, timeout: float = 300) -> None:
        """A one-shot job of the stack ran to its end, successfully."""
        deadline = time.monotonic() + timeout
        while True:
            ids = self("ps", "-q", service, quiet=True).split()
            state = subprocess.run(
                ["docker", "inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", *ids],
                capture_output=True,
                text=True,
            ).stdout.split()
            if state[:1] == ["exited"]:
                if state[1:2] != ["0"]:
                    logs = self("logs", "--tail", "30", service, quiet=True)
                    raise StepFailed(f"{service} failed (exit {state[1:2]}):\n{logs}")
                return
            if time.monotonic() > deadline:
                raise StepFailed(f"{service} still {state} after {timeout:.0f}s")
            time.sleep(1)

    def wait_healthy(self, services: list[str], timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        waiting = list(services)
        while waiting:
            waiting = [s for s in waiting if not self.healthy(s)]
            if waiting and time.monotonic() > deadline:
                raise StepFailed(f"not healthy after {timeout:.0f}s: {', '.join(waiting)}")
            time.sleep(1)


@dataclass
class Stack:
    """A running compose stack, as the chaos harness sees a platform (chaos.Target)."""

    compose: Compose
    secrets: dict[str, dict[str, Any]] = field(default_factory=dict)
    nats_passwords: dict[str, str] = field(default_factory=dict)
    _auth: dict[str, clients.TokenAuth] = field(default_factory=dict)

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{GATEWAY_PORT}"

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{PORTS[service]}"

    def nats_url(self, user: str) -> str:
        return nats_users.url_for(f"nats://127.0.0.1:{NATS_PORT}", user, self.nats_passwords[user])

    @property
    def nats_admin_url(self) -> str:
        return self.nats_url(nats_users.ADMIN)

    def load_secrets(self) -> None:
        """The clients' and NATS users' secrets the setup job made, from its volume."""
        self.secrets = json.loads(self.compose.read("/run/qinqing/secrets/clients.json"))
        self.nats_passwords = json.loads(self.compose.read("/run/qinqing/secrets/nats-users.json"))
        self._auth.clear()

    def auth(self, client_id: str) -> clients.TokenAuth:
        if client_id not in self._auth:
            secret = self.secrets[client_id]["client_secret"]
            self._auth[client_id] = clients.TokenAuth(self.gateway_url, client_id, secret)
        return self._auth[client_id]

    def grant(self, client_id: str, usccs: list[str]) -> None:
        entry = self.secrets[client_id] | {"grants": usccs}
        self.compose.run_in(
            "gateway",
            "sh",
            "-c",
            "cat > /tmp/grant.json && python -m qinqing_gateway.cli clients register "
            "/tmp/grant.json; status=$?; rm -f /tmp/grant.json; exit $status",
            stdin=json.dumps([entry]),
        )

    def kill(self, service: str) -> None:
        self.compose("kill", service, quiet=True)

    def restart(self, service: str) -> None:
        self.compose("start", service, quiet=True)
        self.compose.wait_healthy([service, "gateway"])


def base_image() -> str:
    """The local base where the team's machines have it, else the Dockerfile's default."""
    if "BASE_IMAGE" in os.environ:
        return os.environ["BASE_IMAGE"]
    found = subprocess.run(["docker", "image", "inspect", LOCAL_BASE], capture_output=True)
    return LOCAL_BASE if found.returncode == 0 else "python:3.11-slim-bookworm"


def stack_env() -> dict[str, str]:
    return {
        "BASE_IMAGE": base_image(),
        "QINQING_PUBLIC_URL": f"http://127.0.0.1:{GATEWAY_PORT}",
        "QINQING_GATEWAY_PORT": str(GATEWAY_PORT),
        "QINQING_NATS_PORT": str(NATS_PORT),
        "QINQING_PROMETHEUS_PORT": str(PROMETHEUS_PORT),
        "QINQING_DEMO_ENTERPRISES": str(ENTERPRISES),
    }


def up(compose: Compose) -> Stack:
    compose("up", "-d", quiet=True)
    compose.wait_healthy([s.name for s in SERVICES] + [BANK, "prometheus"])
    compose.wait_completed("feed")  # the demo city, sent by its departments
    stack = Stack(compose)
    stack.load_secrets()
    return stack


async def golden_flow(stack: Stack) -> str:
    """The golden enterprise applies through the gateway; a department's subscriber
    outside the stack receives the payout event. Returns the application's id."""
    subscriber = await nats.connect(stack.nats_url("hrss-subscriber"))
    try:
        js = subscriber.jetstream()
        events = await js.subscribe("qinqing.payment.payout.completed.v1", ordered_consumer=True)
        async with httpx.AsyncClient(
            base_url=stack.gateway_url, timeout=30, auth=stack.auth("demo-app")
        ) as client:
            answer = await client.post(
                chaos.POLICY_PATH,
                json={"uscc": clients.GOLDEN_ELIGIBLE},
                headers={"Idempotency-Key": f"compose-golden-{time.time_ns()}"},
            )
        body = answer.json()
        if answer.status_code != 200 or body.get("status") != "paid":
            raise StepFailed(f"golden flow: {answer.status_code} {body}")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            event = json.loads((await events.next_msg(timeout=30)).data)
            if event["application_id"] == body["id"]:
                return str(body["id"])
        raise StepFailed("the subscriber saw no payout event for the golden application")
    finally:
        await subscriber.close()


def prometheus_query(query: str) -> list[dict[str, Any]]:
    url = f"http://127.0.0.1:{PROMETHEUS_PORT}/api/v1/query?" + urlencode({"query": query})
    with urllib.request.urlopen(url, timeout=10) as answer:
        return list(json.load(answer)["data"]["result"])


def watched(stack: Stack, timeout: float = 90) -> None:
    """Prometheus scrapes every instance of every service (with its own client's token:
    two gateways, two payment-svc) and has seen the golden application paid."""
    del stack  # Prometheus is reached on its published port
    expected = {s.name: 1 for s in SERVICES} | {"gateway": 2, "payment-svc": 2}
    deadline = time.monotonic() + timeout
    while True:
        up = Counter(r["metric"]["service"] for r in prometheus_query('up{job="qinqing"} == 1'))
        paid = prometheus_query('sum(qinqing_flow_answers_total{status="paid"})')
        if up == expected and paid and float(paid[0]["value"][1]) >= 1:
            print(f"  {sum(up.values())} instances scraped; paid applications seen", flush=True)
            return
        if time.monotonic() > deadline:
            raise StepFailed(f"Prometheus: instances up {dict(up)}, paid {paid}")
        time.sleep(2)


class Spread(httpx.AsyncBaseTransport):
    """Requests to the gateway spread over its instances (one after the other), each
    sent to the next instance that takes the connection: a load balancer's job."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.turn = 0
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.turn += 1
        for attempt in range(len(self.ports)):
            port = self.ports[(self.turn + attempt) % len(self.ports)]
            request.url = request.url.copy_with(port=port)
            try:
                return await self.inner.handle_async_request(request)
            except httpx.ConnectError:
                continue  # that instance is down: the next one
        raise httpx.ConnectError("no gateway instance answers", request=request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@dataclass
class InTurn:
    """Kills its targets one after the other, round and round (chaos.Control)."""

    stack: Stack
    targets: tuple[str, ...] = ("payment-svc", "postgres")
    killed: list[str] = field(default_factory=list)

    def kill(self) -> None:
        target = self.targets[len(self.killed) % len(self.targets)]
        self.stack.kill(target)
        self.killed.append(target)

    def restart(self) -> None:
        self.stack.restart(self.killed[-1])


async def chaos_run(stack: Stack) -> InTurn:
    """240 applications; a kill after every 80 answers: payment-svc, then PostgreSQL."""
    city = demo.dataset(ENTERPRISES)
    usccs = [e["uscc"] for e in city["enterprises"][10:]]  # not the golden ones
    plan = chaos.Plan(
        applications=240, seed=77, kill_every=3600, concurrency=16, kill_after_answers=80
    )
    turns = InTurn(stack)
    outcome = await chaos.run(stack, usccs, plan, {"in turn": (turns.kill, turns.restart)})
    problems = chaos.verdict(outcome)
    print(f"  answers {dict(outcome.statuses)}, killed {turns.killed}", flush=True)
    if problems or turns.killed != ["payment-svc", "postgres"]:
        raise StepFailed(f"chaos: {problems}, killed {turns.killed}")
    return turns


STREAM_DIR = "jetstream/jetstream/$G/streams/QINQING_PAYMENT"  # under nats' data volume
PAYMENT_DB = "qinqing_payment"


@dataclass
class Backup:
    """payment-svc's database (pg_dump), its JetStream stream (the stream's files, copied
    while NATS is stopped) and the sandbox bank's books: the bank is outside the
    platform, its records outlive the platform's loss."""

    database: bytes
    stream: bytes
    bank: bytes
    payouts: int


async def backup(stack: Stack) -> Backup:
    report = await reconciliation(stack)
    compose = stack.compose
    database = compose.psql("pg_dump", "-h", "127.0.0.1", "-U", "postgres", "-Fc", PAYMENT_DB)
    compose("stop", "nats", "sandbox-bank", quiet=True)
    stream = compose.shell("nats", f"tar -C /var/lib/qinqing -c '{STREAM_DIR}'")
    bank = compose.shell("sandbox-bank", "tar -C /var/lib/qinqing -c .")
    print(f"  {report['payouts']} payouts; {len(database)} B database, {len(stream)} B stream")
    return Backup(database, stream, bank, report["payouts"])


async def restore(stack: Stack, saved: Backup) -> None:
    """Into a fresh stack: the database replaced by the dump, the stream's files by the
    copy, the bank's books as they were; then reconciliation finds every payout again."""
    compose = stack.compose
    compose("stop", "payment-svc", "payment-svc-2", "nats", "sandbox-bank", quiet=True)
    admin = ("psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-q", "-c")
    compose.psql(*admin, f'"DROP DATABASE {PAYMENT_DB} WITH (FORCE)"')
    compose.psql(*admin, f'"CREATE DATABASE {PAYMENT_DB} OWNER {PAYMENT_DB}"')
    compose.psql(
        "pg_restore",
        "-h",
        "127.0.0.1",
        "-U",
        "postgres",
        "--no-owner",
        "--role",
        PAYMENT_DB,
        "--exit-on-error",
        "-d",
        PAYMENT_DB,
        stdin=saved.database,
    )
    compose.shell(
        "nats",
        f"rm -rf '/var/lib/qinqing/{STREAM_DIR}' && tar -C /var/lib/qinqing -x",
        saved.stream,
    )
    compose.shell(
        "sandbox-bank", "rm -f /var/lib/qinqing/bank.db* && tar -C /var/lib/qinqing -x", saved.bank
    )
    compose("start", "nats", "sandbox-bank", "payment-svc", "payment-svc-2", quiet=True)
    compose.wait_healthy(["nats", "sandbox-bank", "payment-svc", "payment-svc-2", "gateway"])
    report = await reconciliation(stack)
    print(f"  restored: {report['payouts']} payouts, {len(report['differences'])} differences")
    if report["payouts"] != saved.payouts or report["differences"]:
        raise StepFailed(f"after the restore: {report}")


async def reconciliation(stack: Stack) -> dict[str, Any]:
    """Reconciliation's report, as an operator reads it."""
    async with httpx.AsyncClient(timeout=60, auth=stack.auth("demo-operator")) as client:
        answer = await client.get(stack.gateway_url + "/v1/reconciliation")
    report: dict[str, Any] = answer.json()
    if answer.status_code != 200:
        raise StepFailed(f"reconciliation: {answer.status_code} {report}")
    return report


def fresh(compose: Compose, saved: Backup) -> None:
    """The stack gone with every volume, a new one up, the backup restored into it."""
    compose("down", "-v", quiet=True)
    stack = up(compose)
    asyncio.run(restore(stack, saved))


def pages(stack: Stack) -> None:
    """The dashboard answers from inside the stack's API; the portal's client is
    registered (its sign-in page accepts the portal's own request)."""
    with httpx.Client(base_url=stack.gateway_url, timeout=30) as http:
        dashboard = http.get("/dashboard")
        if dashboard.status_code != 200 or 'id="cash-transactions"' not in dashboard.text:
            raise StepFailed(f"dashboard: {dashboard.status_code}")
        start = http.get("/portal/sign-in")
        sign_in = http.get(start.headers.get("location", "/portal/sign-in"))
        if start.status_code != 303 or sign_in.status_code != 200:
            raise StepFailed(f"portal sign-in: {start.status_code}, {sign_in.status_code}")


def golden_step(stack: Stack) -> None:
    asyncio.run(golden_flow(stack))
    pages(stack)


def chaos_step(stack: Stack) -> None:
    asyncio.run(chaos_run(stack))


SECOND = ("gateway-2", "payment-svc-2")  # compose.test.yaml's second instances


async def instances_run(stack: Stack) -> None:
    """240 applications over two gateways and two payment-svc instances; a kill after
    every 48 answers: gateway, payment-svc, gateway-2, payment-svc-2."""
    city = demo.dataset(ENTERPRISES)
    usccs = [e["uscc"] for e in city["enterprises"][10:]]
    plan = chaos.Plan(
        applications=240, seed=78, kill_every=3600, concurrency=16, kill_after_answers=48
    )
    turns = InTurn(stack, ("gateway", "payment-svc", *SECOND))
    spread = Spread([GATEWAY_PORT, SECOND_GATEWAY_PORT])
    outcome = await chaos.run(
        stack, usccs, plan, {"in turn": (turns.kill, turns.restart)}, transport=spread
    )
    problems = chaos.verdict(outcome)
    served = {name: payouts_served(stack, name) for name in ("payment-svc", "payment-svc-2")}
    print(f"  answers {dict(outcome.statuses)}, killed {turns.killed}, payouts by {served}")
    if problems or len(turns.killed) != 4 or not all(served.values()):
        raise StepFailed(f"several instances: {problems}, killed {turns.killed}, {served}")


def payouts_served(stack: Stack, service: str) -> int:
    """How many payouts this instance was asked for (its access log lines)."""
    lines = stack.compose("logs", "--no-color", service, quiet=True).splitlines()
    return sum('"route": "/payouts"' in line and '"method": "POST"' in line for line in lines)


def instances_step(stack: Stack) -> None:
    stack.compose("up", "-d", *SECOND, quiet=True)
    stack.compose.wait_healthy(list(SECOND))
    asyncio.run(instances_run(stack))


def backup_step(stack: Stack) -> Backup:
    return asyncio.run(backup(stack))


def step(name: str, action: Any) -> Any:
    print(f"== {name}", flush=True)
    started = time.monotonic()
    result = action()
    print(f"   ok ({time.monotonic() - started:.0f}s)", flush=True)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="compose-test", description=__doc__.split("\n")[0])
    parser.add_argument("--keep", action="store_true", help="leave the stack up at the end")
    args = parser.parse_args(argv)
    if subprocess.run(["docker", "info"], capture_output=True).returncode:
        sys.exit("compose-test: no Docker engine answers (set DOCKER_HOST, or start one)")
    compose = Compose(env=stack_env())
    try:
        step("validate the compose files", lambda: compose("config", "-q", quiet=True))
        step("build the images", lambda: compose("build", quiet=True))
        compose("down", "-v", quiet=True)
        stack = step("bring the stack up and wait for health", lambda: up(compose))
        step("golden flow, its payout event outside", lambda: golden_step(stack))
        step("Prometheus scrapes every service, sees the payout", lambda: watched(stack))
        step("240 applications, payment-svc and PostgreSQL killed", lambda: chaos_step(stack))
        step("two gateways, two payment-svc, each killed", lambda: instances_step(stack))
        saved = step("back up payment-svc's database and stream", lambda: backup_step(stack))
        step("restore them into a fresh stack, reconcile", lambda: fresh(compose, saved))
    except StepFailed as failure:
        print(f"compose-test FAILED: {failure}", flush=True)
        print(compose("logs", "--tail=40", quiet=True)[-8000:])
        sys.exit(f"compose-test FAILED: {failure}")  # again, last: CI shows the tail
    finally:
        if not args.keep:
            compose("down", "-v", quiet=True)
    print("compose-test: every step passed")


if __name__ == "__main__":
    main()
