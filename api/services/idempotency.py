"""Idempotent requests: a retry with the same `Idempotency-Key` gets the first response.

The semantics are Stripe's: whatever the first response was, a success or a refusal, it is
stored and replayed, except a response marked not storable (a rate limit is transient: the
retry should be tried for real). The same key with a different request is refused. Keys are
per user. Requests that fail validation never reach this module, so nothing is stored for them.

Concurrency: the record is INSERTed in the same transaction as the change. Of two requests
with one key, the second's INSERT waits on the unique index until the first commits, then
fails; its transaction, with its change, rolls back, and it replays the first's record.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from api.exceptions import IdempotencyKeyReusedError
from api.models import IdempotencyRecord

# How long a key is remembered; api's purge_idempotency_records command deletes older ones.
RETENTION = timedelta(hours=24)


@dataclass(frozen=True)
class Reply:
    """A response as data: what is sent, and stored for a retry."""

    status: int
    body: dict
    storable: bool = True


def request_fingerprint(*, operation: str, params: dict, body: dict) -> str:
    """SHA-256 of the request's meaning; key order and JSON spacing do not change it."""
    canonical = json.dumps(
        {"operation": operation, "params": params, "body": body},
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _stored_reply(*, user: User, key: str, fingerprint: str) -> Reply | None:
    record = (
        IdempotencyRecord.objects.filter(user=user, key=key)
        .only("fingerprint", "status_code", "response")
        .first()
    )
    if record is None:
        return None
    if record.fingerprint != fingerprint:
        raise IdempotencyKeyReusedError()
    return Reply(status=record.status_code, body=record.response)


def idempotent_reply(
    *, user: User, key: str, fingerprint: str, perform: Callable[[], Reply]
) -> Reply:
    """The stored reply for (user, key) if there is one, else `perform()`'s, stored.

    `perform` runs inside a transaction that the record's INSERT joins: the one statement this
    adds to a bid's locked section. Raises IdempotencyKeyReusedError when the key was used for
    a request with another fingerprint.
    """
    stored = _stored_reply(user=user, key=key, fingerprint=fingerprint)
    if stored is not None:
        return stored
    try:
        with transaction.atomic():
            reply = perform()
            if reply.storable:
                IdempotencyRecord.objects.create(
                    user=user,
                    key=key,
                    fingerprint=fingerprint,
                    status_code=reply.status,
                    response=reply.body,
                )
    except IntegrityError:
        # A request with the same key committed first; this one's change is rolled back.
        stored = _stored_reply(user=user, key=key, fingerprint=fingerprint)
        if stored is None:
            raise
        return stored
    return reply


def idempotency_records_purge(*, now: datetime | None = None) -> int:
    """Delete records older than RETENTION; the number deleted. Their keys may be used again."""
    cutoff = (now or timezone.now()) - RETENTION
    deleted, _by_model = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
