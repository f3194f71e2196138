"""Audit records: who did what to which object, and when; one hash-chained log.

Every service records what must be accounted for (a read of personal data, a
department's write, a money movement) as an event through its own outbox, in the
transaction that did it: no write waits for the chain. identity-svc's consumer appends
each record to the one chain (``audit_entries``, each entry holding the hash of the one
before), which enterprises read ("who used my data") and operators verify.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

if TYPE_CHECKING:  # the outbox records its own replays here: no import cycle at run time
    from qinqing_shared.outbox import Outbox

from qinqing_shared.contracts.audit import DOMAINS, AuditRecord, audit_subject

__all__ = ["DOMAINS", "AuditRecord", "audit_subject", "record"]


def record(
    outbox: Outbox,
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    uscc: str | None = None,
    on_behalf_of: str | None = None,
    outcome: str = "ok",
) -> None:
    """Write an audit record in the session's transaction (published after commit)."""
    entry = AuditRecord(
        actor=actor,
        on_behalf_of=on_behalf_of,
        action=action,
        object_type=object_type,
        object_id=object_id,
        uscc=uscc,
        outcome=outcome,
        at=dt.datetime.now(dt.UTC),
    )
    domain = outbox.source.rsplit("/", 1)[-1].removesuffix("-svc")
    outbox.add(session, audit_subject(domain), entry.model_dump(mode="json"), key=object_id)


def chain_hash(previous: str, entry: dict[str, Any]) -> str:
    """SHA-256 over the previous entry's hash and this entry's canonical JSON."""
    text = json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((previous + text).encode()).hexdigest()


GENESIS = "0" * 64
