"""How an API caller's token is checked: knox's check, plus a shape test and a record of use.

Kept apart from the token views because DRF imports the authentication classes while it loads
its own view class, which those views need.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication
from knox.settings import knox_settings
from rest_framework import exceptions

from .models import ApiToken
from .security import client_address

# The shape of every key knox makes with this project's settings: the prefix, then hex digits.
KEY_PATTERN = re.compile(
    re.escape(knox_settings.TOKEN_PREFIX)
    + f"[0-9a-f]{{{knox_settings.AUTH_TOKEN_CHARACTER_LENGTH}}}"
)
# Why: a token used many times a minute is recorded once a minute, not written on every call.
USE_RECORDED_EVERY = dt.timedelta(minutes=1)
INVALID = "Invalid token."
_UNSET = object()


class ApiTokenAuthentication(TokenAuthentication):
    """knox's token check, refusing malformed keys before any query, and recording each use.

    The access map and DRF both authenticate an API request; the outcome is kept on the request
    so that the key is checked, and its use recorded, once.
    """

    def authenticate(self, request: Any) -> tuple[Any, ApiToken] | None:
        raw = getattr(request, "_request", request)
        cached = getattr(raw, "_sta_token_auth", _UNSET)
        if isinstance(cached, exceptions.AuthenticationFailed):
            raise cached
        if cached is not _UNSET:
            return cached  # type: ignore[return-value]
        try:
            found = super().authenticate(request)
        except exceptions.AuthenticationFailed as error:
            raw._sta_token_auth = error
            raise
        if found is not None:
            record_use(found[1], client_address(raw))
        raw._sta_token_auth = found
        return found

    def authenticate_credentials(self, token: bytes) -> tuple[Any, ApiToken]:
        # Why before knox: a key that is not of the shape knox makes (non-ASCII bytes, NUL) would
        # otherwise reach its UTF-8 decoding or the database and answer 500.
        if KEY_PATTERN.fullmatch(token.decode("latin-1")) is None:
            raise exceptions.AuthenticationFailed(INVALID)
        return super().authenticate_credentials(token)


def record_use(token: ApiToken, address: str | None) -> None:
    """Note when and from where a token was last used (to the minute)."""
    now = timezone.now()
    recent = token.last_used_at is not None and now - token.last_used_at < USE_RECORDED_EVERY
    if recent and token.last_used_from == address:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_from=address)
    token.last_used_at, token.last_used_from = now, address


class ApiTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """The token scheme as the OpenAPI schema states it: ``Authorization: Token <key>``."""

    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return build_bearer_security_scheme_object(  # type: ignore[no-untyped-call]
            header_name="Authorization", token_prefix=knox_settings.AUTH_HEADER_PREFIX
        )
