"""The benchmark's table, its plot, and docs/benchmarks.md (history kept below a marker)."""

from __future__ import annotations

import datetime as dt
import os
import platform as host
from pathlib import Path
from typing import Any

HISTORY = "<!-- history: kept by the harness, written by people -->"


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (OSError, ValueError):
        memory = 0
    return (
        f"{os.cpu_count()} cores ({model}), {memory:.0f} GiB, {host.system()} "
        f"{host.release()}, Python {host.python_version()}"
    )


def _ms(value: float) -> str:
    return "–" if value != value else f"{value:.0f}"  # NaN: nothing measured


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "–"


def systems(config: Any) -> list[tuple[str, Any]]:
    found = [
        ("lean reference", config.lean),
        ("reference", config.reference),
        ("platform", config.platform),
    ]
    return [(label, m) for label, m in found if m is not None]


def _count(m: Any, key: str) -> str:
    value = m.per_app.get(key)
    return "–" if value is None else f"{value:.1f}"


def rows(configs: list[Any]) -> list[str]:
    lines = [
        "| config | system | saturation (req/s) | vs base | machine CPU ms / app | "
        "commits / publishes / hops per app | p50 / p95 / p99 ms at 25% | at 50% | at 75% "
        "| errors |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for config in configs:
        base = config.base
        for label, m in systems(config):
            loads = [m.at_load[share] for share in sorted(m.at_load)]
            cells = [_latencies(s) for s in loads]
            errors = m.saturation.errors + sum(s.errors for s in loads)
            counts = " / ".join(_count(m, key) for key in ("commits", "publishes", "hops"))
            lines.append(
                f"| {config.name} | {label} | {m.saturation.throughput:.1f} | "
                f"{_ratio(m.saturation.throughput, base.saturation.throughput)} | "
                f"{m.cpu_ms.get('machine', float('nan')):.1f} | {counts} | "
                + " | ".join(cells)
                + f" | {errors} |"
            )
    return lines


def _latencies(s: Any) -> str:
    if s.over_capacity:
        return f"over capacity ({s.offered_rps:.1f}/s)"
    return (
        f"{_ms(s.percentile(50))} / {_ms(s.percentile(95))} / "
        f"{_ms(s.percentile(99))} ({s.offered_rps:.1f}/s)"
    )


def _p99_ratio(real: Any, base: Any, most: float) -> tuple[str, bool]:
    """The platform's p99 at 50% of the base's capacity against the base's, and whether
    it is at most ``most`` times it (never when the load was over its capacity)."""
    if real.at_load[0.5].over_capacity:
        return "over capacity", False
    ratio = real.at_load[0.5].percentile(99) / base.at_load[0.5].percentile(99)
    return f"{ratio:.1f}×", ratio <= most


def _group(name: str) -> str:
    return name.removesuffix("-svc").removeprefix("sandbox-")


CPU_GROUPS = (
    "gateway", "identity", "catalog", "subsidy", "credit", "payment", "bank",
    "postgres", "nats", "driver", "machine",
)  # fmt: skip


def cpu_rows(configs: list[Any]) -> list[str]:
    """CPU ms per successful application, by process, during saturation."""
    lines = [
        "| config | system | " + " | ".join(CPU_GROUPS) + " |",
        "|---|---|" + "---|" * len(CPU_GROUPS),
    ]
    for config in configs:
        for label, m in systems(config):
            spent = {_group(name): ms for name, ms in m.cpu_ms.items()}
            cells = [f"{spent[g]:.1f}" if g in spent else "–" for g in CPU_GROUPS]
            lines.append(f"| {config.name} | {label} | " + " | ".join(cells) + " |")
    return lines


def _delivery(m: Any) -> tuple[float, float, int]:
    delivery = m.delivery_ms(0.5)
    d99 = delivery[max(0, int(len(delivery) * 0.99) - 1)] if delivery else float("nan")
    d50 = delivery[len(delivery) // 2] if delivery else float("nan")
    return d50, d99, len(delivery)


def _yes(ok: bool) -> str:
    return "yes" if ok else "no"


def targets(configs: list[Any]) -> list[str]:
    lines = ["| target | config | measured | met |", "|---|---|---|---|"]
    for config in configs:
        real, name = config.platform, config.name
        d50, d99, events = _delivery(real)
        seen = f"p50 {_ms(d50)} ms, p99 {_ms(d99)} ms ({events} events)"
        if real.at_load[0.5].over_capacity:
            seen = "not measured: the platform is over capacity at that load"
        delivery = (
            f"| event delivery p99 ≤ 50 ms (at 50% load) | {name} | {seen} | {_yes(d99 <= 50)} |"
        )
        if config.lean is None:
            ref = config.reference
            ratio = real.saturation.throughput / ref.saturation.throughput
            p99, within = _p99_ratio(real, ref, 3)
            lines += [
                f"| throughput ≥ 0.5 × reference | {name} | {ratio:.2f}× | {_yes(ratio >= 0.5)} |",
                f"| p99 at 50% ≤ 3 × reference's | {name} | {p99} | {_yes(within)} |",
                delivery,
            ]
            continue
        lean = config.lean
        lean_rate, lean_cpu = lean.saturation.throughput, lean.cpu_ms.get("machine", 0.0)
        ratio = real.saturation.throughput / lean_rate
        cpu = real.cpu_ms.get("machine", 0.0) / lean_cpu if lean_cpu else float("nan")
        p99, p99_met = _p99_ratio(real, lean, 2)
        counts = lean_rate >= 70 and lean_cpu <= 30
        lines += [
            f"| lean reference counts: ≥ 70 paid/s at ≤ 30 ms machine CPU | {name} | "
            f"{lean_rate:.1f}/s at {lean_cpu:.1f} ms | {_yes(counts)} |",
            f"| throughput ≥ 0.6 × lean | {name} | {ratio:.2f}× | {_yes(ratio >= 0.6)} |",
            f"| machine CPU per app ≤ 1.5 × lean's | {name} | {cpu:.2f}× | {_yes(cpu <= 1.5)} |",
            f"| p99 at 50% of lean's capacity ≤ 2 × lean's | {name} | {p99} | {_yes(p99_met)} |",
            delivery,
        ]
    return lines


def plot(configs: list[Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, len(configs), figsize=(6 * len(configs), 4), squeeze=False)
    for ax, config in zip(axes[0], configs, strict=True):
        for label, m in systems(config):
            shares = sorted(m.at_load)
            for p, style in ((50, "-"), (99, "--")):
                ax.plot(
                    [s * 100 for s in shares],
                    [m.at_load[s].percentile(p) for s in shares],
                    style,
                    marker="o",
                    label=f"{label} p{p}",
                )
        base = "lean reference" if config.lean is not None else "reference chain"
        ax.set_title(f"{config.name}: latency against load")
        ax.set_xlabel(f"load, % of the {base}'s capacity")
        ax.set_ylabel("ms")
        ax.set_yscale("log")
        ax.legend(fontsize="small")
    figure.tight_layout()
    figure.savefig(path, dpi=100)


def write_report(configs: list[Any], out: Path) -> str:
    out.parent.mkdir(parents=True, exist_ok=True)
    picture = out.with_name("benchmarks-latency.png")
    plot(configs, picture)
    table = "\n".join(rows(configs))
    cpu = "\n".join(cpu_rows(configs))
    goals = "\n".join(targets(configs))
    history = ""
    if out.exists() and HISTORY in out.read_text(encoding="utf-8"):
        history = out.read_text(encoding="utf-8").split(HISTORY, 1)[1]
    text = (
        "# Benchmarks\n\n`make bench` measures the instant flow against two references, "
        "in the same run. The *lean reference* (PostgreSQL) is the flow's shape on the "
        "leanest stack measured here: the same seven processes, hops, commits, "
        "acknowledged publishes, token checks, signatures and inbox consumers, on aiohttp, "
        "raw asyncpg with prepared statements, orjson and uvloop "
        "(`qinqing_devtools/bench/lean.py`): the shape's real limit on this machine. The "
        "*reference chain* is the same hops built from the platform's own parts (FastAPI, "
        "SQLAlchemy sessions, httpx): the difference between the two is the stack's cost. "
        "Ratios against the base (the lean reference where it runs, else the reference "
        "chain) first, absolute figures second. Loads are open-loop (fixed arrival rate) "
        "at a share of the base's saturation throughput. CPU, commits and publishes are "
        "measured during saturation and divided by the applications paid.\n\n"
        f"Latest run: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {machine()}.\n\n"
        f"{table}\n\nCPU ms per paid application, by process (saturation):\n\n{cpu}\n\n"
        f"{goals}\n\n![latency against load]({picture.name})\n\n"
        f"## History\n\n{HISTORY}{history or chr(10)}"
    )
    out.write_text(text, encoding="utf-8")
    return f"{table}\n\n{cpu}\n\n{goals}"
