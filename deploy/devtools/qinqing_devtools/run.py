"""``make run``: the whole platform on this machine until Ctrl-C.

Settings from the environment: ``QINQING_NATS_PORT`` (the platform's own NATS, from
the bundled binary, with its users: default 4333, else a free port), ``DATABASE_URL``
(a PostgreSQL server: one database per service; default SQLite files under var/),
``QINQING_VAR`` (var).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sys
import time
from pathlib import Path
from types import FrameType

from qinqing_devtools import clients, nats_users
from qinqing_devtools.demo import RENTAL_POLICY_ID
from qinqing_devtools.nats_server import answers, free_port
from qinqing_devtools.platform import SERVICES, Platform

GOLDEN_ELIGIBLE = "91330106MA2H00014Q"
GOLDEN_EMPLOYEE = "330106199904120111"  # Chen Yu, its employee (demo data: no real person)


def banner(platform: Platform) -> str:
    url = platform.gateway_url
    app = platform.credentials("demo-app")
    operator = platform.credentials("demo-operator")
    lines = [
        "",
        "Qinqing is running.",
        "",
        f"  dashboard       {url}/dashboard  (the city's live figures, public)",
        f"  portal          {url}/portal     (enterprises sign in: the people below)",
        f"  API (gateway)   {url}/v1      docs: {url}/docs",
        *[f"  {s.name:<15} {platform.url(s.name)}" for s in SERVICES if s.name != "gateway"],
        f"  NATS            {platform.nats_url}  (users and passwords: "
        f"{platform.var}/secrets/nats-users.json)",
        f"  data and logs   {platform.var}/",
        "",
        f"  OAuth metadata  {url}/.well-known/oauth-authorization-server",
        f"  events          {url}/events  (AsyncAPI 3.0: {url}/events/asyncapi.json;",
        f"                  schemas: {url}/events/schemas/<subject>.json)",
        "",
        "The demo app (it holds grants for the golden enterprises):",
        "",
        f"  client_id: {app['client_id']}",
        f"  client_secret: {app['client_secret']}",
        "",
        "The operator (ledger, budgets, reconciliation, person look-ups):",
        "",
        f"  client_id: {operator['client_id']}",
        f"  client_secret: {operator['client_secret']}",
        "",
        f"Every client and its secret: {platform.var}/secrets/clients.json",
        "",
        "People who sign in for their enterprise (the portal, or an app's sign-in, PKCE):",
        "",
        *[
            f"  {p['username']} / {p['password']}  ({p['name']}, {p['uscc']})"
            for p in clients.people(platform.var)
            if p.get("uscc")
        ],
        f"  {url}/oauth/authorize?response_type=code&client_id=demo-app&redirect_uri=...",
        "",
        f"Officers who sign in to the department console ({url}/console):",
        "",
        *[
            f"  {p['username']} / {p['password']}  ({p['name']}, {p['department']})"
            for p in clients.people(platform.var)
            if p.get("department")
        ],
        "",
        "Requests to departments (诉求直达, docs/interaction.md): an enterprise or its app",
        f"  raises one at {url}/v1/requests (topics: {url}/v1/request-topics); the",
        "  department answers at catalog-svc (hrss-department, or wang.fang in the console);",
        "  hrss-supervisor and oversight-desk (clients.json) read what ran past its limit.",
        "",
        "A department's NATS subscriber (reads QINQING_PAYMENT, QINQING_SUBSIDY and",
        "QINQING_INTERACTION):",
        "",
        "  nats_user: hrss-subscriber",
        f"  nats_password: {nats_users.ensure(platform.var)['hrss-subscriber']}",
        "",
        "  Its payouts as they are made (docs/events.md; Ctrl-C, run again: it resumes):",
        "  .venv/bin/python -m qinqing_devtools.examples.department_subscriber \\",
        f"       --nats {platform.nats_user_url('hrss-subscriber')} \\",
        f"       --gateway {url} --department HZ-HRSS --durable hrss-demo",
        "",
        "Get a token, then pay the rental subsidy to a golden eligible enterprise:",
        "",
        f"  TOKEN=$(curl -s -u {app['client_id']}:{app['client_secret']} \\",
        f"       -d grant_type=client_credentials {url}/oauth/token | python3 -c \\",
        "       'import json,sys; print(json.load(sys.stdin)[\"access_token\"])')",
        f"  curl -s -X POST {url}/v1/policies/{RENTAL_POLICY_ID}/applications \\",
        "       -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' \\",
        '       -H "Idempotency-Key: demo-$(date +%s%N)" \\',
        f'       -d \'{{"uscc": "{GOLDEN_ELIGIBLE}"}}\'',
        "",
        f"  curl -s {url}/v1/stats",
        "",
        *department_sends(platform),
        "Ctrl-C stops everything.",
        "",
    ]
    return "\n".join(lines)


def department_sends(platform: Platform) -> list[str]:
    """How a department sends a fact it holds; the next decision cites its record."""
    housing = platform.credentials("housing-department")
    record = {
        "record_id": "HOU-DEMO-1",
        "as_of": dt.date.today().isoformat(),
        "data": {"id_number": GOLDEN_EMPLOYEE, "owns_home_in_city": False},
    }
    return [
        "The housing bureau sends a fact it holds (docs/data-exchange.md); the next",
        "decision's trace cites its record (read it as the operator):",
        "",
        f"  HOU=$(curl -s -u {housing['client_id']}:{housing['client_secret']} \\",
        f"       -d grant_type=client_credentials {platform.gateway_url}/oauth/token | \\",
        "       python3 -c 'import json,sys; print(json.load(sys.stdin)[\"access_token\"])')",
        f"  curl -s -X POST {platform.url('identity-svc')}/facts/home-ownership \\",
        "       -H \"Authorization: Bearer $HOU\" -H 'Content-Type: application/json' \\",
        f"       -d '{json.dumps(record)}'",
        "",
    ]


def nats_port() -> int:
    """The platform's own NATS: QINQING_NATS_PORT, else 4333 when free, else any free port
    (the machine's NATS on 4222, if any, is not used: it has no users of the platform's)."""
    wanted = int(os.environ.get("QINQING_NATS_PORT", "4333"))
    return free_port() if answers("127.0.0.1", wanted) else wanted


def main() -> None:
    platform = Platform(
        var=Path(os.environ.get("QINQING_VAR", "var")),
        nats_url=f"nats://127.0.0.1:{nats_port()}",
        database_server=os.environ.get("DATABASE_URL") or None,
    )
    stopping = False

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        print(
            "Starting Qinqing: NATS, migrations, demo catalog, six services, then the demo\n"
            "city's departments sending their records through the APIs ...",
            flush=True,
        )
        platform.start()
        print(banner(platform), flush=True)
        while not stopping and platform.first_exited() is None:
            time.sleep(0.5)
        if not stopping:
            print(
                f"{platform.first_exited()} stopped unexpectedly; see {platform.var}/logs/",
                file=sys.stderr,
            )
    finally:
        print("Stopping ...", flush=True)
        platform.stop()
    print("Stopped.")


if __name__ == "__main__":
    main()
