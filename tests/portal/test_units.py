"""Small pieces of the portal: return paths, the OIDC flow cache, edge pages."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from chartographer.app import create_app
from chartographer.config import Settings
from chartographer.portal.oidc import FlowCache
from chartographer.portal.security import safe_next
from tests.portal.conftest import Portal
from tests.services import free_port


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/portal/usage?days=90", "/portal/usage?days=90"),
        ("//evil.example/", "/d"),
        ("/\\evil.example", "/d"),
        ("https://evil.example/", "/d"),
        ("javascript:alert(1)", "/d"),
        ("/a b", "/d"),
        ("/a\\b", "/d"),
        ("", "/d"),
        (None, "/d"),
        ("/" + "a" * 3000, "/d"),
    ],
)
def test_safe_next_allows_same_site_paths_only(target: str | None, expected: str) -> None:
    assert safe_next(target, "/d") == expected


def test_flow_cache_expires_and_stays_bounded() -> None:
    async def run() -> None:
        cache = FlowCache(limit=2)
        await cache.set("a", "1", expires_in=-1)  # already expired
        assert await cache.get("a") is None
        await cache.set("b", "2")
        await cache.set("c", "3")
        await cache.set("d", "4")  # full of live entries: starts over
        assert await cache.get("d") == "4"
        await cache.delete("d")
        assert await cache.get("d") is None

    asyncio.run(run())


def test_oidc_pages_without_a_provider(portal: Portal) -> None:
    assert portal.get("/portal/oidc/login").status_code == 404
    assert portal.get("/portal/oidc/callback?code=x&state=y").status_code == 404
    assert "Sign in with" not in portal.get("/portal/signin").text


def test_an_unreachable_provider_is_a_503_page(
    portal_settings: Callable[..., Settings],
) -> None:
    settings = portal_settings(
        oidc_discovery_url=f"http://127.0.0.1:{free_port()}/.well-known/openid-configuration",
        oidc_client_id="c",
    )
    with TestClient(create_app(settings)) as client:
        response = client.get("/portal/oidc/login", follow_redirects=False)
        assert response.status_code == 503
        assert "unreachable" in response.text


def test_entra_preset_builds_the_discovery_url() -> None:
    settings = Settings(oidc_entra_tenant="contoso-tenant", oidc_client_id="app")
    assert settings.oidc_metadata_url == (
        "https://login.microsoftonline.com/contoso-tenant/v2.0/.well-known/openid-configuration"
    )
    from chartographer.portal.oidc import OidcClient

    client = OidcClient(settings)
    assert client.label == "Sign in with Microsoft"
    assert client.email_verified({"xms_edov": True})
    assert not client.email_verified({"email": "a@example.com"})
    assert Settings().oidc_metadata_url is None


def test_bad_path_parameters_get_an_html_page(portal: Portal) -> None:
    portal.register("path@example.com")
    response = portal.submit("/portal/keys", "/portal/keys/not-a-number/revoke")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")


def test_an_old_or_malformed_session_is_no_session() -> None:
    import time

    from starlette.requests import Request

    from chartographer.portal.security import session_user

    def request(session: dict[str, object]) -> Request:
        return Request({"type": "http", "session": session})

    signed_in = {"uid": 7, "epoch": 2, "at": int(time.time()) - 100}
    assert session_user(request(signed_in), max_age=200) == (7, 2)
    assert session_user(request(signed_in), max_age=50) is None
    assert session_user(request({**signed_in, "uid": "7"}), max_age=200) is None
    assert session_user(request({}), max_age=200) is None


def test_sign_out(portal: Portal) -> None:
    portal.register("out@example.com")
    assert portal.submit("/portal/keys", "/portal/signout").status_code == 303
    assert portal.get("/portal/keys", follow_redirects=False).status_code == 303


def test_portal_can_be_switched_off(make_settings: Callable[..., Settings]) -> None:
    with TestClient(create_app(make_settings(portal_enabled=False))) as client:
        assert client.get("/portal/").status_code == 404
