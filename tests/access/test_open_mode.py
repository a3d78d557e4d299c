"""Open mode and foreign keys: migrated Google URLs carry Google's key= and must still work."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.access.conftest import CHART


def test_open_mode_ignores_a_key_that_is_not_ours(client: TestClient) -> None:
    response = client.get(CHART + "&key=YOUR_API_KEY")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert "not a Chartographer key" in response.headers["x-chartographer-warning"]
    google_style = client.get("/chart?cht=p&chs=200x100&chd=t:60,40&key=AIzaSyFakeGoogleKey")
    assert google_style.status_code == 200
    assert "ignored in open mode" in google_style.headers["x-chartographer-warning"]


def test_open_mode_still_refuses_one_of_our_keys_that_is_wrong(client: TestClient) -> None:
    from chartographer.access import keys

    unknown = keys.generate_key()
    response = client.get(CHART + "&key=" + unknown)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["param"] == "key"


def test_keys_mode_refuses_a_foreign_key(keys_client: TestClient) -> None:
    response = keys_client.get(CHART + "&key=YOUR_API_KEY")
    assert response.status_code == 401
    assert response.json()["param"] == "key"
