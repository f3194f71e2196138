"""A department's subscriber to the platform's payouts: copy it, and change ``handle``.

    python department_subscriber.py --nats nats://hrss-subscriber:PASSWORD@HOST:4222 \\
        --gateway https://qinqing.example.gov.cn --department HZ-HRSS --durable hrss-payouts

It prints one JSON line per payout made under one of the department's policies, and:

- **resumes where it left off** after a restart: its place is a durable JetStream pull
  consumer named ``--durable`` (the platform keeps it; ask the operators for the name your
  NATS user may create), and an event is acknowledged only after ``handle`` returned;
- **loses nothing across a NATS restart or an outage**: it reconnects for ever, and
  what was published meanwhile waits in the stream (docs/events.md);
- **sees each payout at least once**: an event whose ``handle`` failed, or whose ack was
  lost (NATS killed before it wrote it), comes again (up to ``MAX_DELIVER`` times, with
  growing waits); ``handle`` must tolerate seeing an event twice (keep the ``ce-id`` of
  what was done);
- **replays** from a time (``--from-time 2026-11-01T00:00:00+08:00``) or a stream
  sequence (``--from-seq 1200``) when its durable is made; an existing durable keeps its
  place (delete it to replay again: ``--reset``).

Only nats-py and httpx are needed; nothing of the platform's code.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import signal
import sys
from typing import Any

import httpx
import nats
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

STREAM = "QINQING_PAYMENT"
SUBJECT = "qinqing.payment.payout.completed.v1"
MAX_DELIVER = 10
BACKOFF_SECONDS = [1.0, 5.0, 30.0, 120.0]  # between redeliveries of a failed event


async def department_policies(gateway: str, department: str) -> set[str]:
    """The ids of the department's published policies (public, paged)."""
    found: set[str] = set()
    async with httpx.AsyncClient(base_url=gateway, timeout=10) as client:
        page = 1
        while True:
            answer = await client.get(
                "/v1/policies", params={"department": department, "page": page, "page_size": 100}
            )
            answer.raise_for_status()
            body = answer.json()
            found |= {p["id"] for p in body["items"]}
            if page * body["page_size"] >= body["total"]:
                return found
            page += 1


def consumer_config(args: argparse.Namespace) -> ConsumerConfig:
    config = ConsumerConfig(
        durable_name=args.durable,
        filter_subject=SUBJECT,
        ack_policy=AckPolicy.EXPLICIT,
        ack_wait=30,
        max_deliver=MAX_DELIVER,
        backoff=BACKOFF_SECONDS,
        deliver_policy=DeliverPolicy.ALL,
    )
    if args.from_time:
        config.deliver_policy = DeliverPolicy.BY_START_TIME
        config.opt_start_time = args.from_time
    elif args.from_seq:
        config.deliver_policy = DeliverPolicy.BY_START_SEQUENCE
        config.opt_start_seq = args.from_seq
    return config


def handle(event: dict[str, Any], headers: dict[str, str]) -> None:
    """What the department does with a payout: here, one JSON line on stdout."""
    line = {"event_id": headers.get("ce-id"), "time": headers.get("ce-time"), **event}
    print(json.dumps(line, ensure_ascii=False), flush=True)


async def run(args: argparse.Namespace, stop: asyncio.Event) -> None:
    policies = set(args.policy) or await department_policies(args.gateway, args.department)
    client = await nats.connect(
        args.nats, max_reconnect_attempts=-1, reconnect_time_wait=1, name=args.durable
    )
    try:
        js = client.jetstream()
        if args.reset:
            with contextlib.suppress(NotFoundError):  # nothing to forget
                await js.delete_consumer(STREAM, args.durable)
        pull = await js.pull_subscribe(
            SUBJECT, durable=args.durable, stream=STREAM, config=consumer_config(args)
        )
        print(json.dumps({"ready": args.durable, "policies": sorted(policies)}), flush=True)
        while not stop.is_set():
            try:
                messages = await pull.fetch(batch=50, timeout=1)
            except (TimeoutError, nats.errors.ConnectionClosedError):
                continue  # nothing new within the second (nats-py raises either timeout)
            except nats.errors.Error:
                await asyncio.sleep(1)  # NATS is away: the client reconnects by itself
                continue
            for msg in messages:
                event = json.loads(msg.data)
                if event["policy_id"] in policies:
                    handle(event, dict(msg.headers or {}))
                await msg.ack()  # after handling: a crash before it means a redelivery
    finally:
        await client.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nats", required=True, help="nats://user:password@host:port")
    parser.add_argument("--gateway", help="the platform's URL, for the department's policies")
    parser.add_argument("--department", help="the department's code, e.g. HZ-HRSS")
    parser.add_argument("--policy", action="append", default=[], help="a policy id (repeat)")
    parser.add_argument("--durable", required=True, help="this subscriber's durable name")
    parser.add_argument("--from-time", type=dt.datetime.fromisoformat, help="replay from")
    parser.add_argument("--from-seq", type=int, help="replay from this stream sequence")
    parser.add_argument("--reset", action="store_true", help="forget the place, start over")
    args = parser.parse_args(argv)
    if not args.policy and not (args.gateway and args.department):
        parser.error("name the policies (--policy), or the gateway and the department")
    if args.from_time is not None and args.from_time.tzinfo is None:
        parser.error("--from-time needs its UTC offset, e.g. 2026-11-01T00:00:00+08:00")

    async def main_loop() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await run(args, stop)

    asyncio.run(main_loop())
    sys.exit(0)


if __name__ == "__main__":
    main()
