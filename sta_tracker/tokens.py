"""API tokens: made, listed and revoked by their owner, revoked by administrators, recorded in use.

The tokens are django-rest-knox's (``ApiToken``): the database holds a SHA-512 digest of each key
and its first characters, never the key. The key appears once, in the answer that made it. A key
expires ``STA_API_TOKEN_DAYS`` after it was made; knox deletes an expired token when it is next
presented. Callers send ``Authorization: Token sta_…``.
"""

from __future__ import annotations

import logging
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import ApiToken
from .roles import Role, has_role

logger = logging.getLogger(__name__)


class TokenLimitReached(Exception):
    pass


# --- Services ---------------------------------------------------------------------------------


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created", "-id")


def live(tokens: QuerySet[ApiToken]) -> QuerySet[ApiToken]:
    return tokens.filter(Q(expiry__isnull=True) | Q(expiry__gt=timezone.now()))


def token_create(*, user: Any, label: str = "") -> tuple[ApiToken, str]:
    """A new token for ``user`` and its key, which is not kept anywhere."""
    limit = settings.STA_API_TOKENS_PER_PERSON
    with transaction.atomic():
        # Why lock the account: two requests at once must not both pass the limit.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if live(tokens_of(user)).count() >= limit:
            raise TokenLimitReached(
                f"You already have {limit} API tokens, the most one person may hold; "
                "revoke one you no longer use first."
            )
        # Expired tokens stop working when they expire; making a new one clears them away.
        tokens_of(user).filter(expiry__lte=timezone.now()).delete()
        token, key = ApiToken.objects.create(user=user, label=label)
    logger.info("API token %s… made for %r", token.token_key, user.get_username())
    return token, key


def revocable_by(user: Any) -> QuerySet[ApiToken]:
    """The tokens ``user`` may revoke: their own, or anyone's for an administrator."""
    if has_role(user, Role.ADMINISTRATOR):
        return ApiToken.objects.all()
    return tokens_of(user)


def token_revoke(*, token: ApiToken, acting_user: Any) -> None:
    owner = token.user.get_username()
    token.delete()
    logger.info(
        "API token %s… of %r revoked by %r", token.token_key, owner, acting_user.get_username()
    )


# --- API --------------------------------------------------------------------------------------


class TokenSerializer(serializers.ModelSerializer):
    prefix = serializers.CharField(
        source="token_key", read_only=True, help_text="The key's first characters."
    )
    expired = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = (
            "id",
            "prefix",
            "label",
            "created",
            "expiry",
            "expired",
            "last_used_at",
            "last_used_from",
        )
        read_only_fields = tuple(f for f in fields if f != "label")

    def get_expired(self, token: ApiToken) -> bool:
        return token.expiry is not None and token.expiry <= timezone.now()


class NewTokenSerializer(TokenSerializer):
    key = serializers.SerializerMethodField(
        help_text="Send as ``Authorization: Token <key>``. Shown once: it is not kept."
    )

    class Meta(TokenSerializer.Meta):
        fields = (*TokenSerializer.Meta.fields, "key")  # type: ignore[assignment]

    def get_key(self, token: ApiToken) -> str:
        return str(self.context["key"])


class TokenCreateSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class TokenListView(APIView):
    """Your API tokens (never their keys), and a new one (its key shown in this answer only)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=TokenSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(TokenSerializer(tokens_of(request.user), many=True).data)

    @extend_schema(request=TokenCreateSerializer, responses={201: NewTokenSerializer})
    def post(self, request: Request) -> Response:
        given = TokenCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            token, key = token_create(user=request.user, label=given.validated_data["label"])
        except TokenLimitReached as error:
            raise exceptions.PermissionDenied(str(error)) from None
        body = NewTokenSerializer(token, context={"key": key}).data
        return Response(body, status=status.HTTP_201_CREATED)


class TokenDetailView(APIView):
    """Revoke a token: your own, or, for an administrator, anyone's."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        token = revocable_by(request.user).select_related("user").filter(pk=pk).first()
        if token is None:
            raise exceptions.NotFound("No such token, or not one you may revoke.")
        token_revoke(token=token, acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Pages ------------------------------------------------------------------------------------


class TokenForm(forms.Form):
    label = forms.CharField(
        max_length=100,
        required=False,
        help_text="What the token is for, such as the script that will use it.",
    )


def tokens_page(request: HttpRequest) -> HttpResponse:
    """The signed-in person's tokens; a POST makes one and shows its key, this once."""
    form = TokenForm(request.POST if request.method == "POST" else None)
    made: tuple[ApiToken, str] | None = None
    status_code = 200
    if form.is_valid():
        try:
            made = token_create(user=request.user, label=form.cleaned_data["label"])
            status_code = 201
            form = TokenForm()
        except TokenLimitReached as error:
            form.add_error(None, str(error))
    if form.errors:
        status_code = 400
    context = {
        "form": form,
        "tokens": tokens_of(request.user),
        "new_token": made[0] if made else None,
        "new_key": made[1] if made else None,
        "now": timezone.now(),
        "days": settings.STA_API_TOKEN_DAYS,
        "limit": settings.STA_API_TOKENS_PER_PERSON,
    }
    return render(request, "account/tokens.html", context, status=status_code)


def token_revoke_page(request: HttpRequest, pk: int) -> HttpResponse:
    token = revocable_by(request.user).select_related("user").filter(pk=pk).first()
    if token is None:
        raise Http404("No such token, or not one you may revoke.")
    token_revoke(token=token, acting_user=request.user)
    messages.success(request, f"The token {token.token_key}… is revoked and no longer works.")
    return redirect("account_tokens")
