"""Writing historied rows so that every history row names a user and a reason."""

from __future__ import annotations

from typing import Any

from django.db import models


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
