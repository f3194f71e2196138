"""Every route either needs an access token or is on the one allow-list, never both;
every route on the allow-list is rate-limited."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest

from qinqing_devtools.platform import SERVICES
from qinqing_shared.auth.guard import authenticate
from qinqing_shared.auth.public import ANONYMOUS, OTHER_PROOF
from qinqing_shared.ratelimit import limit_anonymous


def depends_on(dependant: Any, call: Any) -> bool:
    if dependant is None:
        return False
    return dependant.call is call or any(depends_on(d, call) for d in dependant.dependencies)


def routes(module: str, keys: Path) -> list[tuple[str, str, bool, bool]]:
    main = importlib.import_module(f"{module}.main")
    config = importlib.import_module(f"{module}.config")
    app = main.create_app(
        config.Settings(keys_dir=keys, database_url=f"sqlite+aiosqlite:///{keys / 'x.db'}")
    )
    found = []
    for route in app.routes:
        contexts: Any = getattr(route, "effective_route_contexts", None)
        for entry in list(contexts()) if contexts is not None else [route]:
            dependant = getattr(entry, "dependant", None)
            guarded = depends_on(dependant, authenticate)
            limited = depends_on(dependant, limit_anonymous)
            for method in getattr(entry, "methods", None) or ():
                if method != "HEAD":
                    found.append((method, str(entry.path), guarded, limited))
    return found


@pytest.mark.parametrize("spec", SERVICES, ids=lambda s: s.name)
def test_a_route_is_anonymous_only_if_allow_listed(spec: Any, tmp_path: Path) -> None:
    wrong = [
        (method, path, "guarded" if guarded else "open")
        for method, path, guarded, _ in routes(spec.module, tmp_path)
        if (method, path) not in OTHER_PROOF and guarded == ((method, path) in ANONYMOUS)
    ]
    assert wrong == []


@pytest.mark.parametrize("spec", SERVICES, ids=lambda s: s.name)
def test_every_anonymous_route_is_rate_limited(spec: Any, tmp_path: Path) -> None:
    unlimited = [
        (method, path)
        for method, path, _, limited in routes(spec.module, tmp_path)
        if (method, path) in ANONYMOUS and not limited
    ]
    assert unlimited == []
