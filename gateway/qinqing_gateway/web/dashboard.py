"""The city's live dashboard: public, anonymous, from the public ``/v1/stats``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from qinqing_gateway.web.api import PublicApi
from qinqing_gateway.web.i18n import language, words
from qinqing_gateway.web.pages import render
from qinqing_gateway.web.portal import problem_page
from qinqing_shared.openapi import HTML_ERRORS
from qinqing_shared.problems import Problem
from qinqing_shared.ratelimit import limit_anonymous

router = APIRouter(include_in_schema=False, dependencies=[Depends(limit_anonymous)], tags=["web"])


def _api(request: Request) -> PublicApi:
    api: PublicApi = request.app.state.web_api
    return api


async def figures(request: Request) -> dict[str, Any]:
    """What the dashboard shows: the stats with names, and each bar's share."""
    api = _api(request)
    stats = await api.stats()
    lang = language(request)
    districts = await api.names("districts", lang)
    departments = await api.names("departments", lang)
    by_district = {row["code"]: row for row in stats["by_district"]}
    district_rows = [  # all 14 districts, those with nothing paid too
        {
            "name": name,
            "paid_fen": by_district.get(code, {}).get("cash_paid_fen", 0),
            "count": by_district.get(code, {}).get("cash_transactions", 0),
        }
        for code, name in districts.items()
    ]
    department_rows = sorted(
        (
            {
                "name": departments.get(row["code"], row["code"]),
                "paid_fen": row["cash_paid_fen"],
                "count": row["cash_transactions"],
            }
            for row in stats["by_department"]
        ),
        key=lambda row: -row["paid_fen"],
    )[:10]
    most = max([r["paid_fen"] for r in district_rows + department_rows] + [1])
    minutes = stats.get("payouts_per_minute", [])
    busiest = max([m["payouts"] for m in minutes] + [1])
    latest = [
        row
        | {
            "department": departments.get(row["department_code"], row["department_code"]),
            "district": districts.get(row["district_code"], row["district_code"]),
        }
        for row in stats.get("latest_payouts", [])
    ]
    requests = stats.get("requests") or {"all": None, "by_department": []}
    request_rows = sorted(
        (
            row | {"name": departments.get(row["key"], row["key"])}
            for row in requests["by_department"]
        ),
        key=lambda row: -row["requests"],
    )[:10]
    return {
        "stats": stats,
        "requests": requests["all"],
        "request_rows": request_rows,
        "district_rows": district_rows,
        "department_rows": department_rows,
        "most": most,
        "minutes": minutes,
        "busiest": busiest,
        "latest": latest,
    }


@router.get("/", openapi_extra=HTML_ERRORS)
async def root() -> RedirectResponse:
    """The platform's front page is the city's dashboard."""
    return RedirectResponse("/dashboard", status_code=307)


@router.get("/dashboard", response_class=HTMLResponse, openapi_extra=HTML_ERRORS)
async def dashboard(request: Request) -> HTMLResponse:
    """The public dashboard: the platform's figures, updating by themselves."""
    title = words(language(request))["dashboard_title"]
    try:
        shown = await figures(request)
    except Problem as problem:  # the catalog away: said on a page, not as JSON
        return problem_page(request, problem)
    return render(request, "dashboard.html", title=title, **shown)


@router.get("/dashboard/live", response_class=HTMLResponse, openapi_extra=HTML_ERRORS)
async def dashboard_live(request: Request) -> HTMLResponse:
    """The dashboard's figures alone: what its page fetches every few seconds."""
    return render(request, "dashboard_live.html", **await figures(request))
