"""API tokens (django-rest-knox): hashed at rest, shown once, expiring, revocable, use noted."""

from __future__ import annotations

import datetime as dt
import importlib
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from sta_tracker.models import ApiToken
from sta_tracker.tokens import token_create

from .conftest import as_user, new_key, post_json, with_token

pytestmark = pytest.mark.django_db

AGREEMENTS = "/api/agreements/"


def _every_stored_value() -> str:
    """Every column of every stored token row, as one string, to search for a key."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")  # noqa: S608
        return repr(cursor.fetchall())


def test_a_signed_in_person_makes_a_token_and_calls_the_api_with_it(corpus: Any, dana: Any) -> None:
    response = as_user(dana).post("/api/tokens/", {"label": "nightly diff"}, "application/json")
    assert response.status_code == 201
    body = response.json()
    key = body["key"]
    assert key.startswith("sta_")
    assert len(key) == 68
    assert body["prefix"] == key[:15]
    assert body["label"] == "nightly diff"
    expiry = dt.datetime.fromisoformat(body["expiry"])
    assert abs(expiry - (timezone.now() + dt.timedelta(days=30))) < dt.timedelta(minutes=1)
    assert with_token(key).get(AGREEMENTS).status_code == 200


def test_only_a_digest_of_the_key_is_stored(dana: Any) -> None:
    key = new_key(dana)
    stored = _every_stored_value()
    assert key not in stored
    # The first characters identify the token; the rest of the key is nowhere.
    assert key[:15] in stored
    assert key[15:] not in stored
    token = ApiToken.objects.get(user=dana)
    assert len(token.digest) == 128
    assert token.digest not in key


def test_the_key_is_shown_once_and_never_listed(corpus: Any, dana: Any) -> None:
    client = as_user(dana)
    key = post_json(client, "/api/tokens/", {}).json()["key"]
    listed = client.get("/api/tokens/")
    assert listed.status_code == 200
    assert key not in listed.content.decode()
    (row,) = listed.json()
    assert row["prefix"] == key[:15]
    assert "key" not in row
    assert "digest" not in row


def test_a_person_may_hold_several_tokens_up_to_the_limit(dana: Any) -> None:
    client = as_user(dana)
    with override_settings(STA_API_TOKENS_PER_PERSON=2):
        first = post_json(client, "/api/tokens/", {}).json()["key"]
        second = post_json(client, "/api/tokens/", {}).json()["key"]
        refused = post_json(client, "/api/tokens/", {})
    assert refused.status_code == 403
    assert "You already have 2 API tokens" in refused.json()["detail"]
    assert ApiToken.objects.filter(user=dana).count() == 2
    assert with_token(first).get("/api/tokens/").status_code == 200
    assert with_token(second).get("/api/tokens/").status_code == 200


def test_an_over_long_label_is_a_400_and_nothing_is_made(dana: Any) -> None:
    response = as_user(dana).post("/api/tokens/", {"label": "x" * 101}, "application/json")
    assert response.status_code == 400
    assert "label" in response.json()["fields"]
    assert not ApiToken.objects.exists()


def test_an_expired_token_is_refused_and_cleared(corpus: Any, dana: Any) -> None:
    key = new_key(dana)
    ApiToken.objects.filter(user=dana).update(expiry=timezone.now() - dt.timedelta(seconds=1))
    response = with_token(key).get(AGREEMENTS)
    assert response.status_code == 401
    assert response.json() == {"code": "authentication_failed", "detail": "Invalid token."}
    assert not ApiToken.objects.filter(user=dana).exists()


def test_the_lifetime_is_a_setting(dana: Any) -> None:
    from knox.settings import knox_settings

    with override_settings(REST_KNOX={**_knox(), "TOKEN_TTL": dt.timedelta(days=2)}):
        token, _ = token_create(user=dana)
        assert dt.timedelta(days=2) == knox_settings.TOKEN_TTL
    assert token.expiry is not None
    assert token.expiry - token.created < dt.timedelta(days=2, minutes=1)


def _knox() -> dict[str, Any]:
    from django.conf import settings

    return dict(settings.REST_KNOX)


def test_the_owner_revokes_a_token_and_it_stops_working(corpus: Any, dana: Any) -> None:
    key = new_key(dana)
    other = new_key(dana)
    caller = with_token(key)
    token = ApiToken.objects.get(token_key=key[:15])
    assert caller.delete(f"/api/tokens/{token.pk}/").status_code == 204
    response = caller.get(AGREEMENTS)
    assert response.status_code == 401
    assert response.json() == {"code": "authentication_failed", "detail": "Invalid token."}
    # Only the one revoked.
    assert with_token(other).get(AGREEMENTS).status_code == 200


def test_revoking_a_missing_token_says_so(dana: Any) -> None:
    response = as_user(dana).delete("/api/tokens/987654/")
    assert response.status_code == 404
    assert response.json()["detail"] == "No such token, or not one you may revoke."


def test_a_person_cannot_revoke_or_see_another_persons_token(dana: Any, alice: Any) -> None:
    alices_key = new_key(alice)
    alices = ApiToken.objects.get(user=alice)
    client = as_user(dana)
    assert client.delete(f"/api/tokens/{alices.pk}/").status_code == 404
    page = client.post(reverse("account_token_revoke", args=[alices.pk]))
    assert page.status_code == 404
    assert ApiToken.objects.filter(pk=alices.pk).exists()
    assert client.get("/api/tokens/").json() == []
    assert alices_key[:15] not in client.get(reverse("account_tokens")).content.decode()


def test_an_administrator_revokes_anyones_token(corpus: Any, alice: Any, erin: Any) -> None:
    key = new_key(alice)
    token = ApiToken.objects.get(user=alice)
    assert as_user(erin).delete(f"/api/tokens/{token.pk}/").status_code == 204
    assert with_token(key).get(AGREEMENTS).status_code == 401


def test_use_is_recorded_with_when_and_from_where(corpus: Any, dana: Any) -> None:
    key = new_key(dana)
    token = ApiToken.objects.get(user=dana)
    assert token.last_used_at is None
    before = timezone.now()
    assert with_token(key).get(AGREEMENTS, REMOTE_ADDR="203.0.113.7").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert token.last_used_at >= before
    assert token.last_used_from == "203.0.113.7"
    # A call from elsewhere within the minute is recorded too; the same place is not rewritten.
    with_token(key).get(AGREEMENTS, REMOTE_ADDR="198.51.100.2")
    token.refresh_from_db()
    assert token.last_used_from == "198.51.100.2"


@override_settings(STA_TRUSTED_PROXY_COUNT=1)
def test_behind_the_front_server_the_forwarded_address_is_recorded(corpus: Any, dana: Any) -> None:
    key = new_key(dana)
    with_token(key).get(
        AGREEMENTS, REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 192.0.2.44"
    )
    assert ApiToken.objects.get(user=dana).last_used_from == "192.0.2.44"


def test_a_token_call_is_checked_once_and_its_use_written_once(
    corpus: Any, dana: Any, django_assert_max_num_queries: Any
) -> None:
    key = new_key(dana)
    caller = with_token(key)
    with django_assert_max_num_queries(12) as captured:
        assert caller.get(AGREEMENTS).status_code == 200
    sql = [q["sql"] for q in captured.captured_queries]
    assert sum("UPDATE" in s and "sta_tracker_apitoken" in s for s in sql) == 1
    assert sum(s.startswith("SELECT") and "sta_tracker_apitoken" in s for s in sql) <= 2
    # Within the minute, from the same place: no write at all.
    again = caller.get(AGREEMENTS)
    assert again.status_code == 200


def test_anonymous_callers_cannot_make_tokens(db: Any) -> None:
    response = Client().post("/api/tokens/")
    assert response.status_code == 401
    assert not ApiToken.objects.exists()


def test_a_token_of_a_deactivated_account_is_refused(corpus: Any, dana: Any) -> None:
    key = new_key(dana)
    dana.is_active = False
    dana.save()
    assert with_token(key).get(AGREEMENTS).status_code == 401


def test_a_session_call_that_writes_needs_the_csrf_token(dana: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(dana)
    response = client.post("/api/tokens/")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not ApiToken.objects.exists()


def test_malformed_authorization_headers_are_401_not_500(corpus: Any, dana: Any) -> None:
    key = new_key(dana)
    for header in (
        "Token",
        "Token a b",
        "Token \u00e9\u00e9",
        "Token " + key[:-1] + "\u00e9",
        "Token " + key[:20] + "\x00" + key[21:],
        "Token " + key.upper(),
        "Token " + key + "0",
        "Bearer xyz",
    ):
        response = Client(HTTP_AUTHORIZATION=header).get(AGREEMENTS)
        assert response.status_code == 401, header
        assert response["WWW-Authenticate"] == "Token"


# --- The page ---------------------------------------------------------------------------------


def test_the_page_makes_a_token_and_shows_its_key_once(dana: Any) -> None:
    client = as_user(dana)
    made = client.post(reverse("account_tokens"), {"label": "diff script"})
    assert made.status_code == 201
    token = ApiToken.objects.get(user=dana)
    html = made.content.decode()
    key = html.split('id="new-key" class="token-key" type="text" value="')[1].split('"')[0]
    assert key.startswith(token.token_key)
    assert len(key) == 68
    assert with_token(key).get("/api/tokens/").status_code == 200
    listed = client.get(reverse("account_tokens"))
    page = listed.content.decode()
    assert key not in page
    assert f"{token.token_key}…" in page
    assert "diff script" in page
    assert "127.0.0.1" in page  # where it was last used from
    assert made["Cache-Control"] == "private, no-store"


def test_the_page_lists_tokens_in_bounded_queries(
    dana: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(5):
        new_key(dana, label=f"script {n}")
    client = as_user(dana)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("account_tokens"))
    assert response.content.decode().count("Revoke</button>") == 5


def test_the_page_refuses_a_sixth_token_and_says_why(dana: Any) -> None:
    for _ in range(5):
        new_key(dana)
    response = as_user(dana).post(reverse("account_tokens"), {"label": ""})
    assert response.status_code == 400
    assert "You already have 5 API tokens" in response.content.decode()
    assert ApiToken.objects.filter(user=dana).count() == 5


def test_the_page_revokes_the_owners_token(dana: Any) -> None:
    key = new_key(dana)
    token = ApiToken.objects.get(user=dana)
    response = as_user(dana).post(reverse("account_token_revoke", args=[token.pk]), follow=True)
    assert response.status_code == 200
    assert f"The token {token.token_key}… is revoked" in response.content.decode()
    assert with_token(key).get("/api/tokens/").status_code == 401


def test_the_page_shows_an_expired_token_as_expired(dana: Any) -> None:
    new_key(dana)
    ApiToken.objects.update(expiry=timezone.now() - dt.timedelta(days=1))
    page = as_user(dana).get(reverse("account_tokens")).content.decode()
    assert "<strong>Expired</strong>" in page


# --- The admin --------------------------------------------------------------------------------


def test_the_admin_lists_tokens_without_their_keys_and_cannot_make_one(
    alice: Any, erin: Any
) -> None:
    key = new_key(alice, label="alice's script")
    token = ApiToken.objects.get(user=alice)
    admin = as_user(erin)
    listing = admin.get(reverse("admin:sta_tracker_apitoken_changelist"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert f"{token.token_key}…" in html
    assert "alice&#x27;s script" in html
    assert key not in html
    assert key[15:30] not in html
    assert token.digest not in html
    detail = admin.get(reverse("admin:sta_tracker_apitoken_change", args=[token.pk]))
    assert detail.status_code == 200
    assert key[15:30] not in detail.content.decode()
    assert token.digest not in detail.content.decode()
    assert admin.get(reverse("admin:sta_tracker_apitoken_add")).status_code == 403


def test_an_administrator_revokes_a_token_in_the_admin(corpus: Any, alice: Any, erin: Any) -> None:
    key = new_key(alice)
    token = ApiToken.objects.get(user=alice)
    url = reverse("admin:sta_tracker_apitoken_delete", args=[token.pk])
    response = as_user(erin).post(url, {"post": "yes"})
    assert response.status_code == 302
    assert with_token(key).get(AGREEMENTS).status_code == 401


# --- The migration from plain-text tokens -----------------------------------------------------


def test_the_migration_revokes_plain_text_tokens(dana: Any) -> None:
    migration = importlib.import_module("sta_tracker.migrations.0001_api_tokens")
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp, "
            "user_id integer)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES "
            "('0123456789abcdef0123456789abcdef01234567', '2026-01-01', %s)",
            [dana.pk],
        )
        # Why not the real schema editor: SQLite refuses it inside the test's transaction.
        editor = SimpleNamespace(connection=connection, execute=cursor.execute)
        migration.revoke_plain_tokens(None, editor)
        assert "authtoken_token" not in connection.introspection.table_names(cursor)
        # Again, where there is no such table: nothing to do, and no error.
        migration.revoke_plain_tokens(None, editor)
