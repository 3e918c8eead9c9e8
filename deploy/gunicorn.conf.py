"""gunicorn behind nginx (deploy/nginx.conf); the reasons for each number are in docs/deploy.md.

Environment variables override the defaults: GUNICORN_WORKERS, GUNICORN_THREADS,
GUNICORN_TIMEOUT.
"""

from __future__ import annotations

import multiprocessing
import os

bind = "0.0.0.0:8000"

# Why gthread: nginx buffers every request and answer, so a worker never waits on a slow
# client; threads let one process overlap requests that wait on PostgreSQL or Redis.
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 5)))
threads = int(os.environ.get("GUNICORN_THREADS", 4))

# Why preload: Django, the URL map and every template (sta_tracker/wsgi.py warms them up) are
# loaded once in the master and shared by the workers, so a worker's first request costs what
# later ones do; the workers open their own database connections after the fork.
preload_app = True

# A request still running after this is abandoned and its worker restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
# Longer than nginx's upstream keepalive needs, shorter than its keepalive_timeout.
keepalive = 10

# Workers are replaced after a while, so that memory a large request took is given back.
max_requests = 1000
max_requests_jitter = 100

# The same limits nginx applies, in case gunicorn is ever reached directly.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 16384

accesslog = "-"
errorlog = "-"
# Why: no client address from gunicorn's own headers; Django reads X-Forwarded-For itself,
# trusting as many proxies as STA_TRUSTED_PROXY_COUNT says.
forwarded_allow_ips = "127.0.0.1"
