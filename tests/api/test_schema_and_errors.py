"""The OpenAPI schema, the documentation page, and the error shape of bad requests."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from django.test import Client

from .conftest import as_user, post_json

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_is_served_to_signed_in_callers(dana: Any) -> None:
    response = as_user(dana).get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in (
        "/api/agreements/",
        "/api/agreements/{slug}/on/{day}/",
        "/api/agreements/{slug}/diff/",
        "/api/search/",
        "/api/tokens/",
        "/api/proposals/",
        "/api/proposals/{id}/decide/",
        "/api/proposals/{id}/hits/{hit_pk}/adjudicate/",
    ):
        assert path in paths, path
    decide = paths["/api/proposals/{id}/decide/"]["post"]
    assert {"200", "400", "401", "403", "404", "409"} <= set(decide["responses"])
    assert schema["components"]["schemas"]["Error"]["required"] == ["code", "detail"]


def test_the_schema_is_yaml_by_default(dana: Any) -> None:
    response = as_user(dana).get("/api/schema/")
    assert yaml.safe_load(response.content)["info"]["title"] == "STA Tracker API"


def test_the_schema_is_refused_to_anonymous_callers(db: Any) -> None:
    assert Client().get("/api/schema/").status_code == 401


def test_the_documentation_page_loads_nothing_from_the_internet(dana: Any) -> None:
    response = as_user(dana).get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui-bundle.js" in html
    assert re.findall(r"https?://", html) == []
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        assert asset.startswith("/static/drf_spectacular_sidecar/"), asset


def test_the_documentation_page_runs_no_inline_script(dana: Any) -> None:
    client = as_user(dana)
    html = client.get("/api/docs/").content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts
    assert all('src="' in attributes and not body.strip() for attributes, body in scripts)
    start_up = re.findall(r'<script src="([^"]*\?script[^"]*)"', html)
    assert start_up == ["/api/docs/?script="]
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()


def test_the_documentation_assets_are_served_locally() -> None:
    from django.contrib.staticfiles import finders

    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")


def test_anonymous_visitors_of_the_documentation_are_sent_to_log_in(db: Any) -> None:
    response = Client().get("/api/docs/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/api/docs/"


def test_an_unknown_api_address_is_a_json_404_for_callers_and_a_401_for_strangers(
    dana: Any,
) -> None:
    response = as_user(dana).get("/api/no/such/thing/")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "No API endpoint at this address."}
    assert post_json(as_user(dana), "/api/agreements/x%0A/", {}).status_code == 404
    assert Client().get("/api/no/such/thing/").status_code == 401
    assert Client().post("/api/no/such/thing/").status_code == 401


def test_a_method_the_endpoint_lacks_is_a_json_405(corpus: Any, dana: Any) -> None:
    response = post_json(as_user(dana), "/api/agreements/", {})
    assert response.status_code == 405
    assert response.json() == {"code": "method_not_allowed", "detail": 'Method "POST" not allowed.'}


def test_a_body_that_is_not_json_is_a_400(alice: Any) -> None:
    response = as_user(alice).post(
        "/api/proposals/", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_a_body_in_another_format_is_a_415(alice: Any) -> None:
    response = as_user(alice).post("/api/proposals/", data={"title": "x"})
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
