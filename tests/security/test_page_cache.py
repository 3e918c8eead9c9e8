"""Whole pages kept per session: replayed only to the session that got them, stale after writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.sessions.backends.cached_db import SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import cache, caches
from django.db import transaction
from django.test import Client
from django.utils import timezone

from clauses.models import Agreement
from sta_tracker import pagecache
from sta_tracker.history import save_with_history
from tests.factories import make_agreement, make_user

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/agreements/"


def hit(response: Any) -> bool:
    return bool(response.get(pagecache.HIT_HEADER) == "hit")


@pytest.fixture
def page_cache(settings: Any) -> Iterator[None]:
    """The page cache on, with sessions kept in the cache as deployed (locmem or Redis)."""
    settings.STA_PAGE_CACHE = True
    settings.SESSION_ENGINE = pagecache.CACHED_DB_ENGINE
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reader(page_cache: None, client: Client, dana: Any) -> Client:
    """Dana signed in, her agreement list rendered and kept (the first request renews)."""
    make_agreement()
    client.force_login(dana)
    assert not hit(client.get(URL))  # renews the session: not kept
    assert not hit(client.get(URL))  # kept
    return client


def test_a_kept_page_is_replayed_without_a_query(
    reader: Client, django_assert_num_queries: Any
) -> None:
    rendered = reader.get(URL)
    with django_assert_num_queries(0):
        replayed = reader.get(URL)
    assert hit(replayed)
    assert replayed.status_code == 200
    assert replayed.content == rendered.content
    for header in ("Content-Security-Policy", "Cache-Control", "X-Frame-Options", "Vary"):
        assert replayed[header] == rendered[header]


def test_a_replay_sends_the_csrf_cookie_again_with_the_same_value(reader: Client) -> None:
    sent = reader.cookies["csrftoken"].value
    response = reader.get(URL)
    assert hit(response)
    assert response.cookies["csrftoken"].value == sent
    assert response.cookies["csrftoken"]["max-age"] == 31449600


def test_another_session_of_the_same_person_renders_its_own(reader: Client, dana: Any) -> None:
    other = Client()
    other.force_login(dana)
    assert not hit(other.get(URL))


def test_a_session_signed_in_as_someone_else_is_not_given_the_page(
    reader: Client, erin: Any
) -> None:
    key = reader.cookies["sessionid"].value
    session = SessionStore(key)
    session["_auth_user_id"] = str(erin.pk)
    session.save()
    response = reader.get(URL)
    assert not hit(response)


def test_another_csrf_cookie_renders_the_page_afresh(reader: Client) -> None:
    reader.cookies["csrftoken"] = "A" * 32
    assert not hit(reader.get(URL))


def test_a_signed_out_visitor_is_sent_to_log_in(page_cache: None, client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert not hit(response)


def test_after_logout_the_old_cookie_gets_no_page(reader: Client) -> None:
    key = reader.cookies["sessionid"].value
    assert reader.post("/accounts/logout/").status_code == 302
    stale = Client()
    stale.cookies["sessionid"] = key
    stale.cookies["csrftoken"] = reader.cookies["csrftoken"].value
    response = stale.get(URL)
    assert response.status_code == 302
    assert not hit(response)


def test_a_deactivated_account_is_refused_at_once(reader: Client, dana: Any) -> None:
    dana.is_active = False
    dana.save()
    response = reader.get(URL)
    assert response.status_code == 302
    assert not hit(response)


def test_a_role_taken_away_counts_at_once(reader: Client, dana: Any) -> None:
    dana.groups.clear()
    response = reader.get(URL)
    assert response.status_code == 403
    assert not hit(response)


def test_a_change_to_what_the_page_shows_is_seen_at_once(reader: Client, erin: Any) -> None:
    agreement = Agreement.objects.get(slug="sta")
    agreement.short_title = "Renamed in a test"
    save_with_history(agreement, acting_user=erin, reason="house style")
    response = reader.get(URL)
    assert not hit(response)
    assert "Renamed in a test" in response.content.decode()


def test_a_waiting_message_in_a_cookie_is_not_replayed_over(reader: Client) -> None:
    reader.cookies["messages"] = "anything"
    assert not hit(reader.get(URL))


def test_a_waiting_message_in_the_session_is_not_replayed_over(reader: Client) -> None:
    session = SessionStore(reader.cookies["sessionid"].value)
    session["_messages"] = '[["__json_message",0,20,"Saved."]]'
    session.save()
    assert not hit(reader.get(URL))


def test_a_post_is_never_answered_from_the_cache(reader: Client) -> None:
    response = reader.post(URL)
    assert response.status_code == 405
    assert not hit(response)


def test_another_address_is_another_page(reader: Client) -> None:
    assert not hit(reader.get(URL + "?page=1"))
    assert not hit(reader.get(URL, HTTP_HOST="localhost"))


def test_a_session_due_for_renewal_goes_the_whole_way_and_is_renewed(
    reader: Client, clock: Any
) -> None:
    clock.advance(61)
    response = reader.get(URL)
    assert not hit(response)
    session = Session.objects.get(session_key=reader.cookies["sessionid"].value)
    assert session.expire_date > timezone.now() + dt.timedelta(minutes=29)
    # Why still valid: only the renewal time changed, which the page does not depend on.
    assert hit(reader.get(URL))


def test_an_expired_session_gets_no_page(reader: Client) -> None:
    cache.delete(SessionStore(reader.cookies["sessionid"].value).cache_key)
    Session.objects.all().delete()
    response = reader.get(URL)
    assert response.status_code == 302
    assert not hit(response)


def test_a_page_over_the_size_limit_is_not_kept(reader: Client, settings: Any) -> None:
    cache.clear()
    settings.STA_PAGE_CACHE_MAX_BYTES = 100
    assert not hit(reader.get(URL))
    assert not hit(reader.get(URL))


def test_with_the_setting_off_nothing_is_replayed(reader: Client, settings: Any) -> None:
    settings.STA_PAGE_CACHE = False
    assert not hit(reader.get(URL))


def test_without_a_generation_nothing_is_replayed(reader: Client) -> None:
    cache.delete(pagecache.GENERATION_KEY)
    assert not hit(reader.get(URL))
    assert cache.get(pagecache.GENERATION_KEY) is not None


def test_a_cache_that_cannot_be_reached_means_every_page_is_rendered(
    page_cache: None, client: Client, dana: Any, settings: Any
) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "sta_tracker.cache.ForgivingRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.1, "RETRY_SECONDS": 60},
        }
    }
    make_agreement()
    client.force_login(dana)
    for _ in range(3):
        response = client.get(URL)
        assert response.status_code == 200
        assert not hit(response)


def test_a_bump_the_cache_missed_is_made_again_later(page_cache: None, monkeypatch: Any) -> None:
    up = {"now": False}
    monkeypatch.setattr(caches["default"], "reachable", lambda: up["now"], raising=False)
    pagecache.bump_generation()
    assert pagecache._owed["bump"]
    up["now"] = True
    before = cache.get(pagecache.GENERATION_KEY)
    pagecache.bump_generation()
    assert not pagecache._owed["bump"]
    assert cache.get(pagecache.GENERATION_KEY) != before


def test_the_generation_moves_on_when_a_write_commits_not_before(page_cache: None) -> None:
    pagecache.bump_generation()
    before = cache.get(pagecache.GENERATION_KEY)
    with transaction.atomic():
        make_user("frank")
        make_user("grace")
        assert cache.get(pagecache.GENERATION_KEY) == before
    after = cache.get(pagecache.GENERATION_KEY)
    assert after != before


def test_a_write_rolled_back_leaves_the_generation(page_cache: None) -> None:
    pagecache.bump_generation()
    before = cache.get(pagecache.GENERATION_KEY)

    def write_then_fail() -> None:
        with transaction.atomic():
            make_user("frank")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert cache.get(pagecache.GENERATION_KEY) == before


def test_session_writes_leave_the_generation(page_cache: None) -> None:
    pagecache.bump_generation()
    before = cache.get(pagecache.GENERATION_KEY)
    session = SessionStore()
    session["x"] = 1
    session.save()
    Session.objects.all().delete()
    assert cache.get(pagecache.GENERATION_KEY) == before


def test_inside_a_test_transaction_nothing_is_kept(settings: Any, dana: Any) -> None:
    """With the usual transactional test, writes never commit, so the cache stands aside."""
    settings.STA_PAGE_CACHE = True
    settings.SESSION_ENGINE = pagecache.CACHED_DB_ENGINE
    make_agreement()
    client = Client()
    client.force_login(dana)
    with transaction.atomic():
        responses = [client.get(URL) for _ in range(3)]
    assert not any(hit(r) for r in responses)
