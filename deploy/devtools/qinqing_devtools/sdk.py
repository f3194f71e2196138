"""The typed Python client of the gateway's API (``make sdk``), generated from the
gateway's own OpenAPI document by openapi-python-client (pinned in constraints.txt)
into deploy/sdk/python/qinqing-client, and committed; ``tests/unit/test_sdk.py`` fails
while the committed client is not what the current API generates."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
CONFIG = ROOT / "deploy" / "sdk" / "openapi-python-client.yaml"
COMMITTED = ROOT / "deploy" / "sdk" / "python" / "qinqing-client"


def openapi_document() -> dict[str, Any]:
    """The gateway's OpenAPI document, as its app serves it at /openapi.json."""
    from qinqing_gateway.config import Settings
    from qinqing_gateway.main import create_app

    folder = Path(tempfile.mkdtemp())
    settings = Settings(keys_dir=folder, database_url=f"sqlite+aiosqlite:///{folder / 'x.db'}")
    document: dict[str, Any] = create_app(settings).openapi()
    return document


def generate(out: Path) -> Path:
    """The client generated into ``out`` (replaced); returns ``out``."""
    with tempfile.TemporaryDirectory() as scratch:
        document = Path(scratch) / "openapi.json"
        document.write_text(json.dumps(openapi_document(), indent=1), encoding="utf-8")
        generator = Path(sys.executable).parent / "openapi-python-client"
        command = [str(generator), "generate", "--path", str(document), "--config", str(CONFIG)]
        command += ["--meta", "setup", "--output-path", str(out), "--overwrite"]
        result = subprocess.run(command, capture_output=True, text=True, cwd=scratch)
        if result.returncode:
            raise RuntimeError(f"openapi-python-client failed:\n{result.stdout}{result.stderr}")
    return out


LEFT_BY_TOOLS = {"__pycache__", ".ruff_cache", ".mypy_cache", ".pytest_cache", "build"}


def files(folder: Path) -> dict[str, str]:
    """Every file of a generated client, by its path inside it (not what installing or
    checking it leaves beside: caches, egg-info)."""
    return {
        str(p.relative_to(folder)): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
        and not LEFT_BY_TOOLS & set(p.relative_to(folder).parts)
        and not any(part.endswith(".egg-info") for part in p.parts)
    }


def main() -> None:
    generate(COMMITTED)
    print(f"wrote {COMMITTED} ({len(files(COMMITTED))} files)")


if __name__ == "__main__":
    main()
