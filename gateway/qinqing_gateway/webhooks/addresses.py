"""Which URLs a webhook may call: HTTPS to a public address. Loopback, private,
link-local and other special addresses are refused (the platform would otherwise call
into its own network for whoever registers), checked at registration and again before
each delivery (a name may resolve elsewhere later). ``allow_private`` is for
development and tests only: plain HTTP and local addresses."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

RESOLVE_SECONDS = 3.0


class AddressRefused(Exception):
    """Why this URL may not be called; the message is for the caller."""


def _parts(url: str, allow_private: bool) -> tuple[str, int]:
    parts = urlsplit(url)
    schemes = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in schemes:
        raise AddressRefused("A webhook URL must use https.")
    if not parts.hostname or parts.username or parts.password:
        raise AddressRefused("A webhook URL names a host, without credentials in it.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise AddressRefused("A webhook URL's port must be a number up to 65535.") from exc
    return parts.hostname, port


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    return ip.is_global and not ip.is_multicast


async def check(url: str, allow_private: bool) -> None:
    """Return if ``url`` may be called now; AddressRefused says why not."""
    host, port = _parts(url, allow_private)
    loop = asyncio.get_running_loop()
    try:
        found = await asyncio.wait_for(
            loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), RESOLVE_SECONDS
        )
    except (OSError, TimeoutError) as exc:
        raise AddressRefused(f"The webhook host {host!r} does not resolve.") from exc
    addresses = {str(info[4][0]) for info in found}
    if not allow_private and not all(_public(a) for a in addresses):
        raise AddressRefused(
            f"The webhook host {host!r} resolves to an address that is not public."
        )
