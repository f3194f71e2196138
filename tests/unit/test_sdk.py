"""The typed client of the gateway's API is what the current API generates: a route or
a model changed without `make sdk` fails here."""

from __future__ import annotations

from pathlib import Path

from qinqing_devtools import sdk


def test_the_committed_client_is_generated_from_the_current_api(tmp_path: Path) -> None:
    fresh = sdk.files(sdk.generate(tmp_path / "qinqing-client"))
    committed = sdk.files(sdk.COMMITTED)
    assert sorted(fresh) == sorted(committed), "run make sdk and commit the result"
    stale = [path for path in fresh if fresh[path] != committed[path]]
    assert stale == [], "run make sdk and commit the result"
    assert "qinqing_client/api/webhooks/register_v1_webhooks_post.py" in committed
