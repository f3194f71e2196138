"""Loops that run until their task is cancelled, and stop when it is.

On Python 3.11, ``asyncio.wait_for`` can swallow a cancellation that arrives as the
awaited thing completes, and nats-py's fetch can turn one into a ``TimeoutError``: a
loop that only ends on ``CancelledError`` would then run on, and a service's shutdown
(which waits for its loops) would wait forever. Each loop asks at every turn.
"""

from __future__ import annotations

import asyncio


def stop_if_cancelled() -> None:
    """Raise ``CancelledError`` if this task was asked to stop, swallowed or not."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError
