"""Session security: rotation, CSRF, rate-limited sign-in, headers, reset, same answers."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from chartographer.app import create_app
from chartographer.config import Settings
from tests.portal.conftest import PASSWORD, Portal, csrf_of


def test_signing_in_rotates_the_session_and_its_csrf_token(portal: Portal) -> None:
    token = portal.sign_up("rot@example.com")
    portal.confirm(token)
    page = portal.get("/portal/signin")
    before_cookie = portal.client.cookies["chartographer_portal"]
    before_csrf = csrf_of(page.text)
    response = portal.client.post(
        "/portal/signin",
        data={"csrf_token": before_csrf, "email": "rot@example.com", "password": PASSWORD},
        follow_redirects=False,
    )
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    assert "path=/portal" in cookie.lower() and "secure" not in cookie.lower()
    assert portal.client.cookies["chartographer_portal"] != before_cookie
    assert csrf_of(portal.get("/portal/keys").text) != before_csrf
    # the pre-sign-in cookie is not a signed-in session
    fixated = TestClient(portal.client.app)
    fixated.cookies.set("chartographer_portal", before_cookie, path="/portal")
    assert fixated.get("/portal/keys", follow_redirects=False).status_code == 303


def test_secure_cookies_behind_https(portal_settings: Callable[..., Settings]) -> None:
    with TestClient(create_app(portal_settings(portal_cookie_secure=True))) as client:
        client.get("/portal/signin")
        response = client.get("/portal/signin")
        assert response.status_code == 200
    # the first GET set the session (CSRF token): its cookie is Secure
    with TestClient(create_app(portal_settings(portal_cookie_secure=True))) as client:
        first = client.get("/portal/signin")
        assert "secure" in first.headers["set-cookie"].lower()


@pytest.mark.parametrize(
    "path", ["/portal/signup", "/portal/signin", "/portal/reset", "/portal/signout", "/portal/keys"]
)
def test_every_form_refuses_a_missing_or_wrong_csrf_token(portal: Portal, path: str) -> None:
    portal.get("/portal/signin")  # a session with a token exists
    for token in (None, "forged"):
        data = {"email": "x@example.com", "password": PASSWORD}
        if token:
            data["csrf_token"] = token
        response = portal.client.post(path, data=data, follow_redirects=False)
        if path == "/portal/keys":  # signed out: sign-in comes first
            assert response.status_code == 303
            continue
        assert response.status_code == 403
        assert "did not come from this site" in response.text


def test_security_headers_on_every_page(portal: Portal) -> None:
    for path in ("/portal/", "/portal/signin", "/portal/plans", "/portal/nowhere"):
        response = portal.get(path)
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "no-store"
        assert "<script>" not in response.text  # no inline script anywhere
    assert portal.get("/portal/nowhere").status_code == 404
    assert (
        portal.get("/portal/static/portal.js").headers["content-type"].startswith("text/javascript")
    )


def test_sign_in_is_rate_limited_per_account_and_ip(
    portal_settings: Callable[..., Settings], smtp: object
) -> None:
    settings = portal_settings(portal_signin_limits=["3/minute"])
    with TestClient(create_app(settings)) as client:
        # the limiter's windows are fixed and aligned to the clock: five attempts that
        # straddle a minute boundary would start a fresh window, so start inside one
        if time.time() % 60 > 45:
            time.sleep(60.5 - time.time() % 60)
        statuses = []
        for _ in range(5):
            csrf = csrf_of(client.get("/portal/signin").text)
            response = client.post(
                "/portal/signin",
                data={"csrf_token": csrf, "email": "who@example.com", "password": "wrong-password"},
            )
            statuses.append(response.status_code)
        assert statuses == [401, 401, 401, 429, 429]
        assert "Too many sign-in attempts" in response.text
        assert response.headers["retry-after"] == "60"


def test_password_reset_by_mailed_link_ends_other_sessions(portal: Portal) -> None:
    portal.register("reset@example.com")
    other = TestClient(portal.client.app)
    other.cookies.update(portal.client.cookies)
    assert other.get("/portal/keys").status_code == 200

    sent = len(portal.smtp.mailbox.messages)
    page = portal.submit("/portal/reset", email="reset@example.com")
    unknown = portal.submit("/portal/reset", email="nobody@example.com")
    assert page.status_code == unknown.status_code == 200
    strip = re.compile(r'(value="[^"]*")|(If \S+ can)')
    assert strip.sub("", page.text) == strip.sub("", unknown.text)
    portal.smtp.mailbox.wait(sent + 1)
    purpose, token = portal.smtp.mailbox.link()
    assert purpose == "reset"
    assert len(portal.smtp.mailbox.messages) == sent + 1  # nothing mailed to the unknown one

    short = portal.submit(f"/portal/reset/{token}", password="short")
    assert short.status_code == 422
    assert 'id="e-password"' in short.text and "at least 10 characters" in short.text
    done = portal.submit(f"/portal/reset/{token}", password="a brand new password")
    assert done.status_code == 200
    assert portal.submit(f"/portal/reset/{token}", password="another new one!").status_code == 400

    assert other.get("/portal/keys", follow_redirects=False).status_code == 303
    assert portal.sign_in("reset@example.com", PASSWORD).status_code == 401
    assert portal.sign_in("reset@example.com", "a brand new password").status_code == 303


def test_signing_up_twice_looks_the_same_and_mails_a_reset_link(portal: Portal) -> None:
    portal.sign_up("twice@example.com")
    again = portal.submit("/portal/signup", email="twice@example.com", password=PASSWORD)
    fresh = portal.submit("/portal/signup", email="fresh@example.com", password=PASSWORD)
    strip = re.compile(r'(value="[^"]*")|(If \S+ can)')
    assert again.status_code == fresh.status_code == 200
    assert strip.sub("", again.text) == strip.sub("", fresh.text)
    mails = portal.smtp.mailbox.wait(3)
    assert {m["To"] for m in mails[-2:]} == {"twice@example.com", "fresh@example.com"}
    to_twice = next(m for m in mails[-2:] if m["To"] == "twice@example.com")
    assert "/portal/reset/" in to_twice.get_payload()


def test_without_smtp_the_link_is_logged(
    portal_settings: Callable[..., Settings], caplog: pytest.LogCaptureFixture
) -> None:
    with TestClient(create_app(portal_settings(smtp_host=None))) as client:
        csrf = csrf_of(client.get("/portal/signup").text)
        with caplog.at_level(logging.INFO, "chartographer.mail"):
            response = client.post(
                "/portal/signup",
                data={"csrf_token": csrf, "email": "log@example.com", "password": PASSWORD},
            )
        assert response.status_code == 200
        link = re.search(r"http://testserver(/portal/confirm/\S+)", caplog.text)
        assert link, caplog.text
        csrf = csrf_of(client.get(link.group(1)).text)
        assert client.post(link.group(1), data={"csrf_token": csrf}).status_code == 200


def test_an_unreachable_smtp_server_does_not_break_sign_up(
    portal_settings: Callable[..., Settings], caplog: pytest.LogCaptureFixture
) -> None:
    from tests.services import free_port

    with TestClient(create_app(portal_settings(smtp_port=free_port()))) as client:
        csrf = csrf_of(client.get("/portal/signup").text)
        with caplog.at_level(logging.WARNING, "chartographer.mail"):
            response = client.post(
                "/portal/signup",
                data={"csrf_token": csrf, "email": "down@example.com", "password": PASSWORD},
            )
        assert response.status_code == 200
        assert "not sent: ConnectionRefusedError" in caplog.text


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"email": "not-an-address", "password": PASSWORD}, "email", "e-mail address like"),
        ({"email": "a@example.com", "password": "short"}, "password", "at least 10"),
        ({"email": "a" * 401, "password": PASSWORD}, "email", "at most 400"),
    ],
)
def test_sign_up_errors_are_next_to_the_field(
    portal: Portal, fields: dict[str, str], field: str, message: str
) -> None:
    response = portal.submit("/portal/signup", **fields)
    assert response.status_code == 422
    error = re.search(rf'<p class="error" id="e-{field}">([^<]+)</p>', response.text)
    assert error and message in error.group(1)
    assert 'aria-describedby="' in response.text and 'aria-invalid="true"' in response.text
    assert PASSWORD not in response.text  # passwords are never echoed back
