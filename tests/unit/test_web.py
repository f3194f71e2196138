"""The pages' pure parts: money as the pages write it, the language a page is in, and
every word a template uses present in both languages."""

from __future__ import annotations

import ast
import re
import typing
from pathlib import Path

import pytest
from starlette.requests import Request

from qinqing_gateway.listing import Status
from qinqing_gateway.web import i18n, portal
from qinqing_gateway.web.pages import local_time, render, yuan
from qinqing_gateway.web.sessions import Visitor
from qinqing_shared.contracts.credit import Outcome
from qinqing_shared.contracts.interaction import Action, RequestStatus
from qinqing_shared.problems import Problem

TEMPLATES = Path(i18n.__file__).with_name("templates")
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("fen", "shown"),
    [
        (0, "0.00"),
        (5, "0.05"),
        (100, "1.00"),
        (99_999, "999.99"),
        (3_000_000, "30,000.00"),
        (5_000_000_000, "50,000,000.00"),
        (-12_345, "-123.45"),
    ],
)
def test_fen_are_shown_as_yuan_with_two_decimals(fen: int, shown: str) -> None:
    assert yuan(fen) == shown


def test_a_time_is_shown_as_the_city_reads_it() -> None:
    assert local_time("2026-09-30T16:30:05+00:00") == "2026-10-01 00:30:05"


def request(query: str = "", cookie: str = "") -> Request:
    headers = [(b"cookie", f"{i18n.LANG_COOKIE}={cookie}".encode())] if cookie else []
    scope = {"type": "http", "query_string": query.encode(), "headers": headers, "path": "/"}
    return Request(scope)


@pytest.mark.parametrize(
    ("query", "cookie", "lang"),
    [
        ("", "", "zh"),  # Chinese first
        ("lang=en", "", "en"),
        ("", "en", "en"),
        ("lang=zh", "en", "zh"),  # the link wins over the cookie
        ("lang=fr", "", "zh"),
    ],
)
def test_a_page_is_in_chinese_unless_english_is_asked_for(
    query: str, cookie: str, lang: str
) -> None:
    assert i18n.language(request(query, cookie)) == lang


def test_every_word_a_template_uses_is_there_in_both_languages() -> None:
    used: set[str] = set()
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        used |= set(re.findall(r"\bt\.([a-z_]+)", text))
    statuses = {f"status_{s}" for s in typing.get_args(Status)}
    statuses |= {f"outcome_{o}" for o in typing.get_args(Outcome)}
    statuses |= {f"request_{s.value}" for s in RequestStatus}  # a request's status
    statuses |= {f"step_{a.value.replace('-', '_')}" for a in Action}  # its history
    assert (used | statuses) - set(i18n.WORDS) == set()
    assert i18n.words("zh")["status_paid"] == "已兑付"
    assert i18n.words("en")["status_paid"] == "paid"
    assert all(zh and en and zh != en for zh, en in i18n.WORDS.values() if zh != "—")


def test_a_problems_title_is_chinese_where_known_and_english_otherwise() -> None:
    assert i18n.problem_title("rate-limited", "Too many requests", "zh") == (
        "请求过于频繁，请稍后再试"
    )
    assert i18n.problem_title("rate-limited", "Too many requests", "en") == "Too many requests"
    assert i18n.problem_title("from-an-outside-issuer", "Not yet", "zh") == "Not yet"


def complaint_view(status: str) -> dict[str, object]:
    return {
        "id": "0f0e0d0c-0b0a-4909-8807-060504030201",
        "title": "对补贴判定的投诉",
        "text": "张三应当符合条件。",
        "topic": "decision-complaint",
        "department": "HZ-HRSS",
        "department_name": "Human Resources and Social Security Bureau",
        "status": status,
        "escalated": True,
        "submitted_at": "2026-09-29T02:00:00+00:00",
        "acknowledge_by": None,
        "answer_by": "2026-10-19T16:00:00+00:00",
        "rating": None,
        "outcome": None,
        "links": {"application_id": "a-1", "policy_id": "hz-rental-subsidy-2026"},
        "steps": [
            {
                "seq": 1,
                "action": "submitted",
                "at": "2026-09-29T02:00:00+00:00",
                "actor": "demo-app",
                "department": "HZ-HRSS",
                "to_department": None,
                "text": None,
                "rating": None,
                "escalated_to": [],
            },
            {
                "seq": 2,
                "action": "escalated",
                "at": "2026-10-01T00:00:00+00:00",
                "actor": "platform",
                "department": "HZ-HRSS",
                "to_department": None,
                "text": "not taken in hand within its time limit",
                "rating": None,
                "escalated_to": ["HZ-HRSS supervisor", "oversight desk"],
            },
        ],
        "application": {
            "id": "a-1",
            "policy_id": "hz-rental-subsidy-2026",
            "status": "rejected",
            "amount_fen": 0,
            "decision": {
                "reasons": ["employee 330106********0111: graduated more than 3 years ago"],
                "trace": [
                    {
                        "subject": "employee 330106********0111",
                        "clause": "graduated",
                        "requirement": "graduated within 3 years",
                        "passed": False,
                    }
                ],
            },
        },
    }


@pytest.mark.parametrize(
    ("officer", "status", "forms"),
    [
        (True, "open", ["acceptance", "answers", "questions", "transfers"]),
        (True, "answered", ["closure"]),
        (False, "awaiting-enterprise", ["replies"]),
        (False, "answered", ["ratings", "reopenings"]),
        (False, "open", []),
    ],
)
def test_a_request_page_shows_its_application_and_the_steps_its_state_allows(
    officer: bool, status: str, forms: list[str]
) -> None:
    visitor = Visitor("s", "csrf-token", "wang.fang", None, "HZ-HRSS", "token")
    base = "/console/requests" if officer else "/portal/requests"
    page = render(
        request(),
        "request.html",
        title="诉求详情",
        visitor=visitor,
        view=complaint_view(status),
        officer=officer,
        departments={"HZ-HRSS": "杭州市人力资源和社会保障局", "HZ-MSA": "市场监管局"},
        base=base,
    ).body.decode()
    posted = re.findall(r'action="[^"]*/0f0e0d0c-0b0a-4909-8807-060504030201/([a-z]+)"', page)
    assert posted == forms
    assert "graduated within 3 years" in page and "已升级督办" in page
    assert "督办： HZ-HRSS supervisor, oversight desk" in page


@pytest.mark.parametrize(
    ("offset", "shown"), [(250_000, "其中抵扣应退回款项: ¥2,500.00"), (0, None)]
)
def test_an_application_page_says_what_of_its_payout_was_set_off(
    offset: int, shown: str | None
) -> None:
    view = {
        "id": "a-1",
        "policy_id": "hz-job-expansion-2026",
        "status": "paid",
        "amount_fen": 300_000,
        "applied_on": "2026-09-01",
        "decision": None,
        "beneficiaries": [],
        "clawback": None,
        "payout": {
            "id": "p-1",
            "bank_reference": "SBX1",
            "completed_at": "2026-09-01T02:00:00+00:00",
            "offset_fen": offset,
        },
    }
    page = render(request(), "application_live.html", view=view, final={"paid"}).body.decode()
    found = re.search(r'<p id="offset">([^<]*)</p>', page)
    assert (found.group(1) if found else None) == shown


def test_every_problem_titled_in_chinese_says_what_to_do_in_chinese() -> None:
    assert set(i18n.PROBLEM_HINTS_ZH) == set(i18n.PROBLEMS_ZH)
    assert (
        i18n.problem_hint("budget-exhausted", "zh"),
        i18n.problem_hint("budget-exhausted", "en"),
    ) == (
        "该政策本年度预算已用完，预算追加后可再次申领。",
        None,
    )
    assert i18n.problem_hint("no-such-problem", "zh") is None


SERVICES = (
    "gateway/qinqing_gateway",
    "identity-svc/identity_svc",
    "catalog-svc/catalog_svc",
    "subsidy-svc/subsidy_svc",
    "payment-svc/payment_svc",
    "credit-svc/credit_svc",
    "shared/qinqing_shared",
)


def answered_slugs() -> set[str]:
    """Every problem type the services' code can answer: ``Problem(status, "slug", ...)``,
    a named problem's ``status, slug, title = ...``, ``not_found("What", key)``, and the
    framework's own 404 and 405."""
    found = {"http-404", "http-405"}
    for root in SERVICES:
        for path in (ROOT / root).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                found.update(_slugs_in(node))
    return found


def _slugs_in(node: ast.AST) -> set[str]:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute):
        name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
        first = node.args[0] if node.args else None
        second = node.args[1] if len(node.args) > 1 else None
        if name == "Problem" and isinstance(second, ast.Constant):
            return {str(second.value)}
        if name == "not_found" and isinstance(first, ast.Constant):
            return {str(first.value).lower().replace(" ", "-") + "-not-found"}
    if isinstance(node, ast.Assign) and isinstance(node.value, ast.Tuple):
        names = [getattr(t, "id", None) for t in getattr(node.targets[0], "elts", [])]
        if names[:2] == ["status", "slug"] and isinstance(node.value.elts[1], ast.Constant):
            return {str(node.value.elts[1].value)}
    return set()


def test_every_problem_a_service_answers_has_a_chinese_title_and_hint() -> None:
    slugs = answered_slugs()
    assert {"budget-exhausted", "notice-taken", "enterprise-not-found", "forbidden"} <= slugs
    assert sorted(slugs - set(i18n.PROBLEMS_ZH)) == []
    assert sorted(slugs - set(i18n.PROBLEM_HINTS_ZH)) == []
    assert i18n.problem_title("notice-taken", "Notice taken", "zh") == "该笔资金已开始支付"


@pytest.mark.parametrize(
    ("query", "hint", "detail"),
    [
        (
            "",
            "请检查所填内容的格式（JSON）后重新提交。",
            '具体原因: <span lang="en">Expecting value</span>',
        ),
        ("lang=en", None, "<p>Expecting value</p>"),
    ],
)
def test_a_problem_page_says_what_to_do_above_the_apis_own_detail(
    query: str, hint: str | None, detail: str
) -> None:
    page = portal.problem_page(
        request(query), Problem(422, "not-json", "Not JSON", "Expecting value")
    ).body.decode()
    found = re.search(r'<p id="hint">([^<]*)</p>', page)
    assert (found.group(1) if found else None) == hint
    assert detail in page


def test_a_chinese_page_shows_the_chinese_reasons_where_there_is_one_for_each() -> None:
    decision = {"reasons": ["policy: in force (seen: 2027-01-02)"], "reasons_zh": ["政策：有效"]}
    assert i18n.reasons_in(decision, "zh") == ["政策：有效"]
    assert i18n.reasons_in(decision, "en") == ["policy: in force (seen: 2027-01-02)"]
    older = {"reasons": ["a", "b"], "reasons_zh": ["甲"]}  # not one for one: English
    assert i18n.reasons_in(older, "zh") == ["a", "b"]
    assert i18n.reasons_in(None, "zh") == []
    assert (i18n.subject_in("employee 3301***1", "zh"), i18n.seen_in(False, "zh")) == (
        "员工 3301***1",
        "否",
    )
    assert (i18n.subject_in("enterprise", "en"), i18n.seen_in(False, "en")) == (
        "enterprise",
        "False",
    )
    assert [i18n.seen_in(w, "zh") for w in ("committed", "allowed", "denied", "A")] == [
        "已作信用承诺",
        "无失信惩戒",
        "受失信联合惩戒",
        "A",
    ]
    assert i18n.seen_in("committed", "en") == "committed"
