"""The benchmark harness, at a tiny load: it runs and writes a well-formed table.

No figure is asserted: timing lives in ``make bench``, never in a test.
"""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path

import asyncpg
import httpx
import pytest

from qinqing_devtools.bench import main as bench
from qinqing_devtools.bench.lean import lean_chain
from tests.support.servers import unique_suffix

pytestmark = pytest.mark.e2e


@pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="run once, in the SQLite pass (its own platform)"
)
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


async def test_the_lean_reference_does_the_flow_s_work(
    database_server: str | None, nats_url: str, tmp_path: Path
) -> None:
    """Each application through the lean hops: every hop answers, and the consumers take
    each event once (identity both audit records, catalog and subsidy the payout)."""
    if database_server is None:
        pytest.skip("the lean reference runs on PostgreSQL")
    lean = bench.LeanReference(tmp_path, nats_url, database_server)
    lean.prefix = "lean" + unique_suffix()
    await asyncio.to_thread(lean.start)
    try:
        plan = lean_chain({hop: lean.url(hop) for hop in bench.HOPS})
        headers = {"Authorization": f"Bearer {lean.caller_token()}"}
        async with httpx.AsyncClient(timeout=30, headers=headers) as http:
            answers = [await http.post(lean.url("gateway") + "/hop", json=plan) for _ in range(5)]
            refused = await http.post(
                lean.url("gateway") + "/hop", json=plan, headers={"Authorization": "Bearer x"}
            )
        assert [a.status_code for a in answers] == [200] * 5
        assert refused.status_code == 401
        consumed = {"identity": 10, "catalog": 5, "subsidy": 5}
        assert await heads(lean, consumed) == consumed
    finally:
        await asyncio.to_thread(lean.stop)
        await drop(database_server, lean.databases())


async def heads(lean: bench.LeanReference, expected: dict[str, int]) -> dict[str, int]:
    """Each consuming hop's count of events taken, once it reaches ``expected``."""
    found: dict[str, int] = {}
    for _ in range(100):
        for hop in expected:
            conn = await asyncpg.connect(lean.database_url(hop))
            try:
                found[hop] = int(await conn.fetchval("SELECT n FROM lean_head WHERE id = 1"))
            finally:
                await conn.close()
        if found == expected:
            break
        await asyncio.sleep(0.1)
    return found


async def drop(server: str, names: list[str]) -> None:
    conn = await asyncpg.connect(server.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        for name in names:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()
