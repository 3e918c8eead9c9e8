"""What other apps learn from this one, through hooks they register — never through an import.

``clauses`` knows nothing of proposals. An app that keeps work depending on the texts (the
reviews app) connects to ``version_published`` and registers a counter of the work a new
version would flag, in its ``AppConfig.ready()``. Without one, publishing flags nothing and
a preview counts nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from django.dispatch import Signal

# Sent after the transaction that published a version commits, with ``version_id``; only for
# a version that follows another one (a first version amends and repeals nothing).
version_published = Signal()

FlagCounter = Callable[..., int]
_flag_counters: list[FlagCounter] = []


def register_flag_counter(counter: FlagCounter) -> None:
    """``counter(agreement_id=, in_force_from=, changed_keys=)`` → how many items a version
    changing ``changed_keys`` from ``in_force_from`` would flag. Registering twice is once."""
    if counter not in _flag_counters:
        _flag_counters.append(counter)


def flagged_count(*, agreement_id: int, in_force_from: dt.date, changed_keys: Sequence[str]) -> int:
    """What every registered counter says a version changing ``changed_keys`` would flag."""
    return sum(
        counter(agreement_id=agreement_id, in_force_from=in_force_from, changed_keys=changed_keys)
        for counter in _flag_counters
    )
