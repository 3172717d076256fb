"""Personal API tokens: made and revoked by enterprise members, looked up on every API call.

A token is `wie_` and 43 random URL-safe characters (256 bits). Only its SHA-256 is stored,
so a leaked database does not give working tokens, and a plain hash is enough because the
token is random rather than chosen by a person (no need for a slow password hash, which would
cost milliseconds on the bid path).
"""

import hashlib
import secrets
from datetime import UTC, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import Enterprise, User
from api.exceptions import (
    ApiTokenNameInvalidError,
    ApiTokenNotAllowedError,
    ApiTokenNotFoundError,
)
from api.models import ApiToken

TOKEN_PREFIX = "wie_"  # noqa: S105 - a label, not a secret
# What the member sees on their page to tell tokens apart: "wie_" and 8 characters.
VISIBLE_PREFIX_LENGTH = len(TOKEN_PREFIX) + 8
NAME_MAX_LENGTH = 100
# last_used_at is a hint for the member, not an audit log: one UPDATE a minute per token at
# most, instead of one per bid.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Make a token for `user`, a member of an enterprise; return it and its only plain copy.

    Refuses users without an enterprise (ApiTokenNotAllowedError) and a blank or overlong name
    (ApiTokenNameInvalidError). Side effect: one INSERT.
    """
    if user.enterprise_id is None:
        raise ApiTokenNotAllowedError()
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX_LENGTH:
        raise ApiTokenNameInvalidError()
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[:VISIBLE_PREFIX_LENGTH], token_hash=token_digest(raw)
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of `user`'s own tokens; revoking it again changes nothing.

    Another user's token, or an unknown id, is ApiTokenNotFoundError, so ids reveal nothing.
    """
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
    if token is None:
        raise ApiTokenNotFoundError()
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


# The token's user and the token's own columns in one indexed read. Plain SQL because this
# runs on every API call and the ORM's compiling of the join cost more CPU than the database
# spent (see marketplace/bid_queries.py).
TOKEN_USER_SQL = """
    SELECT u.*, t.id AS token_id, t.last_used_at AS token_last_used_at
    FROM api_apitoken t JOIN accounts_user u ON u.id = t.user_id
    WHERE t.token_hash = %s AND t.revoked_at IS NULL AND u.is_active
"""  # noqa: S105 - SQL, not a password
ENTERPRISE_SQL = "SELECT * FROM accounts_enterprise WHERE id = %s"


def api_token_user(*, raw: str) -> User | None:
    """The active user a presented token belongs to, with their enterprise; None if the token
    is unknown, revoked or its user deactivated.

    Two indexed reads (the hash is unique), and an UPDATE of last_used_at at most once a
    minute.
    """
    user = next(iter(User.objects.raw(TOKEN_USER_SQL, [token_digest(raw)])), None)
    if user is None:
        return None
    if user.enterprise_id is not None:
        user.enterprise = next(iter(Enterprise.objects.raw(ENTERPRISE_SQL, [user.enterprise_id])))
    now = timezone.now()
    last_used = user.token_last_used_at
    if isinstance(last_used, str):
        last_used = parse_datetime(last_used)
    if last_used is not None and timezone.is_naive(last_used):
        # SQLite hands back an extra column unconverted, in UTC; RawQuerySet converts only
        # the model's own fields.
        last_used = last_used.replace(tzinfo=UTC)
    if last_used is None or now - last_used >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=user.token_id).update(last_used_at=now)
    return user
