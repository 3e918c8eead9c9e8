"""The product with nothing kept, for the page benchmark's uncached column.

Every request is a first render: no page, fragment, diff or session is kept in any cache (the
dummy backend keeps nothing, so the session is read from the database on every request).
"""

from __future__ import annotations

from sta_tracker.settings import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
STA_PAGE_CACHE = False
STA_FRAGMENT_CACHE = False
