"""Whole pages kept for the one signed-in person and session that asked for them.

A signed-in reader asks for the same pages again and again while nothing in the database moves.
``PageCacheMiddleware`` is the outermost middleware: the first time, the request goes through
the whole chain (session, sign-in, the access map, the view, the security headers) and a plain
200 answer is kept as it left the chain; the next time the same session asks for the same
address, the answer is replayed from one cache round trip, before any other middleware runs.

What makes a kept page valid, checked on every replay:

- the same address, host and scheme, the same session cookie and CSRF cookie, the same day;
- the session, read from the cache entry the session backend keeps (``cached_db``), still
  there, signed in as the same person, with the same contents (its renewal time aside), and
  not due for renewal (so the idle timeout keeps counting exactly as on the full path);
- the same *generation*: a random value kept in the cache and replaced after every committed
  write to the database (any INSERT, UPDATE, DELETE or TRUNCATE, sessions and login attempts
  aside), so a change of role, a deactivated account or a corrected clause is seen at once.

The page, the session and the generation are read together in one round trip. Anything
doubtful (no generation, Redis unreachable, a message waiting) goes the full way.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sessions.backends.cached_db import KEY_PREFIX as CACHED_DB_PREFIX
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .sessions import RENEWED_AT

GENERATION_KEY = "sta:pages:generation"
PAGE_PREFIX = "sta:page:"
HIT_HEADER = "X-Page-Cache"
CACHED_DB_ENGINE = "django.contrib.sessions.backends.cached_db"
# Why these: Django's session keys are 32 lower-case letters and digits; anything else is
# not a session this cache ever kept a page for, and is not worth a cache key.
SESSION_KEY = re.compile(r"[a-z0-9]{32}\Z")
# Why: tables written on their own schedule that no kept page shows; a session's own writes
# (its renewal) are checked through its contents, and login attempts only change the login page.
UNTRACKED_TABLES = ('"django_session"', '"axes_')
WRITES = ("INSERT", "UPDATE", "DELETE", "TRUNCA", "REPLAC")
_owed = {"bump": False}


def bump_generation() -> None:
    """Make every kept page stale: called after each committed write."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    reachable = getattr(cache, "reachable", None)
    # Why remember: a write whose bump Redis missed would leave pages valid once it is back;
    # the next bump or look-up of this process tries again (the pages' timeout bounds the rest).
    _owed["bump"] = reachable is not None and not reachable()


def _tracked_write(sql: str) -> bool:
    head = sql.lstrip()[:6].upper()
    if head not in WRITES:
        return False
    start = sql.lstrip()[:48]
    return not any(table in start for table in UNTRACKED_TABLES)


def _bump_after_commit(connection: BaseDatabaseWrapper) -> None:
    # Why look: one bump per transaction however many rows it writes (an import writes
    # thousands); outside a transaction on_commit runs it at once.
    if connection.in_atomic_block and any(
        entry[1] is bump_generation for entry in connection.run_on_commit
    ):
        return
    transaction.on_commit(bump_generation, using=connection.alias)


def watch_writes(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """A connection's execute wrapper: a write schedules a new generation for after its commit."""
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and _tracked_write(sql):
        _bump_after_commit(context["connection"])
    return result


def install_write_watch(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """``connection_created`` receiver: every connection of every process reports its writes."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


def session_digest(data: dict[str, Any]) -> str:
    shown = {key: value for key, value in data.items() if key != RENEWED_AT}
    encoded = json.dumps(shown, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


def _excluded(path: str) -> bool:
    return path.startswith(("/api/", "/admin/", "/" + settings.STATIC_URL.lstrip("/")))


def _only_csrf_renewal(request: HttpRequest, response: HttpResponse) -> bool:
    """No cookie set, or only the CSRF cookie again with the value the request sent.

    Django sends the CSRF cookie again on every page with a form, to move its expiry on; the
    page's tokens are made from that value, which is part of the key.
    """
    names = set(response.cookies)
    if not names:
        return True
    csrf = settings.CSRF_COOKIE_NAME
    sent = request.COOKIES.get(csrf)
    return names == {csrf} and sent is not None and response.cookies[csrf].value == sent


def hit_renews_csrf(entry: tuple[Any, ...]) -> bool:
    return bool(entry[6])


def set_csrf_cookie(response: HttpResponse, value: str) -> None:
    """Set the CSRF cookie as CsrfViewMiddleware does: a replay moves its expiry on too."""
    response.set_cookie(
        settings.CSRF_COOKIE_NAME,
        value,
        max_age=settings.CSRF_COOKIE_AGE,
        domain=settings.CSRF_COOKIE_DOMAIN,
        path=settings.CSRF_COOKIE_PATH,
        secure=settings.CSRF_COOKIE_SECURE,
        httponly=settings.CSRF_COOKIE_HTTPONLY,
        samesite=settings.CSRF_COOKIE_SAMESITE,
    )


class PageCacheMiddleware:
    """Replays a signed-in person's page while nothing it could show has changed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method != "GET"
            or not settings.STA_PAGE_CACHE
            or settings.SESSION_ENGINE != CACHED_DB_ENGINE
            or settings.SESSION_CACHE_ALIAS != "default"
        ):
            return self.get_response(request)
        cookies = request.COOKIES
        session_key = cookies.get(settings.SESSION_COOKIE_NAME, "")
        if (
            not SESSION_KEY.match(session_key)
            or CookieStorage.cookie_name in cookies
            or _excluded(request.path_info)
            # Why: only a test runs a request inside a transaction; its writes are not
            # committed, so no generation would follow them.
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return self.get_response(request)
        if _owed["bump"]:
            bump_generation()
        meta = request.META
        page_key = (
            PAGE_PREFIX
            + hashlib.sha256(
                "\n".join(
                    (
                        meta.get("wsgi.url_scheme", ""),
                        meta.get("HTTP_X_FORWARDED_PROTO", ""),
                        meta.get("HTTP_HOST", ""),
                        meta.get("SCRIPT_NAME", ""),
                        request.path_info,
                        meta.get("QUERY_STRING", ""),
                        session_key,
                        cookies.get(settings.CSRF_COOKIE_NAME, ""),
                        timezone.localdate().isoformat(),
                    )
                ).encode()
            ).hexdigest()
        )
        session_cache_key = CACHED_DB_PREFIX + session_key
        found = cache.get_many([page_key, session_cache_key, GENERATION_KEY])
        generation = found.get(GENERATION_KEY)
        session = found.get(session_cache_key)
        entry = found.get(page_key)
        if entry is not None and session is not None and generation is not None:
            hit = self._replay(entry, session, generation)
            if hit is not None:
                if hit_renews_csrf(entry):
                    set_csrf_cookie(hit, cookies[settings.CSRF_COOKIE_NAME])
                return hit
        response = self.get_response(request)
        if generation is None:
            # Why not keep this one: the page may have been drawn before a write whose bump
            # was lost with the old generation. The next request keeps its page.
            cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        elif self._keepable(request, response, session_key):
            self._keep(page_key, request, response, generation)
        return response

    def _replay(self, entry: Any, session: Any, generation: str) -> HttpResponse | None:
        if not isinstance(entry, tuple) or not isinstance(session, dict) or len(entry) != 7:
            return None
        kept_generation, user_id, digest, status, headers, body = entry[:6]
        renewed = session.get(RENEWED_AT)
        if (
            kept_generation != generation
            or session.get("_auth_user_id") != user_id
            or "_session_expiry" in session
            or not isinstance(renewed, int)
            # Why: the full path renews the session now; replaying would stop its idle clock.
            or int(timezone.now().timestamp()) - renewed >= settings.STA_SESSION_RENEW_SECONDS
            or session_digest(session) != digest
        ):
            return None
        response = HttpResponse(body, status=status, headers=headers)
        # Why say so: the operator (and the page benchmark) can tell a replay from a render.
        response[HIT_HEADER] = "hit"
        return response

    def _keepable(self, request: HttpRequest, response: HttpResponse, session_key: str) -> bool:
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        cache_control = response.get("Cache-Control", "")
        vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
        return bool(
            response.status_code == 200
            and not response.streaming
            and _only_csrf_renewal(request, response)
            and session is not None
            and session.session_key == session_key
            and not session.modified
            and user is not None
            and user.is_authenticated
            # Why: a view that asked never to be kept (``never_cache``) is not kept here either.
            and "no-cache" not in cache_control
            and "Expires" not in response
            and vary <= {"cookie"}
            and len(response.content) <= settings.STA_PAGE_CACHE_MAX_BYTES
        )

    def _keep(
        self, page_key: str, request: HttpRequest, response: HttpResponse, generation: str
    ) -> None:
        session = request.session
        data = dict(session.items())
        entry = (
            generation,
            data.get("_auth_user_id"),
            session_digest(data),
            response.status_code,
            dict(response.items()),
            response.content,
            settings.CSRF_COOKIE_NAME in response.cookies,
        )
        cache.set(page_key, entry, settings.STA_PAGE_CACHE_SECONDS)
