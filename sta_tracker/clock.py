"""A clock that can be set back, for making demo data dated over the past months.

Every service, model default and history row reads the time through ``django.utils.timezone``
(``now()``, ``localdate()``; ``default=timezone.now`` keeps a reference to the same function).
That function asks its module's ``datetime`` for ``now``; while a ``SetClock`` is entered, the
module's ``datetime`` answers with the clock's moment instead, so the services date what they
write as if it happened then: events, decisions, history rows and the audit chain's content all
carry that moment, and the chain is sealed as usual.

Only demo seeding sets the clock, in one command's process; a server never does. Nothing else in
the process should run meanwhile, since the clock is the module's, not the thread's.
"""

from __future__ import annotations

import datetime as dt
from types import TracebackType
from typing import Any

from django.utils import timezone as django_timezone

# Why Any: the clock replaces the module's own ``datetime`` name, which it does not export.
_TIMEZONE_MODULE: Any = django_timezone

_REAL = dt.datetime


class _ClockedType(type):
    # Why: code in the module checks ``isinstance(value, datetime)``; a real datetime must pass.
    def __instancecheck__(cls, instance: Any) -> bool:
        return isinstance(instance, _REAL)

    def __subclasscheck__(cls, subclass: type) -> bool:
        return issubclass(subclass, _REAL)


class SetClock:
    """``with SetClock(moment) as clock:`` the time is ``moment`` until ``clock.set(later)``.

    The clock stands still between calls to ``set``, so what one step writes carries one
    moment. It may only be set forward, as time runs; leaving the block restores the real clock.
    """

    def __init__(self, moment: dt.datetime) -> None:
        self._moment = self._aware(moment)
        self._saved: Any = None

    @staticmethod
    def _aware(moment: dt.datetime) -> dt.datetime:
        if django_timezone.is_naive(moment):
            raise ValueError("Set the clock to an aware moment.")
        return moment

    @property
    def moment(self) -> dt.datetime:
        return self._moment

    def set(self, moment: dt.datetime) -> None:
        moment = self._aware(moment)
        if moment < self._moment:
            raise ValueError(
                f"The clock runs forward only: {moment.isoformat()} is before "
                f"{self._moment.isoformat()}."
            )
        self._moment = moment

    def __enter__(self) -> SetClock:
        if self._saved is not None or isinstance(_TIMEZONE_MODULE.datetime, _ClockedType):
            raise RuntimeError("The clock is already set.")
        clock = self

        class ClockedDatetime(_REAL, metaclass=_ClockedType):
            @classmethod
            def now(cls, tz: dt.tzinfo | None = None) -> dt.datetime:  # type: ignore[override]
                moment = clock.moment
                return (
                    moment.astimezone(tz)
                    if tz is not None
                    else moment.astimezone().replace(tzinfo=None)
                )

        self._saved = _TIMEZONE_MODULE.datetime
        _TIMEZONE_MODULE.datetime = ClockedDatetime
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        _TIMEZONE_MODULE.datetime = self._saved
        self._saved = None
