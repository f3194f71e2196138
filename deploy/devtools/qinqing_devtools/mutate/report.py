"""The score of each target module, from the results mutmut keeps beside each mutant."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from qinqing_devtools.mutate.equivalents import EQUIVALENT
from qinqing_devtools.mutate.targets import GOAL, Group, Target

# mutmut's exit codes (mutmut.stats.status_by_exit_code): a test failed (1; 3 is an
# internal error of pytest), a mutant that hangs is stopped (timeouts), none failed (0),
# no test reached the mutated function (33, 5), not run yet (None)
KILLED = {1, 3}
TIMEOUT = {36, -24, 24, 152, 255}
SURVIVED = {0}
NO_TESTS = {33, 5}


@dataclass
class Score:
    target: Target
    killed: int = 0
    timeout: int = 0
    survived: int = 0
    no_tests: int = 0
    equivalent: int = 0
    other: int = 0  # not checked, skipped, interrupted

    @property
    def counted(self) -> int:
        """Mutants that count: every one but those judged equivalent."""
        return self.killed + self.timeout + self.survived + self.no_tests + self.other

    @property
    def score(self) -> float:
        return (self.killed + self.timeout) / self.counted if self.counted else 1.0

    @property
    def met(self) -> bool:
        return self.score >= GOAL and self.other == 0


def scores(workspace: Path, group: Group) -> tuple[list[Score], list[str]]:
    """Each of the group's targets scored, and its surviving mutants not judged
    equivalent."""
    out, alive = [], []
    for target in group.targets:
        meta = workspace / "mutants" / f"{target.flat}.meta"
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        score = Score(target)
        for name, code in sorted(codes.items()):
            if name in EQUIVALENT and code in SURVIVED | NO_TESTS:
                score.equivalent += 1
            elif code in KILLED:
                score.killed += 1
            elif code in TIMEOUT:
                score.timeout += 1
            elif code in SURVIVED | NO_TESTS:
                score.survived += code in SURVIVED
                score.no_tests += code in NO_TESTS
                alive.append(name)
            else:
                score.other += 1
        out.append(score)
    return out, alive


def timeouts(workspace: Path, group: Group) -> list[str]:
    """The group's mutants that were stopped for taking too long."""
    names = []
    for target in group.targets:
        meta = workspace / "mutants" / f"{target.flat}.meta"
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        names += [name for name, code in codes.items() if code in TIMEOUT]
    return sorted(names)


def stale_equivalents(workspaces: list[Path]) -> list[str]:
    """Mutants judged equivalent that no longer exist (their code changed)."""
    names: set[str] = set()
    for workspace in workspaces:
        for meta in (workspace / "mutants").rglob("*.meta"):
            names |= set(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
    return sorted(set(EQUIVALENT) - names)


def table(rows: list[Score]) -> str:
    """The per-module table, in Markdown (printed, and kept in docs/testing.md)."""
    lines = [
        "| module | area | mutants | killed | timeout | survived | no test | equivalent | score |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for s in rows:
        mark = "" if s.met else " ✗"
        lines.append(
            f"| `{s.target.module}` | {s.target.area} | {s.counted + s.equivalent} "
            f"| {s.killed} | {s.timeout} | {s.survived} | {s.no_tests} | {s.equivalent} "
            f"| {s.score:.0%}{mark} |"
        )
    total = Counter[str]()
    for s in rows:
        total.update(killed=s.killed + s.timeout, counted=s.counted)
    share = total["killed"] / total["counted"] if total["counted"] else 1.0
    lines.append(
        f"| **all** | | {sum(s.counted + s.equivalent for s in rows)} | "
        f"{sum(s.killed for s in rows)} | {sum(s.timeout for s in rows)} | "
        f"{sum(s.survived for s in rows)} | {sum(s.no_tests for s in rows)} | "
        f"{sum(s.equivalent for s in rows)} | {share:.0%} |"
    )
    return "\n".join(lines)


def equivalents() -> str:
    """The mutants judged equivalent and why, in Markdown (kept in docs/testing.md)."""
    return "\n".join(f"- `{name}`: {reason}." for name, reason in sorted(EQUIVALENT.items()))
