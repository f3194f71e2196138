"""The pages in a real browser (Debian's Chromium, driven by Playwright) against the
running platform: the city's live dashboard, and an enterprise's person signing in to
the portal, applying in one click, following the application, granting and revoking
an app's access. Each test finishes its task, then checks the effect through the API;
axe-core reports no serious or critical violation on any page.

Run once, in the SQLite pass (the pages call the same API on either database).
``QINQING_SCREENSHOTS=docs/screenshots`` keeps a screenshot of each page.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect, sync_playwright

from qinqing_devtools import chaos
from qinqing_devtools.demo import EMPLOYMENT_LICENCE_ITEM, TAX_CERTIFICATE_ITEM, rental_policy
from qinqing_devtools.platform import Platform
from qinqing_gateway.web.pages import yuan
from tests.e2e.pilots import registered
from tests.e2e.test_access import bearer, token
from tests.e2e.test_ingest import AS_OF, home, without_home
from tests.e2e.test_ingest_nats import HOME_SUBJECT, REFUSED, home_source, person_of, publish

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="run once, in the SQLite pass"),
]
CHROMIUM = "/usr/bin/chromium"
PILOT, CREDIT_PILOT, COMMITTING_PILOT, PUSHED_PILOT = 7501, 7502, 7503, 7504  # pilots.py
POLICY = "hz-rental-subsidy-2026"
SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium (no browser is downloaded), for this module only.

    Playwright's sync API runs an event loop in this thread while it is open, so it is
    closed at the module's end (pytest-playwright keeps it open for the whole session,
    which stops every later asyncio test)."""
    if shutil.which(CHROMIUM) is None:
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[  # no connection attempts of Chromium's own on this closed network
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def accessible(page: Page, name: str) -> None:
    """axe-core finds no serious violation; the page's screenshot kept when asked."""
    found = Axe().run(page).response["violations"]
    serious = [(v["id"], v["impact"], v["help"]) for v in found if v["impact"] in SERIOUS]
    assert serious == [], f"{name}: {serious}"
    if folder := os.environ.get("QINQING_SCREENSHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def api(platform: Platform, path: str, caller: str = "demo-operator") -> Any:
    answer = httpx.get(
        platform.gateway_url + path, headers=bearer(token(platform, caller)), timeout=30
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.fixture(scope="module")
def person(platform: Platform) -> dict[str, str]:
    """A pilot enterprise, registered by market regulation, and one of its staff."""
    # in a thread of its own: Playwright's sync API runs an event loop in this one
    with ThreadPoolExecutor(1) as pool:
        enterprise = pool.submit(asyncio.run, registered(platform, PILOT)).result()
    who = {
        "username": f"pilot.{PILOT}",
        "password": secrets.token_urlsafe(12),
        "name": f"Pilot Person {PILOT}",
        "uscc": enterprise["uscc"],
    }
    platform.register_person(**who)
    return who


def sign_in(page: Page, platform: Platform, person: dict[str, str]) -> None:
    page.goto(platform.gateway_url + "/portal")
    page.click("#sign-in")
    page.fill("#username", person["username"])
    page.fill("#password", person["password"])
    page.click("button[type=submit]")
    expect(page.locator("#uscc")).to_have_text(person["uscc"])


def test_the_dashboard_shows_the_public_figures_in_chinese_and_english(
    platform: Platform, page: Page
) -> None:
    stats = api(platform, "/v1/stats")
    page.goto(platform.gateway_url + "/")
    expect(page.locator("h1")).to_have_text("亲清在线实时数据")
    expect(page.locator("#services")).to_have_text(str(stats["services"]))
    expect(page.locator("#departments")).to_have_text("53")
    expect(page.locator("#districts")).to_have_text("14")
    districts = page.locator(".bars").first.locator("tbody th")
    expect(districts).to_have_count(14)
    expect(districts.first).to_have_text("上城区")  # the catalog's Chinese names
    accessible(page, "dashboard")
    page.click("text=English")
    expect(page.locator("h1")).to_have_text("Qinqing Online, live")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(districts.first).to_have_text("Shangcheng District")


def test_a_person_applies_in_one_click_and_the_dashboard_counts_it_by_itself(
    platform: Platform, person: dict[str, str], page: Page, browser: Browser
) -> None:
    watcher = browser.new_page()
    watcher.goto(platform.gateway_url + "/dashboard")
    before = watcher.locator("#cash-transactions").inner_text()

    sign_in(page, platform, person)
    # what the platform holds, each fact with the department that sent it: no papers
    employee = page.locator("#employees tbody tr").first
    expect(employee).to_contain_text("bachelor")
    expect(employee).to_contain_text("HZ-EDU")
    expect(employee).to_contain_text("HZ-HOU")
    items = api(platform, "/v1/services?kind=service_item&district=330106")  # its district's
    expect(page.locator("#services-h")).to_contain_text(f"({items['total']})")
    expect(page.locator("#services li")).to_have_count(min(10, items["total"]))
    accessible(page, "portal")
    page.click(f"form:has(input[name=policy_id][value='{POLICY}']) button")
    expect(page.locator("#status")).to_have_attribute("data-status", "paid", timeout=30_000)
    expect(page.locator("#amount")).to_have_text(f"¥{yuan(chaos.PILOT_AMOUNT)}")
    expect(page.locator("#trace li").first).to_contain_text("符合")
    accessible(page, "application")

    application_id = page.url.rsplit("/", 1)[1]
    view = api(platform, f"/v1/applications/{application_id}")
    assert (view["uscc"], view["status"]) == (person["uscc"], "paid")
    listed = api(platform, f"/v1/enterprises/{person['uscc']}/applications")
    assert [(a["id"], a["status"]) for a in listed["items"]] == [(application_id, "paid")]

    # the dashboard, open all along, counted the payout without being reloaded
    expect(watcher.locator("#cash-transactions")).not_to_have_text(before, timeout=30_000)
    stats = api(platform, "/v1/stats")
    expect(watcher.locator("#cash-transactions")).to_have_text(str(stats["cash_transactions"]))
    watcher.close()


def test_an_application_waiting_at_the_bank_is_told_of_its_payment_as_it_happens(
    platform: Platform, page: Page
) -> None:
    """The bank pays late: the page follows the application on server-sent events, and
    shows it paid when the payment's event arrives, not by asking every second."""
    with ThreadPoolExecutor(1) as pool:
        enterprise = pool.submit(asyncio.run, registered(platform, PUSHED_PILOT)).result()
        person = {
            "username": f"pilot.{PUSHED_PILOT}",
            "password": secrets.token_urlsafe(12),
            "name": f"Pilot Person {PUSHED_PILOT}",
            "uscc": enterprise["uscc"],
        }
        platform.register_person(**person)
        sign_in(page, platform, person)
        live: list[str] = []
        page.on(
            "request", lambda r: live.append(r.url) if r.url.endswith("/live?lang=zh") else None
        )
        late = {"mode": "late", "rate": 1.0, "late_seconds": 8}
        pool.submit(asyncio.run, chaos.set_bank_faults(platform, **late)).result()
        try:
            page.click(f"form:has(input[name=policy_id][value='{POLICY}']) button")
            expect(page.locator("#status")).to_have_attribute("data-status", "processing")
            expect(page.locator("#status")).to_have_attribute("data-status", "paid", timeout=30_000)
        finally:
            pool.submit(asyncio.run, chaos.set_bank_faults(platform, mode="none")).result()
    assert page.evaluate("window.qinqingSteps") >= 1  # told by the server, as it happened
    assert len(live) <= 4  # asked when told of a step (and a second after): not every second


def test_a_person_commits_for_an_unknown_fact_and_is_paid(platform: Platform, page: Page) -> None:
    employee = chaos.pilot_enterprise(COMMITTING_PILOT)["employees"][0]
    unknown = employee | {"owns_home_in_city": None}  # housing has sent nothing
    with ThreadPoolExecutor(1) as pool:
        body = pool.submit(
            asyncio.run, registered(platform, COMMITTING_PILOT, employees=[unknown])
        ).result()
    who = {
        "username": f"pilot.{COMMITTING_PILOT}",
        "password": secrets.token_urlsafe(12),
        "name": "Pilot Director",
        "uscc": body["uscc"],
    }
    platform.register_person(**who)
    sign_in(page, platform, who)
    expect(page.locator("#employees tbody tr").first).to_contain_text("未知")
    page.click("a[href='/portal/commitments']")
    page.select_option("#clause", f"{POLICY}/no_home")
    page.fill("#id_number", employee["id_number"])
    page.fill("#signed_by", "Pilot Director, general manager")
    page.click("form[action='/portal/commitments'] button")
    expect(page.locator("#commitments")).to_contain_text("待核验")
    accessible(page, "commitments")
    page.click("a[href='/portal']")
    page.click(f"form:has(input[name=policy_id][value='{POLICY}']) button")
    expect(page.locator("#status")).to_have_attribute("data-status", "paid", timeout=30_000)

    made = api(platform, f"/v1/enterprises/{body['uscc']}/commitments")
    assert [(c["clause"], c["outcome"], c["signed_by"]) for c in made] == [
        ("no_home", "open", "Pilot Director, general manager")
    ]
    application_id = page.url.rsplit("/", 1)[1]
    assert api(platform, f"/v1/applications/{application_id}")["status"] == "paid"


def test_the_same_form_sent_twice_is_one_application(
    platform: Platform, person: dict[str, str], page: Page
) -> None:
    sign_in(page, platform, person)
    form = page.locator(f"form:has(input[name=policy_id][value='{POLICY}'])")
    fields = {
        name: form.locator(f"input[name={name}]").get_attribute("value")
        for name in ("csrf", "policy_id", "attempt")
    }
    first = page.request.post(platform.gateway_url + "/portal/apply", form=fields)
    again = page.request.post(platform.gateway_url + "/portal/apply", form=fields)
    assert first.url == again.url  # the same application's page, both times
    listed = api(platform, f"/v1/enterprises/{person['uscc']}/applications")
    assert sum(1 for a in listed["items"] if first.url.endswith(a["id"])) == 1


def test_a_form_without_the_sessions_csrf_token_changes_nothing(
    platform: Platform, person: dict[str, str], page: Page
) -> None:
    sign_in(page, platform, person)
    before = api(platform, f"/v1/enterprises/{person['uscc']}/applications")["total"]
    forged = {"csrf": "not-the-token", "policy_id": POLICY, "attempt": secrets.token_urlsafe(16)}
    answer = page.request.post(platform.gateway_url + "/portal/apply", form=forged)
    assert answer.status == 403
    assert "表单已失效或并非来自本页面" in answer.text()
    assert "The form did not come from this page" in answer.text()
    assert api(platform, f"/v1/enterprises/{person['uscc']}/applications")["total"] == before


def test_a_person_grants_an_app_access_and_revokes_it(
    platform: Platform, person: dict[str, str], page: Page
) -> None:
    uscc, app = person["uscc"], "other-app"
    path = f"/v1/enterprises/{uscc}/applications"
    sign_in(page, platform, person)
    page.goto(platform.gateway_url + "/portal/access")
    page.fill("#client_id", app)
    page.click("form[action='/portal/access/grant'] button")
    expect(page.locator("#grants")).to_contain_text(app)
    expect(page.locator("#records")).to_contain_text("profile.read")  # the platform's reads
    accessible(page, "access")
    as_app = httpx.get(platform.gateway_url + path, headers=bearer(token(platform, app)))
    assert as_app.status_code == 200  # the grant holds

    page.click(f"form:has(input[name=client_id][value='{app}']) button")
    expect(page.locator("#grants")).not_to_contain_text(app)
    expect(page.locator("#grants")).to_contain_text(chaos.LOAD_APP)  # the pilot's own grant
    as_app = httpx.get(platform.gateway_url + path, headers=bearer(token(platform, app)))
    assert as_app.status_code == 403  # revoked at once


def test_signed_out_the_portal_asks_to_sign_in_again(
    platform: Platform, person: dict[str, str], page: Page
) -> None:
    sign_in(page, platform, person)
    page.click("form[action='/portal/sign-out'] button")
    expect(page.locator("#sign-in")).to_be_visible()
    answer = page.goto(platform.gateway_url + "/portal/access")
    assert answer is not None and answer.status == 401
    expect(page.locator("[role=alert]")).to_contain_text("请重新登录")


CONSOLE_POLICY = "hz-console-rental-2026"


@pytest.fixture(scope="module")
def officer(platform: Platform) -> dict[str, str]:
    """An officer of human resources who may write its policies, and a policy of its
    own (version 1, published by the department's system)."""
    who = {"username": "officer.hrss", "password": secrets.token_urlsafe(12)}
    platform.register_person(
        **who,
        name="HRSS Officer",
        department="HZ-HRSS",
        scopes=["policies:write", "credit:write", "requests:answer"],
    )
    first = rental_policy() | {
        "id": CONSOLE_POLICY,
        "name": "Console rental subsidy",
        "version": 1,
        "budget_fen": 1_000_000,
    }
    catalog = f"{platform.url('catalog-svc')}/policies/{CONSOLE_POLICY}"
    with httpx.Client(timeout=30, auth=platform.auth("hrss-department")) as department:
        assert department.post(f"{catalog}/drafts", json=first).status_code == 201
        assert department.post(f"{catalog}/drafts/1/publish").status_code == 200
    return who


def test_an_officer_drafts_and_publishes_a_version_and_its_budget_is_topped_up(
    platform: Platform, officer: dict[str, str], page: Page
) -> None:
    officer_signs_in(page, platform, officer)
    accessible(page, "console")
    unknown = page.goto(platform.gateway_url + "/console/policies/no-such-policy")
    assert unknown is not None and unknown.status == 404
    page.goto(platform.gateway_url + "/console")
    page.click(f"a[href='/console/policies/{CONSOLE_POLICY}']")

    page.fill("#policy-json", "{not json")  # a mistake is told, nothing is kept
    page.click("form[action$='/drafts'] button")
    expect(page.locator("h1")).to_have_text("无法完成")
    expect(page.locator("[role=alert]")).to_contain_text("内容不是有效的 JSON")
    expect(page.locator("#hint")).to_have_text("请检查所填内容的格式（JSON）后重新提交。")
    page.goto(platform.gateway_url + f"/console/policies/{CONSOLE_POLICY}")
    edited = json.loads(page.locator("#policy-json").input_value())
    page.fill("#policy-json", json.dumps(edited | {"budget_fen": 3_000_000}))
    page.click("form[action$='/drafts'] button")
    expect(page.locator("#drafts")).to_contain_text("v2")
    accessible(page, "console-policy")
    page.click("form[action$='/preview'] button")  # v2 on the made-up sample enterprise
    expect(page.locator("#eligible")).to_have_text("符合条件")
    expect(page.locator("#preview-amount")).to_have_text(f"¥{yuan(1_000_000)}")
    accessible(page, "console-preview")
    page.click(f"a[href='/console/policies/{CONSOLE_POLICY}']")
    page.click("form[action$='/drafts/2/publish'] button")
    expect(page.locator("#versions")).to_contain_text("v2")
    expect(page.locator("#drafts")).to_have_count(0)

    published = api(platform, f"/v1/policies/{CONSOLE_POLICY}/versions")
    assert [(v["policy"]["version"], v["published_by"]) for v in published] == [
        (1, "hrss-department"),
        (2, "portal (officer.hrss)"),  # the officer, through the console
    ]
    budget = f"/v1/budgets/{CONSOLE_POLICY}"
    for _ in range(100):  # payment-svc hears the publication a moment later
        if api(platform, budget)["funded_fen"] == 3_000_000:
            break
        time.sleep(0.1)
    assert api(platform, budget)["funded_fen"] == 3_000_000
    page.reload()  # the console shows the department its own budget
    expect(page.locator("#funded")).to_have_text(f"¥{yuan(3_000_000)}")
    # and the latest payouts of its policy (the rental subsidy has paid some by now)
    page.goto(platform.gateway_url + f"/console/policies/{POLICY}")
    latest = api(platform, f"/v1/budgets/{POLICY}/payouts?limit=10")
    rows = page.locator("#payouts tbody tr")
    expect(rows).to_have_count(len(latest))
    expect(rows.first).to_contain_text(latest[0]["uscc"])
    expect(rows.first).to_contain_text(yuan(latest[0]["amount_fen"]))


HANDLED_ITEM = "HZ-HRSS-S03"  # an item of human resources no other test asks for
ACTIVE = {
    "clause": "active",
    "fact": "enterprise.status",
    "op": "in",
    "value": ["active"],
    "message": "enterprise must be active",
    "message_zh": "企业须处于存续状态",
}


def test_an_officer_sees_how_each_item_is_handled_and_sets_a_new_version(
    platform: Platform, officer: dict[str, str], page: Page
) -> None:
    officer_signs_in(page, platform, officer)
    page.click("a[href='/console/items']")
    licence = page.locator(f"#item-{EMPLOYMENT_LICENCE_ITEM}")
    expect(licence).to_contain_text("依数据即时办理（秒批） · 可告知承诺")
    expect(page.locator(f"#item-{HANDLED_ITEM}")).to_contain_text("转本部门办理")
    expect(page.locator(f"#item-{HANDLED_ITEM}")).to_contain_text("未设置（转部门办理）")
    accessible(page, "console-items")
    not_ours = page.goto(platform.gateway_url + f"/console/items/{TAX_CERTIFICATE_ITEM}")
    assert not_ours is not None and not_ours.status == 404  # the tax bureau's item

    page.goto(platform.gateway_url + f"/console/items/{HANDLED_ITEM}")
    page.fill("#handling-json", '{"mode": "instant", "conditions": []}')  # no condition
    page.click("form[action$='/handling'] button")
    expect(page.locator("h1")).to_have_text("无法完成")
    expect(page.locator("[role=alert]")).to_contain_text("An item decided at once names")
    page.goto(platform.gateway_url + f"/console/items/{HANDLED_ITEM}")
    handling = {"mode": "instant", "conditions": [ACTIVE]}
    page.fill("#handling-json", json.dumps(handling, ensure_ascii=False))
    page.click("form[action$='/handling'] button")
    expect(page.locator("#now-h")).to_have_text("办理方式 (v1)")
    expect(page.locator("#mode")).to_have_text("依数据即时办理（秒批）")
    expect(page.locator("#conditions li")).to_have_text("企业须处于存续状态 (active)")
    accessible(page, "console-item")
    found = api(platform, f"/v1/services/{HANDLED_ITEM}/handling")
    assert (found["version"], found["handling"]["conditions"][0]["clause"]) == (1, "active")

    # the department's system sets version 2 meanwhile: the page's form (from v1) is
    # refused, and nothing of it is written
    with httpx.Client(timeout=30, auth=platform.auth("hrss-department")) as department:
        routed = department.put(
            f"{platform.url('catalog-svc')}/services/{HANDLED_ITEM}/handling",
            json={"mode": "routed"},
        )
    assert routed.status_code == 200, routed.text
    page.click("form[action$='/handling'] button")
    expect(page.locator("[role=alert]")).to_contain_text("办理方式已被他人修改")
    found = api(platform, f"/v1/services/{HANDLED_ITEM}/handling")
    assert (found["version"], found["handling"]["mode"]) == (2, "routed")


def officer_signs_in(page: Page, platform: Platform, officer: dict[str, str]) -> None:
    page.goto(platform.gateway_url + "/console")
    page.click("#sign-in")
    page.fill("#username", officer["username"])
    page.fill("#password", officer["password"])
    page.click("button[type=submit]")
    expect(page.locator("#department")).to_have_text("HZ-HRSS")


def test_an_officer_files_a_credit_record_once_and_lifts_it(
    platform: Platform, officer: dict[str, str], page: Page
) -> None:
    with ThreadPoolExecutor(1) as pool:
        uscc = pool.submit(asyncio.run, registered(platform, CREDIT_PILOT)).result()["uscc"]
    filed_on = (dt.date.today() - dt.timedelta(days=400)).isoformat()  # repairable now
    officer_signs_in(page, platform, officer)
    page.click("a[href='/console/credit']")
    accessible(page, "console-credit")
    for _ in range(2):  # the same record twice is filed once
        page.fill("#record_id", "CONSOLE-1")
        page.fill("#uscc", uscc)
        page.select_option("#kind", "blacklist")
        page.fill("#reason", "Court judgment not honoured")
        page.fill("#valid_from", filed_on)
        page.click("form[action='/console/credit/records'] button")
    expect(page.locator("#done")).to_have_text("此前已报送: HZ-HRSS:CONSOLE-1")

    # a record id is one segment of credit-svc's path, whatever the officer types
    page.fill("#lift_id", "HZ-HRSS:CONSOLE-1/../../records")
    page.fill("#repair_commitment", "We paid the judgment in full and will keep our word.")
    page.fill("#lift_reason", "Judgment paid")
    page.click("form[action='/console/credit/lift'] button")
    expect(page.locator("h1")).to_have_text("无法完成")
    page.goto(platform.gateway_url + "/console/credit")

    page.fill("#lift_id", "HZ-HRSS:CONSOLE-1")
    page.fill("#repair_commitment", "We paid the judgment in full and will keep our word.")
    page.fill("#lift_reason", "Judgment paid")
    page.click("form[action='/console/credit/lift'] button")
    expect(page.locator("#done")).to_have_text("已撤销: HZ-HRSS:CONSOLE-1")

    found = httpx.get(
        f"{platform.url('credit-svc')}/enterprises/{uscc}/records",
        headers=bearer(token(platform, "demo-operator")),
        timeout=30,
    ).json()
    assert [(r["id"], r["kind"], r["lifted_on"]) for r in found] == [
        ("HZ-HRSS:CONSOLE-1", "blacklist", dt.date.today().isoformat())
    ]


def test_an_enterprises_person_cannot_use_the_console(
    platform: Platform, person: dict[str, str], page: Page
) -> None:
    sign_in(page, platform, person)
    answer = page.goto(platform.gateway_url + f"/console/policies/{CONSOLE_POLICY}")
    assert answer is not None and answer.status == 401


REFUSED_PILOT = 8105  # tests/e2e/test_ingest_nats.py's range


async def refused_record(platform: Platform) -> str:
    """Housing's feed sends a record identity-svc refuses: its dead letter's id."""
    await without_home(platform, REFUSED_PILOT)
    admin = await nats.connect(platform.nats_admin_url)
    try:
        told = await admin.jetstream().subscribe(REFUSED, ordered_consumer=True)
        bad = home(person_of(REFUSED_PILOT), False, "N-8105", AS_OF)
        bad["data"]["owns_home_in_city"] = "perhaps"
        await publish(platform, "hou-feed", HOME_SUBJECT, bad)
        return str(json.loads((await told.next_msg(timeout=20)).data)["dead_letter_id"])
    finally:
        await admin.close()


def test_an_officer_corrects_and_replays_a_refused_record(platform: Platform, page: Page) -> None:
    who = {"username": "officer.hou", "password": secrets.token_urlsafe(12)}
    platform.register_person(
        **who, name="Housing Officer", department="HZ-HOU", scopes=["facts:write"]
    )
    with ThreadPoolExecutor(1) as pool:
        letter_id = pool.submit(asyncio.run, refused_record(platform)).result()
    page.goto(platform.gateway_url + "/console/sign-in")
    page.fill("#username", who["username"])
    page.fill("#password", who["password"])
    page.click("button[type=submit]")
    page.click("a[href='/console/dead-letters']")
    accessible(page, "console-dead-letters")
    page.click(f"a[href='/console/dead-letters/identity-svc/{letter_id}']")
    expect(page.locator("#why")).to_contain_text("invalid-request")
    corrected = home(person_of(REFUSED_PILOT), False, "N-8105", AS_OF)
    page.fill("#payload", json.dumps(corrected))
    page.click("form[action$='/replay'] button")
    expect(page.locator("#letters")).to_contain_text("portal (officer.hou)")

    with ThreadPoolExecutor(1) as pool:
        source = pool.submit(asyncio.run, home_source(platform, REFUSED_PILOT, 20)).result()
    assert source == {"department": "HZ-HOU", "record_id": "N-8105", "as_of": AS_OF.isoformat()}


def test_a_person_raises_a_request_an_officer_answers_it_and_it_is_rated(
    platform: Platform, person: dict[str, str], officer: dict[str, str], browser: Browser
) -> None:
    enterprise = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    department = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page, desk = enterprise.new_page(), department.new_page()
    try:
        sign_in(page, platform, person)
        page.click("a[href='/portal/requests']")
        accessible(page, "portal-requests")
        page.select_option("#topic", "policy-question")
        page.select_option("#policy_id", POLICY)
        page.fill("#title", "实习生能否申领租房补贴")
        page.fill("#text", "我们的实习生张三今年毕业，能否申领？")
        page.click("form[action='/portal/requests'] button")
        expect(page.locator("#request-holder")).to_have_text("杭州市人力资源和社会保障局")
        expect(page.locator("#request-status")).to_have_text("待受理")
        request_id = page.url.rsplit("/", 1)[1]

        officer_signs_in(desk, platform, officer)
        desk.click("a[href='/console/requests']")
        accessible(desk, "console-requests")
        desk.click(f"a[href='/console/requests/{request_id}']")
        expect(desk.locator("#request-text")).to_have_text("我们的实习生张三今年毕业，能否申领？")
        desk.click("form[action$='/acceptance'] button")
        expect(desk.locator("#request-status")).to_have_text("办理中")
        desk.fill("#answer-text", "可以：毕业当年的实习生按员工计，请一键申领。")
        desk.click("form[action$='/answers'] button")
        expect(desk.locator("#request-status")).to_have_text("已答复")
        accessible(desk, "console-request")

        # the enterprise's page, open all along, was told the request moved on
        expect(page.locator("#request-changed")).to_be_visible(timeout=20_000)
        page.click("#request-changed a")
        expect(page.locator("#history")).to_contain_text("可以：毕业当年的实习生按员工计")
        page.check("input[name=rating][value='5']")
        page.click("form[action$='/ratings'] button")
        expect(page.locator("#request-status")).to_have_text("已答复")
        accessible(page, "portal-request")
        # the public dashboard counts it, as /v1/stats does (refreshed by itself)
        page.goto(platform.gateway_url + "/dashboard")
        for _ in range(100):  # catalog-svc works its figures out at most every 10 s
            figures = api(platform, "/v1/stats")["requests"]
            if figures["all"]["ratings"] >= 1:
                break
            time.sleep(0.2)
        expect(page.locator("#requests-count")).to_have_text(
            str(figures["all"]["requests"]), timeout=20_000
        )
        expect(page.locator("#requests-by-department")).to_contain_text(
            "杭州市人力资源和社会保障局"
        )
    finally:
        enterprise.close()
        department.close()

    view = api(platform, f"/v1/requests/{request_id}")
    assert (view["status"], view["department"], view["rating"]) == ("answered", "HZ-HRSS", 5)
    assert [(s["action"], s["actor"]) for s in view["steps"]] == [
        ("submitted", f"portal ({person['username']})"),
        ("accepted", "portal (officer.hrss)"),
        ("answered", "portal (officer.hrss)"),
        ("rated", f"portal ({person['username']})"),
    ]


def ask_for_item(page: Page, code: str, title: str, text: str) -> None:
    """The portal's request form, filled in for a service item, and sent."""
    page.click("a[href='/portal/requests']")
    page.select_option("#topic", "service-item")
    page.fill("#service_code", code)
    page.fill("#title", title)
    page.fill("#text", text)
    page.click("form[action='/portal/requests'] button")


def test_a_person_asks_for_an_item_decided_at_once_and_sees_whose_data_it_waits_for(
    platform: Platform, person: dict[str, str], page: Page
) -> None:
    """The tax certificate is decided from the tax bureau's data (docs/interaction.md);
    the pilot enterprise has sent no return yet, so the bureau decides, and the page
    says so with the decision's trace."""
    sign_in(page, platform, person)
    ask_for_item(page, TAX_CERTIFICATE_ITEM, "税务证明续期", "我们的税务证明月底到期，申请续期。")
    expect(page.locator("#decision-outcome")).to_have_text(
        "部分数据尚未报送，无法即时判定，已转承办部门办理"
    )
    expect(page.locator("#decision-reasons")).to_have_text(
        "企业：最近一个纳税年度的纳税信用等级为A级或B级（HZ-TAX 尚未报送数据）"
    )
    expect(page.locator("#decision-trace li")).to_have_count(4)
    expect(page.locator("#request-holder")).to_have_text("国家税务总局杭州市税务局")
    accessible(page, "portal-request-decided")
    request_id = page.url.rsplit("/", 1)[1]
    view = api(platform, f"/v1/requests/{request_id}")
    assert (view["status"], view["department"], view["outcome"]) == ("open", "HZ-TAX", None)
    assert view["decision"]["outcome"] == "undecided"
    assert [s["action"] for s in view["steps"]] == ["submitted"]


def test_a_person_commits_for_an_item_and_is_granted_it_at_once(
    platform: Platform, person: dict[str, str], page: Page
) -> None:
    """The employment licence is granted on a credit commitment (告知承诺制) while human
    resources has sent no insurance record of the enterprise: the request's page offers
    the commitment, and asking again on it grants the licence at once."""
    sign_in(page, platform, person)
    ask_for_item(page, EMPLOYMENT_LICENCE_ITEM, "人力资源服务许可", "我们开展职业中介，申请许可。")
    expect(page.locator("#commit-statements li")).to_have_text(
        "The enterprise paid its unemployment insurance in full for the last 12 months."
    )
    waiting = page.url.rsplit("/", 1)[1]
    page.fill("#commit-signed-by", "试点企业负责人")
    page.click("#commit-form button")
    expect(page.locator("#decision-outcome")).to_have_text(
        "告知承诺：依企业信用承诺准予办理，待部门数据核验"
    )
    expect(page.locator("#commit-form")).to_have_count(0)
    accessible(page, "portal-request-committed")
    granted = page.url.rsplit("/", 1)[1]
    assert granted != waiting
    made = [
        c
        for c in api(platform, f"/v1/enterprises/{person['uscc']}/commitments")
        if c["service_code"] == EMPLOYMENT_LICENCE_ITEM
    ]
    assert [(c["clause"], c["outcome"], c["signed_by"]) for c in made] == [
        ("paid_in_full", "open", "试点企业负责人")
    ]
    view = api(platform, f"/v1/requests/{granted}")
    assert (view["status"], view["outcome"]) == ("answered", "granted")
    assert view["decision"]["commitments"] == [made[0]["id"]]


def test_a_person_sees_a_payment_made_without_applying_and_declines_it(
    platform: Platform, person: dict[str, str], page: Page
) -> None:
    """A proactive policy with a notice period: the enterprise is told before the money
    moves, on its portal page, and declines there."""
    policy_id = "hz-portal-proactive-2026"
    policy = rental_policy() | {
        "id": policy_id,
        "name": "Proactive rental subsidy, with notice",
        "name_zh": "员工租房补贴（免申即享，告知期30天）",
        "proactive": True,
        "notice_days": 30,
        "budget_fen": 10_000_000_000,
    }
    hrss = bearer(token(platform, "hrss-department"))
    catalog = f"{platform.url('catalog-svc')}/policies/{policy_id}"
    assert httpx.post(f"{catalog}/drafts", json=policy, headers=hrss).status_code == 201
    assert httpx.post(f"{catalog}/drafts/1/publish", headers=hrss).status_code == 200
    run_path = f"/v1/policies/{policy_id}/versions/1/proactive-run"
    for _ in range(600):
        run = httpx.get(platform.gateway_url + run_path, headers=hrss, timeout=30)
        if run.status_code == 200 and run.json()["state"] == "paying":
            break
        time.sleep(0.2)
    assert run.json()["state"] == "paying", run.text

    sign_in(page, platform, person)
    row = page.locator("#notices tbody tr", has_text=policy_id)
    expect(row.locator(".status")).to_have_text("已告知，待兑付")
    expect(row).to_contain_text(yuan(chaos.PILOT_AMOUNT))
    accessible(page, "portal-notices")
    row.locator("button").click()
    expect(row.locator(".status")).to_have_text("已放弃")
    expect(row.locator("button")).to_have_count(0)

    notices = api(platform, f"/v1/enterprises/{person['uscc']}/notices")
    mine = [(n["policy_id"], n["status"]) for n in notices if n["policy_id"] == policy_id]
    assert mine == [(policy_id, "declined")]
