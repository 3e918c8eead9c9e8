"""API tokens: django-rest-knox's token, with a label and a record of its last use."""

from __future__ import annotations

import datetime as dt

from django.db import models
from knox.models import AbstractAuthToken
from knox.settings import CONSTANTS


class ApiToken(AbstractAuthToken):
    """One API token of one person. Only a digest of the key is kept, never the key itself.

    ``token_key`` holds the key's first characters, which identify it to its owner and to
    administrators; the rest of the key exists only in the answer that created it.
    """

    # Why a numeric id: knox keys a token by its digest, which must not appear in addresses.
    id: models.BigAutoField[int, int] = models.BigAutoField(primary_key=True)
    digest: models.CharField[str, str] = models.CharField(
        max_length=CONSTANTS.DIGEST_LENGTH, unique=True
    )
    label: models.CharField[str, str] = models.CharField(
        max_length=100, blank=True, help_text="What the token is for, in its owner's words."
    )
    last_used_at: models.DateTimeField[dt.datetime | None, dt.datetime | None] = (
        models.DateTimeField(null=True, blank=True)
    )
    last_used_from: models.GenericIPAddressField[str | None, str | None] = (
        models.GenericIPAddressField(null=True, blank=True)
    )

    class Meta:
        verbose_name = "API token"
        ordering = ("-created", "-id")

    def __str__(self) -> str:
        return f"{self.token_key}… of {self.user}"
