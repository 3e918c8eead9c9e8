from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"

    def ready(self) -> None:
        # Why here: the clauses app tells whoever registers that a version was published; it
        # imports nothing of this app.
        from clauses.hooks import register_flag_counter, version_published

        from .services.flags import proposals_flagged_count

        version_published.connect(_flag_proposals, dispatch_uid="reviews-flag-proposals")
        register_flag_counter(proposals_flagged_count)


def _flag_proposals(sender: Any, *, version_id: int, **kwargs: Any) -> None:
    """Queue the flagging of proposals that cite a clause the new version changes."""
    from .tasks import flag_proposals_for_version

    flag_proposals_for_version.delay(version_id)
