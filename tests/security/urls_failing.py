"""The site's addresses plus one view that fails, to see the 500 page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from sta_tracker.urls import handler400, handler403, handler404, handler500
from sta_tracker.urls import urlpatterns as site_urlpatterns


def explode(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret detail from deep inside the code")


urlpatterns = [path("explode/", explode), *site_urlpatterns]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
