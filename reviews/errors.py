"""Why a review action was refused, in words meant for the person who asked."""

from __future__ import annotations


class ReviewError(Exception):
    """A review action cannot be done; the message says why."""


class TransitionNotAllowed(ReviewError):
    """The proposal's state does not allow the action."""


class PermissionRefused(ReviewError):
    """The acting person may not take the action (views answer 403)."""


class NotReady(ReviewError):
    """Something the action depends on has not happened yet."""


class InvalidInput(ReviewError):
    """The input is wrong; ``errors`` maps each field (or "" for the whole) to messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__(" ".join(message for messages in errors.values() for message in messages))

    @classmethod
    def single(cls, field: str, message: str) -> InvalidInput:
        return cls({field: [message]})


class PolicyRefused(ReviewError):
    """The review's rules forbid the outcome asked for (for instance approving an
    unacceptable security finding)."""
