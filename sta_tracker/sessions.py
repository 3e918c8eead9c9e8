"""Sessions renewed at most once a minute, not written on every request."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

RENEWED_AT = "_renewed_at"


class SessionRenewalMiddleware:
    """Keep the idle clock of a signed-in session running without a write per request.

    Django saves a session only when it changed. Touching a timestamp here at most every
    ``STA_SESSION_RENEW_SECONDS`` makes the session count as changed that often, so its expiry
    moves forward while it is in use, and a light page costs no session write in between. The
    idle limit is therefore kept to within that many seconds.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        # Why: a visitor without a session gets none from here (no row per anonymous request).
        if session.session_key is not None:
            now = int(timezone.now().timestamp())
            renewed = session.get(RENEWED_AT)
            if not isinstance(renewed, int) or now - renewed >= settings.STA_SESSION_RENEW_SECONDS:
                session[RENEWED_AT] = now
        return self.get_response(request)
