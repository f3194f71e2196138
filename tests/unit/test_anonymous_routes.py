"""Every route either needs an access token or is on the one allow-list, never both."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest

from qinqing_devtools.platform import SERVICES
from qinqing_shared.auth.guard import authenticate
from qinqing_shared.auth.public import ANONYMOUS, OTHER_PROOF


def needs_token(dependant: Any) -> bool:
    if dependant is None:
        return False
    return dependant.call is authenticate or any(needs_token(d) for d in dependant.dependencies)


def routes(module: str, keys: Path) -> list[tuple[str, str, bool]]:
    main = importlib.import_module(f"{module}.main")
    config = importlib.import_module(f"{module}.config")
    app = main.create_app(
        config.Settings(keys_dir=keys, database_url=f"sqlite+aiosqlite:///{keys / 'x.db'}")
    )
    found = []
    for route in app.routes:
        contexts: Any = getattr(route, "effective_route_contexts", None)
        for entry in list(contexts()) if contexts is not None else [route]:
            guarded = needs_token(getattr(entry, "dependant", None))
            for method in getattr(entry, "methods", None) or ():
                if method != "HEAD":
                    found.append((method, str(entry.path), guarded))
    return found


@pytest.mark.parametrize("spec", SERVICES, ids=lambda s: s.name)
def test_a_route_is_anonymous_only_if_allow_listed(spec: Any, tmp_path: Path) -> None:
    wrong = [
        (method, path, "guarded" if guarded else "open")
        for method, path, guarded in routes(spec.module, tmp_path)
        if (method, path) not in OTHER_PROOF and guarded == ((method, path) in ANONYMOUS)
    ]
    assert wrong == []
