"""The HTTP server's own bounds: a request's head is small and arrives in time.

uvicorn's httptools protocol keeps reading a request's head for as long and as large
as a client sends it. This protocol answers ``431`` once the head (request line and
headers) passes ``max_header_bytes``, and ``408`` when a head that has begun has not
ended within ``header_timeout_seconds`` (a slow-loris client); either way the
connection is closed. The h11 protocol gets the same size bound from uvicorn's own
``h11_max_incomplete_event_size``.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from qinqing_shared.problems import PROBLEM_MEDIA_TYPE, Problem


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    max_header_bytes = 16_384
    header_timeout_seconds = 10.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._in_head = True  # between requests, or reading a head
        self._head_bytes = 0
        self._head_timer: asyncio.TimerHandle | None = None
        self._head_size = 0  # of the request line and headers parsed so far
        self._refusal: tuple[int, str, str, str] | None = None

    def data_received(self, data: bytes) -> None:
        if self._in_head:
            if self._head_bytes == 0 and self._head_timer is None:
                self._head_timer = self.loop.call_later(
                    self.header_timeout_seconds, self._head_too_slow
                )
            self._head_bytes += len(data)
        super().data_received(data)
        if self._in_head and self._head_bytes > self.max_header_bytes:
            self._refuse(*self._too_large())

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head = True
        self._head_size = 0

    def on_url(self, url: bytes) -> None:
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value) + 4)
        super().on_header(name, value)

    def send_400_response(self, msg: str) -> None:
        if self._refusal is None:
            super().send_400_response(msg)
        else:  # a callback refused the head: the parser reports it as a parse error
            self._refuse(*self._refusal)

    def _count(self, size: int) -> None:
        self._head_size += size
        if self._head_size > self.max_header_bytes:
            self._refusal = self._too_large()
            raise ValueError("request head too large")  # ends parsing: send_400_response

    def _too_large(self) -> tuple[int, str, str, str]:
        detail = f"The request line and headers may take {self.max_header_bytes} bytes."
        return 431, "headers-too-large", "Request headers too large", detail

    def on_headers_complete(self) -> None:
        self._end_head()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        self._in_head = True
        super().on_response_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._end_head()
        super().connection_lost(exc)

    def _end_head(self) -> None:
        self._in_head = False
        self._head_bytes = 0
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_too_slow(self) -> None:
        self._head_timer = None
        if self._in_head and self._head_bytes and not self.transport.is_closing():
            detail = f"A request's headers must arrive within {self.header_timeout_seconds:g} s."
            self._refuse(408, "request-timeout", "Request headers too slow", detail)

    def _refuse(self, status: int, slug: str, title: str, detail: str) -> None:
        self._end_head()
        if self.transport.is_closing():
            return
        body = json.dumps(Problem(status, slug, title, detail).body()).encode()
        reason = {408: b"Request Timeout", 431: b"Request Header Fields Too Large"}[status]
        head = [
            b"HTTP/1.1 %d %s\r\n" % (status, reason),
            b"content-type: " + PROBLEM_MEDIA_TYPE.encode() + b"\r\n",
            b"content-length: %d\r\n" % len(body),
            b"connection: close\r\n\r\n",
        ]
        self.transport.write(b"".join(head) + body)
        self.transport.close()


def bounded_protocol(
    max_header_bytes: int, header_timeout_seconds: float
) -> type[HttpToolsProtocol]:
    """The protocol class with these bounds (uvicorn makes one instance per connection)."""
    return type(
        "BoundedHttpTools",
        (BoundedHttpToolsProtocol,),
        {"max_header_bytes": max_header_bytes, "header_timeout_seconds": header_timeout_seconds},
    )
