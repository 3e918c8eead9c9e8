"""The product with no page, fragment or diff kept, for the page benchmark's uncached column.

Every request is a first render: the first render of a version, the first compare of a pair.
Only the session is found where a deployment finds it: in Redis when ``REDIS_URL`` is set (a
cache of its own, so nothing the pages keep can be found there), in the database otherwise.
"""

from __future__ import annotations

import os

from sta_tracker.settings import *  # noqa: F403
from sta_tracker.settings import CACHES as DEPLOYED_CACHES

CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
if os.environ.get("REDIS_URL"):
    CACHES["sessions"] = DEPLOYED_CACHES["default"]
    SESSION_CACHE_ALIAS = "sessions"
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
STA_PAGE_CACHE = False
STA_FRAGMENT_CACHE = False
