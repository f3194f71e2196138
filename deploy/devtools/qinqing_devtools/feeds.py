"""What the departments' systems do: send the facts each holds to identity-svc, as that
department (docs/data-exchange.md). The demo's enterprises are written as whole profiles
(demo.py); ``records`` splits one into the records each department would send.

A record's id is the department's own: here a digest of what it says, so sending the
same profile twice is a duplicate, and a changed fact is a new record.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from typing import Any

import httpx

from qinqing_shared.contracts.ingest import MAX_BATCH, OWNERS, FactKind

# The demo client of each department that sends facts (qinqing_devtools.clients).
CLIENTS = {
    "HZ-MSA": "msa-department",
    "HZ-PSB": "psb-department",
    "HZ-HRSS": "hrss-department",
    "HZ-EDU": "edu-department",
    "HZ-HOU": "housing-department",
    "HZ-TAX": "tax-department",
}
# The order facts reach the register in: persons and enterprises before what is about them.
ORDER = [
    FactKind.ENTERPRISE,
    FactKind.PERSON,
    FactKind.EMPLOYMENT,
    FactKind.SOCIAL_INSURANCE,
    FactKind.DEGREE,
    FactKind.HOME_OWNERSHIP,
    FactKind.TAX,
    FactKind.UNEMPLOYMENT_INSURANCE,
    FactKind.LEASE,
]
Records = dict[FactKind, list[dict[str, Any]]]


def record(kind: FactKind, data: dict[str, Any], as_of: dt.date) -> dict[str, Any]:
    content = json.dumps([kind.value, as_of.isoformat(), data], sort_keys=True, default=str)
    digest = hashlib.sha256(content.encode()).hexdigest()
    record_id = f"{kind.value}-{digest[:10]}-{digest[10:20]}"  # never 18 digits in a row
    return {"record_id": record_id, "as_of": as_of.isoformat(), "data": data}


def records(profiles: Iterable[dict[str, Any]], as_of: dt.date) -> Records:
    """Each department's records for these profiles, by kind (a kind none of them has is
    left out); a fact a profile leaves out (None or absent) is not sent: it stays
    unknown."""
    found: Records = {kind: [] for kind in ORDER}
    for profile in profiles:
        for kind, data in _facts(profile):
            found[kind].append(record(kind, data, as_of))
    return {kind: records for kind, records in found.items() if records}


def _facts(profile: dict[str, Any]) -> list[tuple[FactKind, dict[str, Any]]]:
    keys = ("uscc", "name", "status", "district_code", "industry_code", "registered_on")
    enterprise = {k: profile[k] for k in (*keys, "legal_representative", "bank_account")}
    facts = [(FactKind.ENTERPRISE, enterprise)]
    if profile.get("tax") is not None:  # none: the tax bureau has no return of it yet
        facts.append((FactKind.TAX, {"uscc": profile["uscc"], **profile["tax"]}))
    if profile.get("unemployment_insurance") is not None:  # none: HRSS has no record
        insured = {"uscc": profile["uscc"], **profile["unemployment_insurance"]}
        facts.append((FactKind.UNEMPLOYMENT_INSURANCE, insured))
    if profile.get("lease") is not None:  # none: housing has no registered lease
        facts.append((FactKind.LEASE, {"uscc": profile["uscc"], **profile["lease"]}))
    for person in profile["employees"]:
        facts += _person_facts(profile["uscc"], person)
    return facts


def _person_facts(uscc: str, person: dict[str, Any]) -> list[tuple[FactKind, dict[str, Any]]]:
    who = {"id_number": person["id_number"]}
    keys = ("name", "birth_date", "household_district")
    facts = [
        (FactKind.PERSON, who | {k: person[k] for k in keys}),
        (FactKind.EMPLOYMENT, who | {"uscc": uscc, "employed": True}),
    ]
    if person.get("social_insurance_months_in_city") is not None:
        months = person["social_insurance_months_in_city"]
        facts.append((FactKind.SOCIAL_INSURANCE, who | {"months_in_city": months}))
    if person.get("education") is not None:
        facts.append((FactKind.DEGREE, who | dict(person["education"])))
    if person.get("owns_home_in_city") is not None:
        home = {"owns_home_in_city": person["owns_home_in_city"]}
        facts.append((FactKind.HOME_OWNERSHIP, who | home))
    return facts


async def send(
    identity_url: str,
    auth_of: Any,
    found: Records,
    transport: httpx.AsyncBaseTransport | None = None,
) -> dict[str, int]:
    """Each department sends its records in batches (``auth_of(client_id)`` gives its
    credentials); how many records of each kind were refused (none, on good data).
    ``transport``: identity-svc called another way than over the network (in a test)."""
    refused: dict[str, int] = {}
    for kind in [k for k in ORDER if k in found]:
        department = OWNERS[kind]
        auth = auth_of(CLIENTS[department])
        async with httpx.AsyncClient(
            base_url=identity_url, timeout=60, auth=auth, transport=transport
        ) as client:
            for start in range(0, len(found[kind]), MAX_BATCH):
                batch = {"records": found[kind][start : start + MAX_BATCH]}
                answer = await client.post(f"/facts/{kind.value}/batch", json=batch)
                answer.raise_for_status()
                refused[kind.value] = refused.get(kind.value, 0) + answer.json()["refused"]
    return refused


# The demo department clients that file credit records (credit:write), by department.
CREDIT_CLIENTS = {
    "HZ-MSA": "msa-department",
    "HZ-HRSS": "hrss-department",
    "HZ-DRC": "drc-department",
}


def credit_filings(
    dataset: dict[str, Any],
) -> dict[str, list[dict[str, Any]]]:
    """The dataset's credit records as each department files them (``CreditRecordIn``),
    by department code; a record without an id of its own gets one from its content."""
    codes = {d["name"]: d["code"] for d in dataset["departments"]}
    filings: dict[str, list[dict[str, Any]]] = {}
    for raw in dataset["credit_records"]:
        department = codes.get(raw["department"], raw["department"])
        keys = ("uscc", "kind", "reason", "valid_from", "valid_to")
        body = {k: raw.get(k) for k in keys}
        content = json.dumps(body, sort_keys=True, default=str)
        digest = hashlib.sha256(content.encode()).hexdigest()
        body["record_id"] = raw.get("record_id") or f"CR-{digest[:10]}-{digest[10:20]}"
        filings.setdefault(department, []).append(body)
    return filings


async def file_credit(credit_url: str, auth_of: Any, dataset: dict[str, Any]) -> int:
    """Each department files its credit records at credit-svc (a record filed before is
    a duplicate: filing again changes nothing); how many were filed or known."""
    taken = 0
    for department, filings in sorted(credit_filings(dataset).items()):
        auth = auth_of(CREDIT_CLIENTS[department])
        async with httpx.AsyncClient(base_url=credit_url, timeout=60, auth=auth) as client:
            for body in filings:
                answer = await client.post("/records", json=body)
                answer.raise_for_status()
                taken += 1
    return taken


async def feed_city(
    urls: dict[str, str], auth_of: Any, dataset: dict[str, Any], as_of: dt.date
) -> dict[str, int]:
    """The demo city, as its departments send it: facts to identity-svc, credit records
    to credit-svc; then each department publishes its proactive policies at catalog-svc,
    whose runs evaluate every enterprise on those facts. How many records of each kind
    were refused (none, on good data)."""
    refused = await send(urls["identity"], auth_of, records(dataset["enterprises"], as_of))
    await file_credit(urls["credit"], auth_of, dataset)
    await publish_policies(urls["catalog"], auth_of, dataset.get("proactive_policies", []))
    return refused


async def publish_policies(catalog_url: str, auth_of: Any, policies: list[dict[str, Any]]) -> None:
    """Each policy published by its own department (``PUT /policies/{id}``); one
    published before is left as it is (a published version never changes: 409)."""
    for policy in policies:
        auth = auth_of(CLIENTS[policy["department_code"]])
        async with httpx.AsyncClient(base_url=catalog_url, timeout=60, auth=auth) as client:
            answer = await client.put(f"/policies/{policy['id']}", json=policy)
            if answer.status_code != 409:
                answer.raise_for_status()
