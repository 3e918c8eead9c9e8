"""The ceiling for the page benchmark: one Django view and nothing else, under the same gunicorn.

No database, no sessions, no middleware: what the framework costs per request on this machine.
"""

from __future__ import annotations

import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path

BODY = "<!doctype html><title>bare</title><p>" + "Article 1. The Parties cooperate. " * 40


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BODY)


urlpatterns = [path("", bare)]

settings.configure(
    DEBUG=False,
    SECRET_KEY="benchmark-only-bare-view-0123456789-abcdefghijklmnopqrstuvwxyz",  # noqa: S106
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    DATABASES={},
)
django.setup()
application = get_wsgi_application()
