"""``make profile``'s reading of py-spy's raw output."""

from __future__ import annotations

from pathlib import Path

from qinqing_devtools.bench.profile import summarise

SITE = "/v/lib/python3.11/site-packages"
MAIN = "main (/w/gateway/qinqing_gateway/cli.py:19)"
REQUEST = "request (/w/shared/qinqing_shared/http.py:27)"
RAW = "\n".join(
    [
        f"{MAIN};{REQUEST};send ({SITE}/httpx/_client.py:1629) 30",
        f"{MAIN};execute ({SITE}/sqlalchemy/orm/session.py:2555) 50",
        f"{MAIN} 20",
        "broken frame name (",
    ]
)


def test_own_and_inclusive_time(tmp_path: Path) -> None:
    raw = tmp_path / "gateway.txt"
    raw.write_text(RAW, encoding="utf-8")
    profile = summarise(raw)
    assert profile.total == 100  # the line that is not a sample is skipped
    assert profile.own_by_package == {"sqlalchemy": 50, "httpx": 30, "qinqing_gateway": 20}
    assert profile.own_by_frame["execute (sqlalchemy/orm/session.py:2555)"] == 50
    ours = {frame.split(" (")[0]: n for frame, n in profile.ours.items()}
    assert ours == {"main": 100, "request": 30}
