#!/usr/bin/env python
from __future__ import annotations

import contextlib
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sta_tracker.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    from sta_tracker.database import use_long_statement_timeout

    # Why: commands import texts and migrate tables; the short timeout is for web requests.
    # Bad settings are reported by Django's own command runner, so they are let pass here.
    with contextlib.suppress(ImproperlyConfigured):
        use_long_statement_timeout()
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
