"""Send one bad value and judge the answer: never a server error, and a value that must be
refused writes nothing (the state the form could change is the same before and after).

Each attempt runs in a savepoint that is rolled back, so a value a field may take (a title with
an emoji) does not change what the next attempt starts from.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.test import Client

from tests.security import tally

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"


@dataclass
class Outcome:
    status: int
    written: bool
    problem: str | None
    response: object = None


def form_body(data: dict) -> bytes:
    """URL-encoded, with bytes values sent as they are (so invalid UTF-8 reaches Django)."""
    return urlencode(data, doseq=True).encode("ascii")


def post_form(client: Client, path: str, data: dict):
    return client.generic("POST", path, form_body(data), content_type=FORM_CONTENT_TYPE)


def attempt(send, state, *, must_refuse: bool, label: str, record: bool = True) -> Outcome:
    """`send()` makes the request; `state()` reads what it must not change when refusing."""
    # Rate limits live in the cache: each attempt is judged on its own.
    cache.clear()
    with transaction.atomic():
        before = state()
        response = send()
        try:
            written = state() != before
        except DatabaseError as error:
            written, response_status = True, f"database left broken: {error}"
        else:
            response_status = None
        transaction.set_rollback(True)
    problem = response_status
    if response.status_code >= 500:
        problem = f"server error {response.status_code}"
    elif must_refuse and written:
        problem = f"accepted (status {response.status_code}) and written"
    elif must_refuse and response.status_code in (201,):
        problem = "created"
    if record:
        tally.record("bad_input", ok=problem is None)
    if problem:
        problem = f"{label}: {problem}"
    return Outcome(response.status_code, written, problem, response)
