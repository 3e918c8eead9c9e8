"""Response headers, login-failure logging and lockout, and the pages shown when things break."""

from __future__ import annotations

import ipaddress
import logging
import sys
from collections.abc import Callable
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address, get_client_username, get_cool_off
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader

logger = logging.getLogger(__name__)

# Why no 'unsafe-inline' anywhere: pages load their scripts and styles from files, so injected
# markup can neither run script nor restyle a page to mislead. Images may be data: URIs, which
# the API documentation's stylesheet uses for its icons.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# Why both: PostgreSQL refusing or dropping a connection raises OperationalError, and a
# connection that died under Django raises InterfaceError on its next use.
DATABASE_ERRORS = (OperationalError, InterfaceError)
# Answers under this path are JSON, errors included (see clauses/api_conventions.py).
API_PREFIX = "/api/"


class ContentSecurityPolicyMiddleware:
    """Sends the site's Content-Security-Policy unless a view chose its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


class DatabaseOutageMiddleware:
    """Answers a plain 503 page when a view finds the database unreachable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        logger.error(
            "database unavailable during %s %s", request.method, request.path, exc_info=exception
        )
        return database_unavailable(request)


PRIVATE = "private, no-store"


class PrivateAnswersMiddleware:
    """``Cache-Control: private, no-store`` on every answer to a signed-in person and every API
    answer, so that neither a shared cache nor the browser's history keeps a private page.

    Static files never reach it (WhiteNoise answers them earlier, with their long cache).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "no-store" in response.get("Cache-Control", ""):
            return response
        if request.path.startswith(API_PREFIX) or _signed_in(request):
            response["Cache-Control"] = PRIVATE
        return response


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is None:
        return False
    try:
        return bool(user.is_authenticated)
    except DATABASE_ERRORS:
        # Why: unsure who is asking (the session could not be read), so cache nothing.
        return True


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """The outage answer: JSON for the API, else a page rendered with no context processor."""
    session = getattr(request, "session", None)
    if session is not None and not hasattr(session, "_session_cache"):
        # Why: the session middleware reads the session again on the way out; a session that
        # could not be loaded would wait for a stalled database a second time. Empty here, it
        # is neither saved (the answer is a 5xx) nor its cookie dropped.
        session._session_cache = {}
    response: HttpResponse
    if request.path.startswith(API_PREFIX):
        response = JsonResponse(
            {"code": "unavailable", "detail": "The database is unreachable; try again shortly."},
            status=503,
        )
    else:
        response = plain_page("503.html", 503)
    response["Retry-After"] = "60"
    response["Cache-Control"] = "no-store"
    return response


def plain_page(template_name: str, status: int) -> HttpResponse:
    # Why no request: context processors read the user and the session, which an error may
    # have come before (a bad Host header) or be caused by (the database is down).
    return HttpResponse(loader.get_template(template_name).render(), status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return plain_page("400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return plain_page("403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return plain_page("404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 handler; a database failure outside a view (a session lookup) is an outage too."""
    # Why exc_info: Django calls this handler inside the `except` that caught the failure.
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable(request)
    if request.path.startswith(API_PREFIX):
        # Why: API callers parse JSON; an HTML page would be a second failure for them.
        return JsonResponse(
            {"code": "error", "detail": "Something went wrong on the server; it has been logged."},
            status=500,
        )
    return plain_page("500.html", 500)


class ProductNotFoundMiddleware:
    """With DEBUG on (the demo), a page not found shows the product's 404 page, not Django's.

    Every HTML 404 of the site comes from ``Http404`` and ``handler404`` (no view renders its
    own), so swapping the debug page for ``404.html`` is what the site does with DEBUG off. The
    API's JSON answers are left alone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
            and not request.path.startswith(API_PREFIX)
        ):
            return page_not_found(request, Http404())
        return response


class LoginFailureLoggingHandler(AxesDatabaseHandler):
    """Axes' database handler, also writing one log line per failed login (never the password)."""

    def user_login_failed(
        self,
        sender: Any,
        credentials: dict[str, Any],
        request: HttpRequest | None = None,
        **kwargs: Any,
    ) -> None:
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        username = get_client_username(request, credentials) if request is not None else None
        address = get_client_ip_address(request) if request is not None else None
        path = request.path if request is not None else None
        locked = bool(getattr(request, "axes_locked_out", False))
        # Why %r: a user name is typed by the attacker; quoting keeps line breaks out of the log.
        logger.warning(
            "login failed for username %r from %s on %s%s",
            username,
            address or "an unknown address",
            path or "no request",
            " (locked out)" if locked else "",
        )


def client_address(request: HttpRequest) -> str | None:
    """The address a request came from, as the outermost trusted proxy saw it."""
    direct = request.META.get("REMOTE_ADDR") or None
    hops = settings.STA_TRUSTED_PROXY_COUNT
    if not hops:
        return direct
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    # Why from the right: each trusted proxy appends the address it saw; anything further left
    # was written by the client and can be forged.
    if len(forwarded) < hops:
        return direct
    try:
        return str(ipaddress.ip_address(forwarded[-hops]))
    except ValueError:
        return direct


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """The page shown instead of the login form while an account is locked out."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )
