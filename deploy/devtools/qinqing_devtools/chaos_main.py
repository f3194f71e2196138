"""``make chaos``: the long fault run, on a platform, NATS and PostgreSQL of its own.

1. 1,000 enterprises ask at once for a budget that covers 300: exactly 300 are paid.
2. N applications (default 10,000) while, every few seconds, one of the six services,
   the sandbox bank, NATS or PostgreSQL is killed with SIGKILL and restarted.
3. Then, with no manual step: every application final, each paid once, debits equal
   credits, no budget below zero, outboxes drained, reconciliation clean.
4. M enterprises (default 200) registered by the departments themselves, each commits
   for an unknown housing fact and is paid, then the housing bureau's records break
   half of the commitments, while processes are killed: every commitment verified,
   each broken one clawed back exactly once, each kept one untouched
   (qinqing_devtools.chaos_commitments).
5. Human resources publishes a policy paid without applying over the whole demo city
   (``--enterprises``, default 20,000), with no notice period, while processes are
   killed: the run finishes, every eligible enterprise is paid exactly once, the book
   is clean (qinqing_devtools.chaos_proactive).
The figures are appended to docs/chaos.md with the seed that produced them.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import platform as host
import shutil
import signal
import sys
from pathlib import Path
from typing import Any

from qinqing_devtools import chaos, chaos_commitments, chaos_proactive
from qinqing_devtools.nats_server import free_port
from qinqing_devtools.platform import BANK, SERVICES, Platform
from qinqing_devtools.postgres_server import LocalPostgres, binaries

LEASES = {
    "GATEWAY_SWEEP_SECONDS": "1",
    "GATEWAY_STALE_SECONDS": "5",
    "GATEWAY_IDEMPOTENCY_LEASE_SECONDS": "10",
    "PAYMENT_IDEMPOTENCY_LEASE_SECONDS": "10",
    "PAYMENT_RESOLVE_EVERY_SECONDS": "1",
    "PAYMENT_RESOLVE_AFTER_SECONDS": "3",
    "GATEWAY_BUSINESS_DATE": "2026-09-01",
    "GATEWAY_PROACTIVE_PAY_CONCURRENCY": "16",
    "SANDBOX_BANK_DEV_ROUTES": "true",  # the bank's fault modes (operators only)
}


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="qinqing-chaos",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--kill-every", type=float, default=4.0)
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--enterprises", type=int, default=20_000, help="the demo city's size")
    parser.add_argument("--race-applicants", type=int, default=1000)
    parser.add_argument("--race-payouts", type=int, default=300)
    parser.add_argument(
        "--bank-applications",
        type=int,
        default=200,
        help="applications per bank fault mode (0: skip)",
    )
    parser.add_argument(
        "--commitments",
        type=int,
        default=200,
        help="enterprises in the ingest and commitments run (0: skip)",
    )
    parser.add_argument(
        "--no-proactive", action="store_true", help="skip the run paid without applying"
    )
    parser.add_argument("--no-postgres", action="store_true", help="SQLite files instead")
    parser.add_argument("--var", type=Path, default=Path("var/chaos"))
    parser.add_argument("--record", type=Path, default=Path("docs/chaos.md"))
    return parser.parse_args(argv)


async def scenario(
    platform: Platform, args: argparse.Namespace, postgres: LocalPostgres | None
) -> dict[str, Any]:
    race = await chaos.budget_race(platform, args.race_applicants, args.race_payouts)
    statuses = [a["status"] for a in race["answers"]]
    targets = [s.name for s in SERVICES] + [BANK, "nats"]
    controls = chaos.controls_for(platform, targets)
    if postgres is not None:
        controls["postgres"] = (postgres.kill, postgres.start)
    plan = chaos.Plan(
        applications=args.applications,
        seed=args.seed,
        kill_every=args.kill_every,
        concurrency=args.concurrency,
        settle_seconds=max(600.0, args.applications / 2),
    )
    city = json.loads(platform.dataset().read_text(encoding="utf-8"))
    usccs = [e["uscc"] for e in city["enterprises"][6:]]
    modes = chaos.BANK_MODES if args.bank_applications else ()
    # Each bank mode gets enterprises of its own that the long run never used, so its
    # applications are paid (and meet the fault) rather than refused as claimed already.
    main_usccs, bank_usccs = split_enterprises(usccs, len(modes), args.bank_applications)
    outcome = await chaos.run(platform, main_usccs, plan, controls)
    commitments = None
    if args.commitments:
        numbers = list(range(60_000, 60_000 + args.commitments))
        commitments = await chaos_commitments.run(
            platform,
            numbers,
            controls,
            seed=args.seed,
            kill_every=args.kill_every,
            settle_seconds=max(600.0, args.commitments * 3),
        )
    proactive = None
    if not args.no_proactive:
        proactive = await chaos_proactive.run(
            platform,
            controls,
            seed=args.seed,
            kill_every=args.kill_every,
            settle_seconds=max(1200.0, args.enterprises / 2),  # ~3 paid a second under kills
        )
    banks = {}
    for index, mode in enumerate(modes):
        mine = bank_usccs[index]
        bank_plan = chaos.Plan(
            applications=args.bank_applications,
            seed=args.seed + 1 + index,  # not the long run's seed: its keys would repeat
            kill_every=3600,
            concurrency=args.concurrency,
            settle_seconds=600,
        )
        banks[mode] = await chaos.bank_fault_run(platform, mine, mode, bank_plan, 10)
    problems = chaos.verdict(outcome) + [
        f"bank {mode}: {p}" for mode, o in banks.items() for p in chaos.verdict(o)
    ]
    if commitments is not None:
        problems += [f"commitments: {p}" for p in commitments.problems]
    if proactive is not None:
        problems += [f"proactive: {p}" for p in proactive.problems]
    return {
        "banks": banks,
        "commitments": commitments,
        "proactive": proactive,
        "problems": problems,
        "race": {
            "paid": statuses.count("paid"),
            "rejected": statuses.count("rejected"),
            "budget": race["budget"],
            "seconds": round(race["seconds"], 1),
        },
        "outcome": outcome,
    }


def split_enterprises(usccs: list[str], parts: int, size: int) -> tuple[list[str], list[list[str]]]:
    """The long run's enterprises, and ``parts`` disjoint groups of ``size`` after them.

    Each group keeps at most half of what is left, so the long run always has some.
    """
    size = min(size, len(usccs) // (2 * parts)) if parts else 0
    cut = len(usccs) - parts * size
    return usccs[:cut], [usccs[cut + i * size : cut + (i + 1) * size] for i in range(parts)]


def record(args: argparse.Namespace, result: dict[str, Any], database: str) -> str:
    outcome: chaos.Outcome = result["outcome"]
    kills = {name: outcome.kills.count(name) for name in sorted(set(outcome.kills))}
    race = result["race"]
    lines = [
        f"### {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC — seed {args.seed}",
        "",
        f"Machine: {host.machine()}, {host.system()} {host.release()}, Python "
        f"{host.python_version()}; database {database}; NATS with `sync_interval: always`.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| budget race: paid / rejected of {args.race_applicants} (budget for "
        f"{args.race_payouts}) | {race['paid']} / "
        f"{race['rejected']}, budget left {race['budget']['remaining_fen']} fen "
        f"({race['seconds']} s) |",
        f"| applications | {len(outcome.answers)} |",
        f"| paid / rejected / not final | {outcome.statuses['paid']} / "
        f"{outcome.statuses['rejected']} / "
        f"{len(outcome.answers) - outcome.statuses['paid'] - outcome.statuses['rejected']} |",
        f"| kills (SIGKILL, then restart) | {len(outcome.kills)}: "
        + ", ".join(f"{k} {n}" for k, n in kills.items())
        + " |",
        f"| run time | {outcome.seconds:.0f} s |",
        f"| time from the last kill to every answer final | {outcome.recovery_seconds:.1f} s |",
        f"| outboxes drained | {outcome.checks['outboxes_drained']} |",
        f"| ledger balanced | {outcome.checks['ledger_balanced']} |",
        f"| payout events / paid applications | {len(outcome.checks['payout_events'])} / "
        f"{outcome.statuses['paid']} (events cover earlier paid ones too) |",
        f"| reconciliation differences | {len(outcome.checks['differences'])} |",
        *commitment_rows(result["commitments"]),
        *proactive_rows(result["proactive"]),
        *[
            f"| bank `{mode}` for 10 s: paid / rejected of {len(o.answers)}, differences | "
            f"{o.statuses['paid']} / {o.statuses['rejected']}, "
            f"{len(o.checks['differences'])} |"
            for mode, o in result["banks"].items()
        ],
        f"| verdict | {'all promises kept' if not result['problems'] else result['problems']} |",
        "",
    ]
    return "\n".join(lines)


def commitment_rows(found: chaos_commitments.CommitmentOutcome | None) -> list[str]:
    if found is None:
        return []
    kills = ", ".join(f"{k} {found.kills.count(k)}" for k in sorted(set(found.kills)))
    return [
        f"| ingest and commitments: enterprises / paid / broken and clawed back once / "
        f"kept | {found.enterprises} / {found.paid} / {found.broken} / {found.kept} "
        f"({found.seconds:.0f} s; kills: {kills or 'none'}) |"
    ]


def proactive_rows(found: chaos_proactive.ProactiveOutcome | None) -> list[str]:
    if found is None:
        return []
    kills = ", ".join(f"{k} {found.kills.count(k)}" for k in sorted(set(found.kills)))
    applications = ", ".join(f"{k} {n}" for k, n in sorted(found.applications.items()))
    return [
        f"| paid without applying: enterprises evaluated / eligible / applications | "
        f"{found.evaluated} / {found.eligible} / {applications or 'none'} "
        f"({found.seconds:.0f} s; kills: {kills or 'none'}) |",
        f"| paid without applying: paid notices without exactly one payout event; budget "
        f"paid / decided | {len(found.paid_twice)}; {found.budget_paid_fen} / "
        f"{found.decided_fen} fen |",
    ]


def _stop_on_sigterm() -> None:
    """A run stopped with SIGTERM (``kill``, a CI timeout) stops its platform and its
    PostgreSQL too, as Ctrl-C does: raised as SystemExit, the ``finally`` below runs."""

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    _stop_on_sigterm()
    shutil.rmtree(args.var, ignore_errors=True)
    postgres = None
    if not args.no_postgres and binaries() is not None:
        postgres = LocalPostgres(args.var / "pg", free_port())
        postgres.init()
        postgres.start()
    platform = Platform(
        var=args.var,
        nats_url=f"nats://127.0.0.1:{free_port()}",
        database_server=postgres.url if postgres else None,
        enterprises=args.enterprises,
        ports={s.name: free_port() for s in SERVICES} | {BANK: free_port()},
        extra_env=LEASES,
    )
    try:
        platform.start()
        result = asyncio.run(scenario(platform, args, postgres))
    finally:
        platform.stop()
        if postgres is not None:
            postgres.stop()
    text = record(args, result, "PostgreSQL (own cluster)" if postgres else "SQLite")
    print(text)
    with args.record.open("a", encoding="utf-8") as out:
        out.write("\n" + text)
    sys.exit(1 if result["problems"] or result["race"]["paid"] != args.race_payouts else 0)


if __name__ == "__main__":
    main()
