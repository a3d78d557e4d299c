"""Hypothesis on the form handlers: any submitted text gets a page, never a 500."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chartographer.app import create_app
from tests.portal.conftest import Portal, csrf_of

pytestmark = pytest.mark.slow
text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=600)
FUZZ = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def signed_in(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    from aiosmtpd.controller import Controller

    from chartographer.config import Settings
    from tests.portal.conftest import SECRET, Mailbox, SmtpServer
    from tests.services import free_port

    mailbox, port = Mailbox(), free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    db = tmp_path_factory.mktemp("fuzz") / "portal.db"
    app = create_app(
        Settings(
            render_processes=0,
            database_url=f"sqlite:///{db}",
            open_limits=[],
            access_mode="keys",
            key_hash_secret=SECRET,
            smtp_host="127.0.0.1",
            smtp_port=port,
            portal_public_url="http://testserver",
            portal_signin_limits=[],
        )
    )
    try:
        with TestClient(app) as client:
            portal = Portal(client, SmtpServer(port, mailbox))
            portal.register("fuzz@example.com")
            yield portal
    finally:
        controller.stop()


def post(portal: Portal, page: str, to: str, fields: dict[str, str]) -> int:
    csrf = csrf_of(portal.get(page).text)
    response = portal.client.post(to, data={"csrf_token": csrf, **fields}, follow_redirects=False)
    assert response.status_code < 500, response.text[:300]
    if response.status_code != 303:
        assert response.headers["content-type"].startswith("text/html")
    return response.status_code


@FUZZ
@given(name=text, referrers=text, cidrs=text, expires=text)
def test_create_key_form(
    signed_in: Portal, name: str, referrers: str, cidrs: str, expires: str
) -> None:
    status = post(
        signed_in,
        "/portal/keys",
        "/portal/keys",
        {"name": name, "referrers": referrers, "cidrs": cidrs, "expires": expires},
    )
    assert status in (201, 422)
    if status == 201:  # keep under the active-key limit for the next example
        import re

        page = signed_in.get("/portal/keys").text
        for key_id in re.findall(r'action="/portal/keys/(\d+)/revoke"', page):
            post(signed_in, "/portal/keys", f"/portal/keys/{key_id}/revoke", {})


@FUZZ
@given(overlap=text, url=text)
def test_roll_and_sign_forms(signed_in: Portal, overlap: str, url: str) -> None:
    assert post(signed_in, "/portal/keys", "/portal/keys/999999/roll", {"overlap": overlap}) in (
        422,
    )
    assert post(signed_in, "/portal/keys", "/portal/keys/secret", {"url": url}) in (200, 422)


@FUZZ
@given(email=text, password=text, next_=text)
def test_account_forms(signed_in: Portal, email: str, password: str, next_: str) -> None:
    anonymous = Portal(TestClient(signed_in.client.app), signed_in.smtp)
    assert post(anonymous, "/portal/signin", "/portal/signin", {
        "email": email, "password": password, "next": next_,
    }) in (303, 401, 403, 422)  # fmt: skip
    assert post(anonymous, "/portal/signup", "/portal/signup", {
        "email": email, "password": password,
    }) in (200, 422)  # fmt: skip
    assert post(anonymous, "/portal/reset", "/portal/reset", {"email": email}) in (200, 422)
    assert post(
        anonymous, "/portal/reset", "/portal/reset/not-a-token", {"password": password}
    ) in (
        400,
        422,
    )
