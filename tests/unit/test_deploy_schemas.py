"""deploy/ against the schemas of what reads it, vendored in deploy/schemas/ from the
projects' public sources (SOURCES.json; qinqing_devtools.schemas reads them again): the
compose files against the Compose Specification, the PostgreSQL `Cluster` against
CloudNativePG's CustomResourceDefinition (strict, as `kubectl apply` with field
validation refuses an unknown field), the NATS values against the chart's own defaults
(the chart ships no schema: a key it does not have is a key it ignores)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "deploy" / "schemas"
COMPOSE_FILES = ["compose.yaml", "compose.test.yaml"]


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def refusals(validator: jsonschema.protocols.Validator, document: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


# -- compose --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose_spec() -> jsonschema.protocols.Validator:
    schema = json.loads((SCHEMAS / "compose-spec.json").read_text())
    return jsonschema.Draft7Validator(schema)


@pytest.mark.parametrize("name", COMPOSE_FILES)
def test_each_compose_file_follows_the_compose_specification(
    compose_spec: jsonschema.protocols.Validator, name: str
) -> None:
    assert refusals(compose_spec, load(ROOT / "deploy" / name)) == []


def test_a_misspelt_compose_key_is_refused(compose_spec: jsonschema.protocols.Validator) -> None:
    stack = load(ROOT / "deploy" / "compose.yaml")
    stack["services"]["gateway"]["healthchek"] = stack["services"]["gateway"].pop("healthcheck")
    assert refusals(compose_spec, stack) == [
        "['services', 'gateway']: 'healthchek' does not match any of the regexes: '^x-'"
    ]


# -- CloudNativePG ----------------------------------------------------------------------


def strict(node: Any) -> Any:
    """The CRD's structural schema with unknown fields refused wherever the operator does
    not keep them (`x-kubernetes-preserve-unknown-fields`) or name their schema."""
    if isinstance(node, list):
        return [strict(v) for v in node]
    if not isinstance(node, dict):
        return node
    tight = {k: strict(v) for k, v in node.items()}
    open_ = tight.get("x-kubernetes-preserve-unknown-fields") or "additionalProperties" in tight
    if "properties" in tight and not open_:
        tight["additionalProperties"] = False
    return tight


@pytest.fixture(scope="module")
def cluster_schema() -> jsonschema.protocols.Validator:
    schema = json.loads((SCHEMAS / "cnpg-cluster-v1.json").read_text())
    return jsonschema.Draft7Validator(strict(schema))


@pytest.fixture(scope="module")
def cluster() -> dict[str, Any]:
    loaded: dict[str, Any] = load(ROOT / "deploy" / "k8s" / "postgres-cluster.yaml")
    return loaded


def test_the_postgres_cluster_follows_cloudnative_pgs_schema(
    cluster_schema: jsonschema.protocols.Validator, cluster: dict[str, Any]
) -> None:
    assert (cluster["apiVersion"], cluster["kind"]) == ("postgresql.cnpg.io/v1", "Cluster")
    assert refusals(cluster_schema, cluster) == []


def test_a_misspelt_or_mistyped_cluster_field_is_refused(
    cluster_schema: jsonschema.protocols.Validator, cluster: dict[str, Any]
) -> None:
    wrong = copy.deepcopy(cluster)
    wrong["spec"]["storage"]["sise"] = wrong["spec"]["storage"].pop("size")
    wrong["spec"]["instances"] = "3"
    assert sorted(refusals(cluster_schema, wrong)) == [
        "['spec', 'instances']: '3' is not of type 'integer'",
        "['spec', 'storage']: Additional properties are not allowed ('sise' was unexpected)",
    ]


def test_the_operators_open_maps_stay_open(
    cluster_schema: jsonschema.protocols.Validator, cluster: dict[str, Any]
) -> None:
    """postgresql.parameters is a map of any PostgreSQL setting: strict() leaves it be."""
    more = copy.deepcopy(cluster)
    more["spec"]["postgresql"]["parameters"]["work_mem"] = "8MB"
    assert refusals(cluster_schema, more) == []


# -- NATS Helm chart --------------------------------------------------------------------


def unknown_keys(values: Any, defaults: Any, at: str = "") -> list[str]:
    """Where `values` leaves the chart's defaults: a key the chart does not have, or a
    value of another kind. An empty map in the defaults (merge, env, ...) is free-form;
    a null default takes any value."""
    if defaults is None:
        return []
    if isinstance(defaults, dict):
        if not isinstance(values, dict):
            return [f"{at}: a map in the chart"]
        if not defaults:
            return []
        found = []
        for key, value in values.items():
            if key not in defaults:
                found.append(f"{at}.{key}: not a value of the chart")
            else:
                found += unknown_keys(value, defaults[key], f"{at}.{key}")
        return found
    kinds = (list,) if isinstance(defaults, list) else (bool,) if defaults in (True, False) else ()
    if kinds and not isinstance(values, kinds):
        return [f"{at}: a {kinds[0].__name__} in the chart"]
    if not kinds and isinstance(values, (dict, list, bool)):
        return [f"{at}: a {type(defaults).__name__} in the chart"]
    return []


@pytest.fixture(scope="module")
def chart_defaults() -> dict[str, Any]:
    loaded: dict[str, Any] = load(SCHEMAS / "nats-chart-values.yaml")
    return loaded


def test_the_nats_values_are_all_values_of_the_chart(chart_defaults: dict[str, Any]) -> None:
    values = load(ROOT / "deploy" / "k8s" / "nats-values.yaml")
    assert unknown_keys(values, chart_defaults) == []


def test_a_value_the_chart_does_not_have_is_found(chart_defaults: dict[str, Any]) -> None:
    values = load(ROOT / "deploy" / "k8s" / "nats-values.yaml")
    values["config"]["jetstream"]["filestore"] = values["config"]["jetstream"].pop("fileStore")
    values["config"]["cluster"]["enabled"] = "yes"
    values["podDisruptionBudget"] = True
    assert unknown_keys(values, chart_defaults) == [
        ".config.cluster.enabled: a bool in the chart",
        ".config.jetstream.filestore: not a value of the chart",
        ".podDisruptionBudget: a map in the chart",
    ]


def test_every_vendored_schema_says_where_it_was_read() -> None:
    sources = json.loads((SCHEMAS / "SOURCES.json").read_text())
    assert {s["file"] for s in sources} == {p.name for p in SCHEMAS.iterdir()} - {"SOURCES.json"}
    assert all(len(s["commit"]) == 40 and s["repository"].startswith("https://") for s in sources)
