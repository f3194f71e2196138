"""The schemas deploy/ is validated against offline (tests/unit/test_deploy_schemas.py),
vendored into deploy/schemas/ from the projects' public sources, and how to read them
again from a checkout of each (a newer release, a newer chart):

    python -m qinqing_devtools.schemas --compose-spec DIR --cloudnative-pg DIR --nats-k8s DIR

Each DIR is a git checkout (a bare one will do); the file is read at its HEAD, and
deploy/schemas/SOURCES.json records the repository, path, commit and what was done to it.
The Compose Specification's schema and the NATS chart's default values are copied as
they are; from CloudNativePG's CustomResourceDefinition only the `Cluster` v1 schema is
kept, without its `description` texts (a quarter of the size without that prose).
"""

from __future__ import annotations

import argparse
import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[3]
SCHEMAS = ROOT / "deploy" / "schemas"


@dataclass(frozen=True)
class Source:
    option: str
    repository: str
    path: str
    target: str
    licence: str
    change: str
    convert: Callable[[str], str]


def without_descriptions(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: without_descriptions(v) for k, v in node.items() if k != "description"}
    if isinstance(node, list):
        return [without_descriptions(v) for v in node]
    return node


def cluster_schema(crd_text: str) -> str:
    crd = yaml.safe_load(crd_text)
    version = next(v for v in crd["spec"]["versions"] if v["name"] == "v1")
    schema = without_descriptions(version["schema"]["openAPIV3Schema"])
    return json.dumps(schema, indent=1, sort_keys=True) + "\n"


def as_is(text: str) -> str:
    return text


SOURCES = [
    Source(
        "compose_spec",
        "https://github.com/compose-spec/compose-spec",
        "schema/compose-spec.json",
        "compose-spec.json",
        "Apache-2.0",
        "none",
        as_is,
    ),
    Source(
        "cloudnative_pg",
        "https://github.com/cloudnative-pg/cloudnative-pg",
        "config/crd/bases/postgresql.cnpg.io_clusters.yaml",
        "cnpg-cluster-v1.json",
        "Apache-2.0",
        "the openAPIV3Schema of version v1 only, as JSON, without description texts",
        cluster_schema,
    ),
    Source(
        "nats_k8s",
        "https://github.com/nats-io/k8s",
        "helm/charts/nats/values.yaml",
        "nats-chart-values.yaml",
        "Apache-2.0",
        "none",
        as_is,
    ),
]


def git(checkout: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(checkout), *args], check=True, capture_output=True, text=True
    ).stdout


def vendor(checkouts: dict[str, Path], into: Path = SCHEMAS) -> list[dict[str, str]]:
    into.mkdir(parents=True, exist_ok=True)
    records = []
    for source in SOURCES:
        checkout = checkouts[source.option]
        commit = git(checkout, "rev-parse", "HEAD").strip()
        text = git(checkout, "show", f"{commit}:{source.path}")
        (into / source.target).write_text(source.convert(text))
        records.append(
            {
                "file": source.target,
                "repository": source.repository,
                "path": source.path,
                "commit": commit,
                "licence": source.licence,
                "changed": source.change,
            }
        )
    (into / "SOURCES.json").write_text(json.dumps(records, indent=2) + "\n")
    return records


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="schemas", description=__doc__.split("\n")[0])
    for source in SOURCES:
        parser.add_argument("--" + source.option.replace("_", "-"), type=Path, required=True)
    args = vars(parser.parse_args(argv))
    for record in vendor({s.option: args[s.option] for s in SOURCES}):
        print(f"{record['file']}: {record['repository']} {record['path']} @ {record['commit']}")


if __name__ == "__main__":
    main()
