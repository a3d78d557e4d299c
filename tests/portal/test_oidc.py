"""Sign-in with OpenID Connect against a real provider (oidc-provider) on loopback.

The provider's own login and consent pages are filled in over HTTP; the
portal's callback is then called with what the provider sent back — once
honestly, and then with a replayed state, a wrong PKCE verifier and a wrong
nonce, each of which must be refused.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from chartographer.app import create_app
from tests.portal.services import CLIENT_ID, CLIENT_SECRET, Provider, start_provider

CALLBACK = "http://testserver/portal/oidc/callback"
pytestmark = pytest.mark.services


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    yield from start_provider([CALLBACK])


@pytest.fixture
def client(portal_settings, provider: Provider) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    settings = portal_settings(
        oidc_discovery_url=provider.discovery_url,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=CLIENT_SECRET,
    )
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def provider_login(authorize_url: str, login: str) -> str:
    """Walk the provider's login and consent pages; the callback URL it redirects to."""
    with httpx.Client(follow_redirects=False, timeout=10) as browser:
        url = authorize_url
        for _ in range(12):
            response = browser.get(url) if url else None
            assert response is not None
            if response.status_code in (302, 303):
                url = urljoin(url, response.headers["location"])
                if url.startswith(CALLBACK):
                    return url
                continue
            form = re.search(r'<form[^>]*action="([^"]+)"', response.text)
            assert form, response.text[:500]
            action = urljoin(url, form.group(1))
            if 'name="login"' in response.text:
                sent = browser.post(
                    action, data={"prompt": "login", "login": login, "password": "x"}
                )
            else:
                sent = browser.post(action, data={"prompt": "consent"})
            assert sent.status_code in (302, 303), sent.text[:500]
            url = urljoin(action, sent.headers["location"])
            if url.startswith(CALLBACK):
                return url
    raise AssertionError("the provider never redirected back")


def start(client: TestClient, next: str = "/portal/usage") -> str:
    response = client.get(f"/portal/oidc/login?next={next}", follow_redirects=False)
    assert response.status_code == 302
    location = response.headers["location"]
    query = parse_qs(urlsplit(location).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["state"] and query["nonce"] and query["code_challenge"]
    return location


def callback(client: TestClient, url: str) -> httpx.Response:
    parts = urlsplit(url)
    return client.get(f"{parts.path}?{parts.query}", follow_redirects=False)


def test_sign_in_through_the_provider_login_page(client: TestClient) -> None:
    back = provider_login(start(client, "/portal/usage"), "grace@example.com")
    done = callback(client, back)
    assert done.status_code == 303, done.text
    assert done.headers["location"] == "/portal/usage"
    page = client.get("/portal/keys")
    assert page.status_code == 200
    assert "grace@example.com" in page.text


def test_a_replayed_state_is_refused(client: TestClient) -> None:
    back = provider_login(start(client), "henry@example.com")
    flow_cookie = client.cookies["chartographer_portal"]  # carries the state marker
    assert callback(client, back).status_code == 303
    client.cookies.clear()
    client.cookies.set("chartographer_portal", flow_cookie, path="/portal")
    replay = callback(client, back)
    assert replay.status_code == 400  # the flow was deleted on first use
    assert "did not complete" in replay.text
    assert client.get("/portal/keys", follow_redirects=False).status_code == 303


def _tamper(client: TestClient, field: str, value: str) -> None:
    portal_app = next(r.app for r in client.app.routes if getattr(r, "path", "") == "/portal")  # type: ignore[attr-defined]
    items = portal_app.state.portal.oidc.cache.items
    assert len(items) == 1
    key, (expiry, raw) = next(iter(items.items()))
    data = json.loads(raw)
    assert field in data["data"]
    data["data"][field] = value
    items[key] = (expiry, json.dumps(data))


def test_a_wrong_pkce_verifier_is_refused_by_the_provider(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    back = provider_login(start(client), "ivy@example.com")
    _tamper(client, "code_verifier", "x" * 64)
    with caplog.at_level("INFO", "chartographer.portal.oidc"):
        refused = callback(client, back)
    assert refused.status_code == 400
    assert "invalid_grant" in caplog.text  # the provider checked the verifier
    assert "ivy@example.com" not in client.get("/portal/keys", follow_redirects=True).text


def test_a_wrong_nonce_is_refused(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    back = provider_login(start(client), "jack@example.com")
    _tamper(client, "nonce", "not-the-nonce-that-was-sent")
    with caplog.at_level("INFO", "chartographer.portal.oidc"):
        refused = callback(client, back)
    assert refused.status_code == 400
    assert "nonce" in caplog.text
    assert client.get("/portal/keys", follow_redirects=False).status_code == 303


def test_an_unverified_email_is_not_linked(client: TestClient) -> None:
    back = provider_login(start(client), "unverified-kim@example.com")
    refused = callback(client, back)
    assert refused.status_code == 403
    assert "did not confirm an e-mail address" in refused.text


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil"])
def test_return_to_is_same_site_only(client: TestClient, target: str) -> None:
    back = provider_login(start(client, target), "lee@example.com")
    done = callback(client, back)
    assert done.status_code == 303
    assert done.headers["location"] == "/portal/keys"
