from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sta_tracker.settings")

application = get_wsgi_application()

# Why here: under gunicorn's preload_app this runs once in the master, and every worker starts
# with the templates compiled and the URL map built (docs/deploy.md).
from sta_tracker.warmup import warm_up  # noqa: E402 - needs the settings loaded above

warm_up()
