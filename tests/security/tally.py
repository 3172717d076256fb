"""Counts of what the security tests sent and how much of it was answered unexpectedly.

The tests add to it; tests/security/conftest.py prints it at the end of the run, e.g.
"412 requests, 0 unexpected".
"""

from collections import Counter

sent: Counter = Counter()
unexpected: Counter = Counter()

LABELS = {
    "matrix": "authorisation matrix: {sent:,} requests, {unexpected:,} unexpected",
    "bad_input": "bad-input corpus: {sent:,} bad inputs, {unexpected:,} unexpected",
    "fuzz": "API fuzzing (schemathesis): {sent:,} generated requests, {unexpected:,} failed",
}


def record(kind: str, *, ok: bool, count: int = 1) -> None:
    sent[kind] += count
    if not ok:
        unexpected[kind] += count


def lines() -> list[str]:
    return [
        LABELS[kind].format(sent=sent[kind], unexpected=unexpected[kind])
        for kind in LABELS
        if sent[kind]
    ]
