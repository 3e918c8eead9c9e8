"""Writing historied rows so that every history row names a user and a reason.

Three guards keep it so, on every path (pages, API, admin, commands, tasks):

* ``refuse_unrecorded_write`` and ``refuse_unrecorded_history`` (connected in
  ``StaTrackerConfig.ready``) stop any save or delete of a historied row, before anything is
  written, when its history row would lack a user or a reason;
* ``HistoriedQuerySet``, the queryset of every historied model, refuses ``update``,
  ``delete``, ``bulk_create`` and ``bulk_update``, which write no history row;
* ``bulk_create_with_history`` here is the one bulk path: it writes a history row per object,
  with the user and the reason it insists on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.db import models
from simple_history import utils as history_utils
from simple_history.models import HistoricalRecords

M = TypeVar("M", bound=models.Model)

# The models whose bulk_create is allowed right now, because this module is writing their
# history rows alongside.
_bulk_allowed: ContextVar[frozenset[type[models.Model]]] = ContextVar(
    "sta_bulk_allowed", default=frozenset()
)


class UnrecordedChange(Exception):
    """A change to a historied row would leave no history, or history without user or reason."""


def save_with_history(obj: models.Model, *, acting_user: Any, reason: str, **kwargs: Any) -> None:
    """Save ``obj`` recording ``acting_user`` and ``reason`` on its simple-history row."""
    if not reason or not reason.strip():
        raise ValueError("A reason is required for every recorded change.")
    obj._history_user = acting_user  # type: ignore[attr-defined]
    obj._change_reason = reason.strip()  # type: ignore[attr-defined]
    try:
        obj.save(**kwargs)
    finally:
        del obj._history_user  # type: ignore[attr-defined]
        del obj._change_reason  # type: ignore[attr-defined]


def bulk_create_with_history(
    objs: Sequence[M], model: type[M], *, acting_user: Any, reason: str
) -> list[M]:
    """Insert ``objs`` in bulk, each with a history row naming ``acting_user`` and ``reason``."""
    if acting_user is None:
        raise UnrecordedChange(f"Bulk creation of {model.__name__} rows needs the acting user.")
    if not reason or not reason.strip():
        raise UnrecordedChange(f"Bulk creation of {model.__name__} rows needs a reason.")
    with _allow_bulk_create(model):
        created: list[M] = history_utils.bulk_create_with_history(
            objs, model, default_user=acting_user, default_change_reason=reason.strip()
        )
    return created


@contextmanager
def _allow_bulk_create(model: type[models.Model]) -> Iterator[None]:
    token = _bulk_allowed.set(_bulk_allowed.get() | {model})
    try:
        yield
    finally:
        _bulk_allowed.reset(token)


class HistoriedQuerySet(models.QuerySet[M]):
    """A queryset that refuses the bulk writes that would bypass the history of its rows.

    Change rows one at a time with ``save_with_history`` (or a service), remove them with
    ``delete_with_history``, and insert many with ``bulk_create_with_history``.
    """

    def _refuse(self, what: str) -> UnrecordedChange:
        return UnrecordedChange(
            f"{self.model.__name__}: {what} writes no history row; change rows one by one "
            "through a service that records the user and the reason."
        )

    def update(self, **kwargs: Any) -> int:
        raise self._refuse("a queryset update")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise self._refuse("a queryset delete")

    def bulk_update(
        self, objs: Iterable[M], fields: Iterable[str], batch_size: int | None = None
    ) -> int:
        raise self._refuse("bulk_update")

    def bulk_create(self, objs: Iterable[M], *args: Any, **kwargs: Any) -> list[M]:
        if self.model not in _bulk_allowed.get():
            raise self._refuse("bulk_create")
        return super().bulk_create(objs, *args, **kwargs)


def refuse_unrecorded_history(
    sender: Any, history_instance: Any, history_user: Any, history_change_reason: Any, **_: Any
) -> None:
    """Stop a change whose history row would not say who made it and why."""
    what = (
        f"{history_instance.instance_type.__name__} ({history_instance.get_history_type_display()})"
    )
    if history_user is None:
        raise UnrecordedChange(f"{what}: every recorded change needs the user who made it.")
    if not (history_change_reason or "").strip():
        raise UnrecordedChange(f"{what}: every recorded change needs a reason.")


def _acting_user(instance: models.Model) -> Any:
    """The user simple-history will record: the one set on the row, else the request's."""
    user = getattr(instance, "_history_user", None)
    if user is None:
        request = getattr(HistoricalRecords.context, "request", None)
        user = getattr(request, "user", None)
        if user is not None and not user.is_authenticated:
            user = None
    return user


def refuse_unrecorded_write(sender: Any, instance: models.Model, **_: Any) -> None:
    """Before a historied row is saved or deleted: refuse unless its history will be complete.

    Checking before the write, not when the history row is made, means a refused change leaves
    nothing behind even outside a transaction.
    """
    if not getattr(sender._meta, "simple_history_manager_attribute", None):
        return
    what = f"{sender.__name__} {instance.pk or '(new)'}"
    if getattr(instance, "skip_history_when_saving", False):
        # Why: skipping history is for many-to-many changes recorded by the save that follows.
        raise UnrecordedChange(f"{what}: a save or delete always writes its history row.")
    if _acting_user(instance) is None:
        raise UnrecordedChange(f"{what}: every recorded change needs the user who made it.")
    if not (getattr(instance, "_change_reason", "") or "").strip():
        raise UnrecordedChange(f"{what}: every recorded change needs a reason.")
