"""API models of catalog-svc."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

from qinqing_shared.contracts.catalog import Policy
from qinqing_shared.contracts.interaction import InteractionFigures

ServiceKind = Literal["service_item", "subsidy"]


class DistrictOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    name_zh: str | None = None
    kind: str


class DepartmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    name_zh: str | None = None
    district_code: str | None


class ServiceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    kind: ServiceKind
    department_code: str
    district_code: str | None
    handled_anywhere: bool
    description: str


class ServicePage(BaseModel):
    items: list[ServiceOut]
    total: int
    page: int
    page_size: int


class PolicySummary(BaseModel):
    """A published policy without its rules (``GET /policies/{id}`` has them, signed)."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    version: int
    name: str
    name_zh: str | None = None
    department_code: str
    service_code: str
    currency: str
    budget_fen: int
    valid_from: dt.date
    valid_to: dt.date
    proactive: bool = False  # paid without applying (免申即享)


class PolicyVersionOut(BaseModel):
    """One version of a policy: a draft, or published (and then never changed)."""

    state: Literal["draft", "published"]
    policy: Policy
    author: str
    created_at: dt.datetime
    published_at: dt.datetime | None
    published_by: str | None


class PolicyPage(BaseModel):
    items: list[PolicySummary]
    total: int
    page: int
    page_size: int


class Figures(BaseModel):
    """Cash paid under one department's policies, or to one district's enterprises."""

    code: str
    cash_transactions: int
    cash_paid_fen: int
    service_items_handled: int = 0  # granted or refused on request (诉求直达's mechanism)


class LatestPayout(BaseModel):
    """A payout the bank completed: where the money went, never to whom."""

    paid_at: dt.datetime
    department_code: str
    district_code: str
    amount_fen: int


class Minute(BaseModel):
    minute: dt.datetime  # its start, UTC
    payouts: int
    paid_fen: int


class TopicOut(BaseModel):
    """A topic an enterprise may raise, where it goes when what it links to names no
    department, and its time limits in working days."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    name_zh: str
    department_code: str
    acknowledge_days: int
    answer_days: int
    needs_application: bool
    needs_service: bool


class Stats(BaseModel):
    services: int
    service_items: int
    subsidies: int
    departments: int
    districts: int
    cash_transactions: int
    cash_paid_fen: int
    service_items_handled: int = 0  # requests of service items granted or refused
    by_department: list[Figures] = []
    by_district: list[Figures] = []
    latest_payouts: list[LatestPayout] = []  # newest first
    payouts_per_minute: list[Minute] = []  # the last 30 minutes, oldest first
    requests: InteractionFigures | None = None  # direct interaction, the last 365 days
