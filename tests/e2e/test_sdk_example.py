"""The example app (deploy/sdk/examples) on the running platform, with the generated
client: it applies for an enterprise that granted it access and receives the signed
callback of the payout."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qinqing_devtools import chaos
from qinqing_devtools.nats_server import free_port
from qinqing_devtools.platform import Platform
from tests.e2e.pilots import registered

pytestmark = pytest.mark.e2e

EXAMPLE = Path(__file__).resolve().parents[2] / "deploy/sdk/examples/apply_and_follow.py"


async def test_the_example_app_applies_and_is_called_back_with_its_payout(
    platform: Platform,
) -> None:
    body = await registered(platform, 7303)  # it grants the load app access
    listen = f"127.0.0.1:{free_port()}"
    secret = platform.credentials(chaos.LOAD_APP)["client_secret"]
    command = [sys.executable, str(EXAMPLE), "--gateway", platform.gateway_url]
    command += ["--client-id", chaos.LOAD_APP, "--uscc", body["uscc"], "--listen", listen]
    command += ["--wait", "30"]
    done = await asyncio.to_thread(
        subprocess.run,
        command,
        env=os.environ | {"QINQING_CLIENT_SECRET": secret},
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    applied, called = (json.loads(line) for line in done.stdout.splitlines())
    assert applied["applied"]["status"] == "paid"
    event = called["callback"]
    assert event["type"] == "qinqing.payment.payout.completed.v1"
    assert event["data"]["application_id"] == applied["applied"]["id"]
    assert event["data"]["amount_fen"] == 1_000_000
