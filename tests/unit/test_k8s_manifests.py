"""deploy/k8s validated offline: every core resource against Kubernetes's own schemas
(kubernetes-validate, strict: an unknown field fails), and the manifests against the
platform they deploy (ports, probes, the Secrets the stack's setup makes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from qinqing_devtools import stack
from qinqing_devtools.platform import BANK, SERVICES

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
KUBERNETES = "1.30"
# kinds of the operators' CRDs: not in Kubernetes's schemas (tests/unit/test_deploy_schemas.py)
CUSTOM = {("postgresql.cnpg.io/v1", "Cluster")}


def documents() -> list[dict[str, Any]]:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    docs = []
    for resource in kustomization["resources"]:
        docs += [d for d in yaml.safe_load_all((K8S / resource).read_text()) if d]
    return docs


def named(kind: str, name: str) -> dict[str, Any]:
    return next(d for d in documents() if d["kind"] == kind and d["metadata"]["name"] == name)


def test_the_kustomization_names_every_manifest_of_the_folder() -> None:
    listed = set(yaml.safe_load((K8S / "kustomization.yaml").read_text())["resources"])
    files = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml", "nats-values.yaml"}
    assert listed == files


@pytest.mark.parametrize(
    "doc",
    [d for d in documents() if (d["apiVersion"], d["kind"]) not in CUSTOM],
    ids=lambda d: f"{d['kind']}/{d['metadata']['name']}",
)
def test_each_core_resource_is_valid_kubernetes(doc: dict[str, Any]) -> None:
    kubernetes_validate.validate(doc, KUBERNETES, strict=True)


def test_a_misspelt_field_is_refused() -> None:  # the check above can fail
    service = named("Service", "gateway")
    broken = service | {"spec": service["spec"] | {"selectr": {}}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES, strict=True)


@pytest.mark.parametrize("spec", SERVICES, ids=lambda s: s.name)
def test_each_service_runs_as_the_platform_wires_it(spec: Any) -> None:
    pod = named("Deployment", spec.name)["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert container["args"][-2:] == ["--port", str(spec.port)]
    assert container["ports"] == [{"name": "http", "containerPort": spec.port}]
    assert container["envFrom"] == [{"secretRef": {"name": f"{spec.name}-settings"}}]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    service = named("Service", spec.name)["spec"]
    assert service["ports"][0]["port"] == spec.port
    assert named("HorizontalPodAutoscaler", spec.name)["spec"]["minReplicas"] >= 2
    assert named("PodDisruptionBudget", spec.name)["spec"]["minAvailable"] == 1


@pytest.mark.parametrize("spec", SERVICES, ids=lambda s: s.name)
def test_every_instance_of_a_service_signs_with_the_same_keys(spec: Any) -> None:
    pod = named("Deployment", spec.name)["spec"]["template"]["spec"]
    mounts = {m["name"]: m["mountPath"] for m in pod["containers"][0]["volumeMounts"]}
    secrets = {v["name"]: v["secret"]["secretName"] for v in pod["volumes"] if "secret" in v}
    rings = [ring for ring, _ in stack.KEY_RINGS[spec.name]]
    assert sorted(secrets.values()) == sorted(f"{spec.name}-keys-{r}" for r in rings)
    for volume, secret in secrets.items():
        ring = secret.removeprefix(f"{spec.name}-keys-")
        assert mounts[volume] == f"/var/lib/qinqing/keys/{ring}"


def test_the_setup_makes_every_secret_the_manifests_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QINQING_DEMO_ENTERPRISES", "5")
    made = stack.k8s_secrets(tmp_path)
    for secret in made:
        kubernetes_validate.validate(secret, KUBERNETES, strict=True)
    names = {s["metadata"]["name"] for s in made}
    wanted = set()
    for doc in documents():
        if doc["kind"] not in ("Deployment", "Job"):
            continue
        pod = doc["spec"]["template"]["spec"]
        for container in pod.get("initContainers", []) + pod["containers"]:
            wanted |= {e["secretRef"]["name"] for e in container.get("envFrom", [])}
        wanted |= {v["secret"]["secretName"] for v in pod.get("volumes", []) if "secret" in v}
    assert wanted - names == {"postgres-superuser"}  # CloudNativePG's own
    setup = next(s for s in made if s["metadata"]["name"] == "qinqing-setup")["stringData"]
    job = named("Job", "qinqing-migrate")["spec"]["template"]["spec"]
    items = [i["key"] for v in job["volumes"] if "secret" in v for i in v["secret"]["items"]]
    assert set(items) - {"password"} == set(setup)  # every file migrate reads, no other
    settings = next(s for s in made if s["metadata"]["name"] == "payment-svc-settings")
    assert settings["stringData"]["PAYMENT_DATABASE_URL"].startswith("postgresql+asyncpg://")
    assert {f"{p}-settings" for p in [s.name for s in SERVICES] + [BANK]} <= names


def test_postgres_is_a_three_instance_cluster_with_a_synchronous_standby() -> None:
    cluster = named("Cluster", "postgres")["spec"]
    assert (cluster["instances"], cluster["minSyncReplicas"]) == (3, 1)
    assert cluster["enableSuperuserAccess"] is True  # the migrations job's secret


def test_nats_is_a_three_node_jetstream_cluster_syncing_every_write() -> None:
    values = yaml.safe_load((K8S / "nats-values.yaml").read_text())["config"]
    assert values["cluster"] == {"enabled": True, "replicas": 3}
    assert values["jetstream"]["merge"] == {"sync_interval": "always"}
    replicas = [
        e
        for spec in SERVICES
        for e in named("Deployment", spec.name)["spec"]["template"]["spec"]["containers"][0]["env"]
    ]
    assert {e["value"] for e in replicas if e["name"].endswith("_STREAM_REPLICAS")} == {"3"}
