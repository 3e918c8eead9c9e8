"""A mail backend for worker processes under test: each message becomes a file to count.

A worker started with ``STA_EMAIL_BACKEND=tests.reliability.mail_files.EmailBackend`` and
``STA_TEST_MAIL_DIR=<folder>`` writes every message it sends to ``<folder>/<random>.eml``.
A file named ``pause`` in the folder makes the next send stop before it writes anything, so a
test can kill the process mid-task: the sender that claims the marker renames it
``paused-<pid>`` and waits until that file is removed.
"""

from __future__ import annotations

import email
import os
import time
import uuid
from collections.abc import Sequence
from email import policy
from pathlib import Path
from typing import Any

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

BACKEND = "tests.reliability.mail_files.EmailBackend"
FOLDER_VARIABLE = "STA_TEST_MAIL_DIR"
PAUSE_MARKER = "pause"
# Why a bound: a test that forgets to kill the paused process still ends.
LONGEST_PAUSE = 60.0


class EmailBackend(BaseEmailBackend):
    def __init__(self, *, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.folder = Path(os.environ[FOLDER_VARIABLE])

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            _pause_if_asked(self.folder)
            name = uuid.uuid4().hex
            partial = self.folder / f".{name}.partial"
            partial.write_bytes(message.message().as_bytes())
            # Why: a rename is atomic, so the test never counts a half-written message.
            partial.rename(self.folder / f"{name}.eml")
        return len(email_messages)


def _pause_if_asked(folder: Path) -> None:
    paused = folder / f"paused-{os.getpid()}"
    try:
        # Why a rename: exactly one sender claims the marker; the next attempt sends.
        (folder / PAUSE_MARKER).rename(paused)
    except FileNotFoundError:
        return
    deadline = time.monotonic() + LONGEST_PAUSE
    while paused.exists() and time.monotonic() < deadline:
        time.sleep(0.05)


def worker_env(folder: Path) -> dict[str, str]:
    """Environment for a worker that writes its mail into ``folder``."""
    return {"STA_EMAIL_BACKEND": BACKEND, FOLDER_VARIABLE: str(folder)}


def pause_next_send(folder: Path) -> None:
    (folder / PAUSE_MARKER).touch()


def paused_pid(folder: Path, seconds: float = 30) -> int:
    """The id of the process waiting in a paused send, once one is."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        paused = sorted(folder.glob("paused-*"))
        if paused:
            return int(paused[0].name.removeprefix("paused-"))
        time.sleep(0.05)
    raise AssertionError(f"no send paused within {seconds:g} seconds")


def resume_send(folder: Path) -> None:
    for paused in folder.glob("paused-*"):
        paused.unlink()


def sent(folder: Path) -> list[tuple[str, str]]:
    """(recipient, subject) of every message written to ``folder``, sorted."""
    found = []
    for path in folder.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        found.append((str(message["To"]), str(message["Subject"])))
    return sorted(found)
