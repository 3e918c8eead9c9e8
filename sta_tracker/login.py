"""The login page, its blank form rendered once per process.

Every visit of a signed-out person to the login page without a query shows the same page but
for its CSRF token, and it is the one page everyone asks for first. So the page is rendered
once, with a placeholder for the token, and each visit gets its own token put in. A visit with
an address to go back to (``?next=``), a message waiting to be shown, a signed-in person or a
form sent back with its errors is rendered afresh, as Django does.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.response import TemplateResponse
from django.utils.translation import get_language

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
        return HttpResponse(page.replace(TOKEN_PLACEHOLDER, get_token(request)))
