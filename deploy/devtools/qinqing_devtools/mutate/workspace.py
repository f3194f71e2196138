"""The flat copy of the repository that mutmut works in.

mutmut names a mutant after its file's path and puts ``mutants/`` first on
``sys.path``; both need each package at the top of the tree, where the repository has
them one level down (``payment-svc/payment_svc``). The workspace holds the packages with
a target, the tests, and the pytest and mutmut settings; the other packages are imported
as installed.
"""

from __future__ import annotations

import hashlib
import shutil
import tomllib
from pathlib import Path

from qinqing_devtools.mutate.targets import Group

IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.db", "*.db-*")


def sync(repo: Path, workspace: Path, group: Group) -> None:
    """Copy the group's packages and the tests over the workspace's (mutmut's results
    stay: a run after a change tests again what the change touched)."""
    workspace.mkdir(parents=True, exist_ok=True)
    for package, source in group.packages().items():
        _replace(repo / source, workspace / package)
    _replace(repo / "tests", workspace / "tests")
    (workspace / "pyproject.toml").write_text(settings(repo, group), encoding="utf-8")


def _replace(source: Path, target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, ignore=IGNORE)


def settings(repo: Path, group: Group) -> str:
    """pytest's settings as the repository has them, and mutmut's."""
    pytest_options = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "pytest"
    ]["ini_options"]
    lines = ["[tool.pytest.ini_options]"]
    for name in (
        "asyncio_mode",
        "asyncio_default_fixture_loop_scope",
        "asyncio_default_test_loop_scope",
        "markers",
        "filterwarnings",
    ):
        lines.append(f"{name} = {_toml(pytest_options[name])}")
    lines += [
        'addopts = "-p no:cacheprovider"',
        "",
        "[tool.mutmut]",
        f"source_paths = {_toml(sorted(group.packages()))}",
        f"only_mutate = {_toml([t.flat for t in group.targets])}",
        f"pytest_add_cli_args_test_selection = {_toml(list(group.tests))}",
        # a mutant that hangs is stopped after twice its tests' time (and 10 s)
        "timeout_multiplier = 2.0",
        "timeout_constant = 10.0",
        "",
    ]
    return "\n".join(lines)


def _toml(value: object) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    raise TypeError(f"no TOML for {value!r}")


def tests_digest(workspace: Path, group: Group) -> str:
    """A digest of the group's tests and of what they share (fixtures, support)."""
    digest = hashlib.sha256()
    tests = workspace / "tests"
    for path in sorted(tests.rglob("*.py")):
        relative = path.relative_to(workspace).as_posix()
        shared = "test_" not in path.name
        if shared or any(relative.startswith(t) for t in group.tests):
            digest.update(relative.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
