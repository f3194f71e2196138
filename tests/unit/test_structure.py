"""Rules of the code's structure that a test can hold (CONTRIBUTING.md, "Conventions").

Every transaction goes through the unit of work (``qinqing_shared.uow``): no service
module, and no module of the common library besides the unit of work and the engine
itself, opens a session or a connection of its own.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = [
    ROOT / "shared" / "qinqing_shared",
    ROOT / "gateway" / "qinqing_gateway",
    ROOT / "identity-svc" / "identity_svc",
    ROOT / "catalog-svc" / "catalog_svc",
    ROOT / "subsidy-svc" / "subsidy_svc",
    ROOT / "credit-svc" / "credit_svc",
    ROOT / "payment-svc" / "payment_svc",
]
# The unit of work, the engine it opens sessions on, and schema migrations (Alembic).
ALLOWED = {
    ROOT / "shared" / "qinqing_shared" / "uow.py",
    ROOT / "shared" / "qinqing_shared" / "db.py",
    ROOT / "shared" / "qinqing_shared" / "migrations.py",
}
OPENERS = {"async_sessionmaker", "AsyncSession", "create_async_engine", "sessionmaker"}
DATABASE_DOORS = {"sessionmaker", "autocommit", "engine"}  # Database's own attributes


def modules() -> list[Path]:
    found = []
    for package in PACKAGES:
        for path in sorted(package.rglob("*.py")):
            if path not in ALLOWED and "migrations" not in path.relative_to(package).parts:
                found.append(path)
    return found


def ways_in(tree: ast.AST) -> list[str]:
    """Where a module opens a session or connection itself (name and line)."""
    found = []
    for node in ast.walk(tree):
        called = node.func if isinstance(node, ast.Call) else None
        if isinstance(called, ast.Name) and called.id in OPENERS:
            found.append(f"{called.id}() at line {node.lineno}")
        if isinstance(node, ast.Attribute) and node.attr in DATABASE_DOORS:
            found.append(f".{node.attr} at line {node.lineno}")
    return found


def test_the_scan_finds_every_way_in() -> None:
    """The rule's own check: each way of opening a transaction by hand is caught."""
    code = """
async def f(db, engine):
    async with db.sessionmaker() as s, s.begin(): ...
    async with db.autocommit() as s: ...
    async with db.engine.connect() as c: ...
    AsyncSession(bind=engine)
    async_sessionmaker(engine)
"""
    assert len(ways_in(ast.parse(code))) == 5


def test_the_allowed_modules_exist() -> None:
    assert all(path.exists() for path in ALLOWED)
    assert len(modules()) > 60


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_opens_a_transaction_but_through_the_unit_of_work(path: Path) -> None:
    found = ways_in(ast.parse(path.read_text(encoding="utf-8")))
    assert not found, f"{path.relative_to(ROOT)} opens its own: {found} (use qinqing_shared.uow)"
