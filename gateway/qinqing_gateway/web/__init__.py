"""The pages people use: the city's live dashboard (public) and the enterprise portal
(signed in). Server-rendered (Jinja2), a few lines of script for live regions, in
Chinese first and English second; they call the public API like any app."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from qinqing_gateway.config import Settings
from qinqing_gateway.web import (
    commitments,
    console,
    credit_console,
    dashboard,
    items_console,
    letters,
    portal,
    requests_pages,
    static_files,
)
from qinqing_gateway.web.api import PublicApi
from qinqing_gateway.web.client import PortalClient, secret_in
from qinqing_gateway.web.push import Followers
from qinqing_gateway.web.sessions import Sessions
from qinqing_shared.app import Runtime

ROUTERS: list[APIRouter] = [
    dashboard.router,
    portal.router,
    commitments.router,
    console.router,
    credit_console.router,
    items_console.router,
    letters.router,
    requests_pages.router,
    static_files.router,
]


def install(app: FastAPI, runtime: Runtime, settings: Settings) -> None:
    """The pages' state on the app, the portal's client registered at start."""
    origin = settings.web_origin or settings.oauth_issuer
    services = {
        "catalog-svc": settings.catalog_url,
        "credit-svc": settings.credit_url,
        "identity-svc": settings.identity_url,
    }
    api = PublicApi(settings.web_api_url or origin, services)
    secret = settings.portal_client_secret or secret_in(settings.key_folder)
    client = PortalClient(origin, secret)
    app.state.web_api, app.state.portal_client = api, client
    app.state.web_sessions = Sessions(runtime.units)
    steps = Followers()
    app.state.followers = steps
    runtime.background.append(lambda: steps.listen_forever(runtime.messaging))
    runtime.background.append(lambda: client.register_forever(runtime.units))
    runtime.closers.append(api.aclose)
