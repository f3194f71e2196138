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


def rows(configs: list[Any]) -> list[str]:
    lines = [
        "| config | system | saturation (req/s) | vs reference | "
        "p50 / p95 / p99 ms at 25% | at 50% | at 75% | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for config in configs:
        ref = config.reference
        for label, m in (("reference", ref), ("platform", config.platform)):
            loads = [m.at_load[share] for share in sorted(m.at_load)]
            cells = [
                f"{_ms(s.percentile(50))} / {_ms(s.percentile(95))} / "
                f"{_ms(s.percentile(99))} ({s.offered_rps:.1f}/s)"
                for s in loads
            ]
            errors = m.saturation.errors + sum(s.errors for s in loads)
            lines.append(
                f"| {config.name} | {label} | {m.saturation.throughput:.1f} | "
                f"{_ratio(m.saturation.throughput, ref.saturation.throughput)} | "
                + " | ".join(cells)
                + f" | {errors} |"
            )
    return lines


def targets(configs: list[Any]) -> list[str]:
    lines = ["| target | config | measured | met |", "|---|---|---|---|"]
    for config in configs:
        ref, real = config.reference, config.platform
        ratio = real.saturation.throughput / ref.saturation.throughput
        p99 = real.at_load[0.5].percentile(99) / ref.at_load[0.5].percentile(99)
        delivery = real.delivery_ms(0.5)
        d99 = delivery[max(0, int(len(delivery) * 0.99) - 1)] if delivery else float("nan")
        d50 = delivery[len(delivery) // 2] if delivery else float("nan")
        lines += [
            f"| throughput ≥ 0.5 × reference | {config.name} | {ratio:.2f}× | "
            f"{'yes' if ratio >= 0.5 else 'no'} |",
            f"| p99 at 50% ≤ 3 × reference's | {config.name} | {p99:.1f}× | "
            f"{'yes' if p99 <= 3 else 'no'} |",
            f"| event delivery p99 ≤ 50 ms (at 50% load) | {config.name} | p50 {_ms(d50)} "
            f"ms, p99 {_ms(d99)} ms ({len(delivery)} events) | {'yes' if d99 <= 50 else 'no'} |",
        ]
    return lines


def plot(configs: list[Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, len(configs), figsize=(6 * len(configs), 4), squeeze=False)
    for ax, config in zip(axes[0], configs, strict=True):
        for label, m in (("reference", config.reference), ("platform", config.platform)):
            shares = sorted(m.at_load)
            for p, style in ((50, "-"), (99, "--")):
                ax.plot(
                    [s * 100 for s in shares],
                    [m.at_load[s].percentile(p) for s in shares],
                    style,
                    marker="o",
                    label=f"{label} p{p}",
                )
        ax.set_title(f"{config.name}: latency against load")
        ax.set_xlabel("load, % of the reference chain's capacity")
        ax.set_ylabel("ms")
        ax.set_yscale("log")
        ax.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)


def write_report(configs: list[Any], out: Path) -> str:
    out.parent.mkdir(parents=True, exist_ok=True)
    picture = out.with_name("benchmarks-latency.png")
    plot(configs, picture)
    table = "\n".join(rows(configs))
    goals = "\n".join(targets(configs))
    history = ""
    if out.exists() and HISTORY in out.read_text(encoding="utf-8"):
        history = out.read_text(encoding="utf-8").split(HISTORY, 1)[1]
    text = (
        "# Benchmarks\n\n`make bench` measures the instant flow against a *reference chain*: "
        "the same hops, each a bare ASGI app making the same durable commits and "
        "acknowledged JetStream publishes as the real service at that hop, with the same "
        "HTTP client — the limit of the platform's shape on this machine. Ratios against "
        "the reference in the same run first, absolute figures second. Loads are open-loop "
        "(fixed arrival rate) at a share of the reference's saturation throughput.\n\n"
        f"Latest run: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {machine()}.\n\n"
        f"{table}\n\n{goals}\n\n![latency against load]({picture.name})\n\n"
        f"## History\n\n{HISTORY}{history or chr(10)}"
    )
    out.write_text(text, encoding="utf-8")
    return f"{table}\n\n{goals}"
