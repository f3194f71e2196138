"""``make mutate``: mutmut over the money path, one group of modules at a time.

Prints the per-module table (the share of mutants killed, against the goal) and the
surviving mutants; ``--write`` keeps the table in docs/testing.md. Each group works in
its own flat copy under ``var/mutate/``; a second run tests again only what changed
(``--fresh`` starts over). ``mutmut show NAME`` (in the group's directory) prints a
mutant's diff. Exit status 1 when a module is below the goal.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from qinqing_devtools.mutate import report, workspace
from qinqing_devtools.mutate.targets import GOAL, GROUPS, Group

REPO = Path(__file__).resolve().parents[4]
TABLE = "mutation table"
EQUIVALENTS = "equivalent mutants"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("groups", nargs="*", help=f"of {[g.name for g in GROUPS]}")
    parser.add_argument("--fresh", action="store_true", help="forget earlier results")
    parser.add_argument("--write", action="store_true", help="update docs/testing.md")
    parser.add_argument("--children", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    unknown = set(args.groups) - {g.name for g in GROUPS}
    if unknown:
        parser.error(f"no group {sorted(unknown)}")
    chosen = [g for g in GROUPS if not args.groups or g.name in args.groups]
    rows, alive = [], []
    for group in chosen:
        place = REPO / "var" / "mutate" / group.name
        started = time.monotonic()
        run(group, place, fresh=args.fresh, children=args.children)
        scored, survivors = report.scores(place, group)
        print(f"{group.name}: {time.monotonic() - started:.0f} s", flush=True)
        rows += scored
        alive += survivors
    text = report.table(rows)
    print(text)
    if alive:
        print(f"\n{len(alive)} mutants not killed (mutmut show NAME in var/mutate/GROUP):")
        print("\n".join(f"  {name}" for name in alive))
    stale = report.stale_equivalents([REPO / "var" / "mutate" / g.name for g in chosen])
    if stale and not args.groups:
        print("\njudged equivalent, but gone (judge again): " + ", ".join(stale))
    if args.write:  # the whole table, from every group's last results
        missing = [
            g.name for g in GROUPS if not (REPO / "var/mutate" / g.name / "mutants").exists()
        ]
        if missing:
            sys.exit(f"--write needs every group's results; not run yet: {missing}")
        every = [r for g in GROUPS for r in report.scores(REPO / "var/mutate" / g.name, g)[0]]
        doc = REPO / "docs" / "testing.md"
        write_between(doc, TABLE, report.table(every))
        write_between(doc, EQUIVALENTS, report.equivalents())
    below = [r.target.module for r in rows if not r.met]
    if below:
        print(f"\nbelow {GOAL:.0%}: {', '.join(below)}")
        sys.exit(1)


def run(group: Group, place: Path, *, fresh: bool, children: int) -> None:
    """mutmut over the group: mutants of changed code are tested; when the group's
    tests changed, mutmut learns again which tests reach which function, and the
    mutants that survived (or that no test reached) are tested again."""
    if fresh:
        shutil.rmtree(place, ignore_errors=True)
    workspace.sync(REPO, place, group)
    digest, seen = workspace.tests_digest(place, group), place / "tests.sha256"
    tested_before = (place / "mutants").exists()
    changed = tested_before and (not seen.exists() or seen.read_text() != digest)
    if changed:
        (place / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
    _mutmut(group, place, children)
    if changed and (alive := report.scores(place, group)[1]):
        _mutmut(group, place, children, *alive)
    if hung := report.timeouts(place, group):  # once more, alone: a busy machine is slow
        _mutmut(group, place, 1, *hung)
    seen.write_text(digest, encoding="utf-8")


def _mutmut(group: Group, place: Path, children: int, *names: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("NATS_URL", "DATABASE_URL")}
    # each test session starts its own NATS (mutants run side by side), on SQLite
    mutmut = Path(sys.executable).parent / "mutmut"
    log = place / "mutmut.log"  # mutmut redraws a progress line per mutant: kept apart
    with log.open("w", encoding="utf-8") as out:
        result = subprocess.run(
            [str(mutmut), "run", "--max-children", str(children), *names],
            cwd=place,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        )
    if result.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-4000:]
        sys.exit(f"mutmut failed on {group.name} (all of it in {log}):\n{tail}")


def write_between(path: Path, marker: str, text: str) -> None:
    """Replace what is between the marker's begin and end comments in ``path``."""
    begin, end = f"<!-- {marker}: begin -->", f"<!-- {marker}: end -->"
    doc = path.read_text(encoding="utf-8")
    head, found, rest = doc.partition(begin)
    if not found:
        raise SystemExit(f"{path} has no {begin!r}")
    _, _, tail = rest.partition(end)
    path.write_text(f"{head}{begin}\n{text}\n{end}{tail}", encoding="utf-8")


if __name__ == "__main__":
    main()
