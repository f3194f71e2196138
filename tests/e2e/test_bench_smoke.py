"""The benchmark harness, at a tiny load: it runs and writes a well-formed table.

No figure is asserted: timing lives in ``make bench``, never in a test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qinqing_devtools.bench import main as bench

pytestmark = pytest.mark.e2e


def test_bench_writes_its_table_and_plot(tmp_path: Path) -> None:
    out = tmp_path / "docs" / "benchmarks.md"
    bench.main(
        [
            "--configs",
            "sqlite",
            "--seconds",
            "1",
            "--saturation-seconds",
            "2",
            "--concurrency",
            "4",
            "--enterprises",
            "200",
            "--var",
            str(tmp_path / "var"),
            "--out",
            str(out),
        ]
    )
    text = out.read_text(encoding="utf-8")
    number = r"\d+(\.\d+)?"
    for system in ("reference", "platform"):
        row = re.search(
            rf"^\| sqlite \| {system} \| ({number}) \| ({number})× \|.*\| (\d+) \|$",
            text,
            re.MULTILINE,
        )
        assert row, f"no {system} row in:\n{text}"
        # not a timing: the run paid applications, and nothing answered an error
        assert (float(row.group(1)) > 0, row.group(5)) == (True, "0"), row.group(0)
    assert "throughput ≥ 0.5 × reference" in text
    assert "event delivery p99 ≤ 50 ms" in text
    assert (out.parent / "benchmarks-latency.png").stat().st_size > 1000
    assert "## History" in text
