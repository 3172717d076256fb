"""Row counts of every table, to show that a refused request wrote nothing."""

from django.apps import apps

# Written by merely being logged in or shown a message, not by what is being tested.
IGNORED = {"sessions.session"}


def row_counts() -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in IGNORED or model._meta.proxy or not model._meta.managed:
            continue
        counts[label] = model._base_manager.count()
    return counts


def changed_tables(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {
        label: (before[label], after[label]) for label in before if before[label] != after[label]
    }
