"""An app on the platform, with the typed client (qinqing-client): it gets a token,
registers a webhook for its own applications, applies for an enterprise that granted it
access, and follows the application by the platform's signed callback.

    pip install ./deploy/sdk/python/qinqing-client standardwebhooks
    QINQING_CLIENT_SECRET=... python apply_and_follow.py --gateway https://qinqing.example.gov.cn \\
        --client-id my-app --uscc 91330106MA2H00014Q --listen 0.0.0.0:8765 \\
        --callback-url https://my-app.example.com/qinqing

It prints JSON lines: the answer to the application, then the callback of its payout
(or of its rejection), verified with the secret the registration returned. The webhook
is removed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
from qinqing_client import AuthenticatedClient
from qinqing_client.api.applications import apply_v1_policies_policy_id_applications_post as apply
from qinqing_client.api.webhooks import register_v1_webhooks_post as register
from qinqing_client.api.webhooks import remove_v1_webhooks_webhook_id_delete as remove
from qinqing_client.models import ApplicationView, ApplyRequest, WebhookCreated, WebhookIn
from standardwebhooks import Webhook, WebhookVerificationError

FOLLOWED = [
    "qinqing.payment.payout.completed.v1",
    "qinqing.payment.payout.failed.v1",
    "qinqing.subsidy.application.rejected.v1",
]


def token(gateway: str, client_id: str, secret: str) -> str:
    """An access token by the client-credentials grant (any OAuth 2.0 library does it)."""
    answer = httpx.post(
        f"{gateway}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(client_id, secret),
        timeout=10,
    )
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def callbacks(listen: str, secret: list[str], events: queue.Queue[dict[str, Any]]) -> None:
    """Receive the platform's callbacks: keep only what verifies with our secret."""
    host, port = listen.rsplit(":", 1)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                event = Webhook(secret[0]).verify(raw, headers)
            except (IndexError, WebhookVerificationError):
                self.send_response(401)  # not from the platform: refused
            else:
                events.put(event)
                self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer((host, int(port)), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gateway", required=True)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--uscc", required=True, help="an enterprise that granted this app")
    parser.add_argument("--policy", default="hz-rental-subsidy-2026")
    parser.add_argument("--listen", default="127.0.0.1:8765", help="host:port for callbacks")
    parser.add_argument("--callback-url", help="how the platform reaches --listen")
    parser.add_argument("--wait", type=float, default=60, help="seconds to wait for a callback")
    args = parser.parse_args(argv)
    secret = os.environ["QINQING_CLIENT_SECRET"]
    client = AuthenticatedClient(
        base_url=args.gateway, token=token(args.gateway, args.client_id, secret)
    )
    signing: list[str] = []
    events: queue.Queue[dict[str, Any]] = queue.Queue()
    callbacks(args.listen, signing, events)
    url = args.callback_url or f"http://{args.listen}/"
    made = register.sync(client=client, body=WebhookIn(url=url, subjects=FOLLOWED))
    if not isinstance(made, WebhookCreated):
        raise SystemExit(f"webhook refused: {made}")
    signing.append(made.secret)
    try:
        answer = apply.sync(
            client=client,
            policy_id=args.policy,
            body=ApplyRequest(uscc=args.uscc),
            idempotency_key=str(uuid.uuid4()),
        )
        if not isinstance(answer, ApplicationView):
            raise SystemExit(f"application refused: {answer}")
        print(json.dumps({"applied": {"id": answer.id, "status": str(answer.status)}}), flush=True)
        while True:
            event = events.get(timeout=args.wait)
            if event["data"].get("application_id") == answer.id:
                print(json.dumps({"callback": event}, ensure_ascii=False), flush=True)
                return
    finally:
        remove.sync_detailed(webhook_id=made.id, client=client)


if __name__ == "__main__":
    main()
