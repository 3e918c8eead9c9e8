"""The login page, its blank form rendered once per process.

Every visit of a signed-out person to the login page without a query shows the same page but
for its CSRF token, and it is the one page everyone asks for first. So the page is rendered
once, with a placeholder for the token, and each visit gets its own token put in. A visit with
an address to go back to (``?next=``), a message waiting to be shown, a signed-in person or a
form sent back with its errors is rendered afresh, as Django does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import http_date
from django.utils.translation import get_language

from .pagecache import set_csrf_cookie

# Why NUL: no rendered page can hold one (addresses and forms holding a NUL are refused).
TOKEN_PLACEHOLDER = "\x00csrf-token\x00"  # noqa: S105  # nosec B105

_rendered: dict[tuple[str, str], str] = {}


def _plain_visit(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and not request.META.get("QUERY_STRING")
        and not request.user.is_authenticated
        # Why len: it reads the waiting messages without marking them shown.
        and len(messages.get_messages(request)) == 0
    )


class LoginPage(auth_views.LoginView):
    """Django's login view, answering a plain visit from the rendered blank form."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _plain_visit(request):
            return super().get(request, *args, **kwargs)
        key = (get_language() or "", settings.STATIC_URL or "")
        page = _rendered.get(key)
        if page is None:
            response = self.render_to_response(self.get_context_data(csrf_token=TOKEN_PLACEHOLDER))
            assert isinstance(response, TemplateResponse)  # noqa: S101 - Django's own view
            page = response.render().content.decode()
            _rendered[key] = page
        response = HttpResponse(page.replace(TOKEN_PLACEHOLDER, get_token(request)))
        # Why: PlainLoginMiddleware answers the next plain visits from this page.
        response.sta_login_page = page  # type: ignore[attr-defined]
        return response


CSRF_SECRET = re.compile(r"[a-zA-Z0-9]{32}\Z")


class PlainLoginMiddleware:
    """Answers a plain visit to the login page before the rest of the chain, as it would.

    The first plain visit (signed out: no session cookie; no query, no message waiting) goes
    the whole way; its answer's headers are kept with the blank page. Later plain visits get
    that page with a token of their own, the same headers (a fresh ``Expires``) and the CSRF
    cookie set as CsrfViewMiddleware sets it. The host is checked as CommonMiddleware checks
    it; a request that SecurityMiddleware would redirect to HTTPS goes the whole way.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._kept: dict[bool, tuple[str, dict[str, str]]] = {}
        self._path = ""

    def _plain(self, request: HttpRequest) -> bool:
        if not self._path:
            self._path = reverse("login")
        cookies = request.COOKIES
        csrf = cookies.get(settings.CSRF_COOKIE_NAME)
        return (
            request.method == "GET"
            and request.path == self._path
            and not request.META.get("QUERY_STRING")
            and settings.SESSION_COOKIE_NAME not in cookies
            and CookieStorage.cookie_name not in cookies
            and (csrf is None or CSRF_SECRET.match(csrf) is not None)
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._plain(request):
            return self.get_response(request)
        secure = request.is_secure()
        kept = self._kept.get(secure)
        if kept is None or (settings.SECURE_SSL_REDIRECT and not secure):
            response = self.get_response(request)
            page = getattr(response, "sta_login_page", None)
            if (
                isinstance(page, str)
                and response.status_code == 200
                and set(response.cookies) <= {settings.CSRF_COOKIE_NAME}
            ):
                self._kept[secure] = (page, dict(response.items()))
            return response
        # Why: raises DisallowedHost (a 400) for a host not allowed, as the full way would.
        request.get_host()
        page, headers = kept
        sent = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
        if sent is not None:
            request.META["CSRF_COOKIE"] = sent
        response = HttpResponse(
            page.replace(TOKEN_PLACEHOLDER, get_token(request)), headers=headers
        )
        response["Content-Length"] = str(len(response.content))
        if "Expires" in response:
            response["Expires"] = http_date()
        set_csrf_cookie(response, request.META["CSRF_COOKIE"])
        return response
