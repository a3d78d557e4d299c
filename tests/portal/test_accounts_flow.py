"""Sign up → confirm by the mailed link (real SMTP) → sign in → keys → use → revoke."""

from __future__ import annotations

import re

from tests.portal.conftest import PASSWORD, Portal

CHART = "/v1/charts/bar?values=3,7,5&width=200&height=120"


def new_key(html: str) -> str:
    found = re.search(r'<code id="new-key">([^<]+)</code>', html)
    assert found, "the new key is not on the page"
    return found.group(1)


def test_sign_up_confirm_sign_in_and_make_a_key(portal: Portal) -> None:
    token = portal.sign_up("ada@example.com")
    mail = portal.smtp.mailbox.messages[-1]
    assert mail["To"] == "ada@example.com"
    assert "Confirm" in mail["Subject"]

    # unconfirmed accounts cannot sign in yet
    refused = portal.sign_in("ada@example.com")
    assert refused.status_code == 403
    assert "Confirm your e-mail address first" in refused.text

    confirmed = portal.confirm(token)
    assert confirmed.status_code == 200
    assert "Your address is confirmed" in confirmed.text
    assert portal.confirm(token).status_code == 400  # a link works once

    signed_in = portal.sign_in("ada@example.com", next="/portal/usage")
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/portal/usage"

    created = portal.submit("/portal/keys", name="newsletter")
    assert created.status_code == 201
    key = new_key(created.text)
    assert key.startswith("cg_live_")
    assert key not in portal.get("/portal/keys").text  # shown once

    ok = portal.client.get(CHART, headers={"X-API-Key": key})
    assert ok.status_code == 200
    assert ok.headers["content-type"] == "image/png"


def test_wrong_password_and_unknown_email_get_the_same_answer(portal: Portal) -> None:
    portal.register("bob@example.com")
    portal.client.cookies.clear()
    wrong = portal.sign_in("bob@example.com", "not the password")
    unknown = portal.sign_in("nobody@example.com", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    strip = re.compile(r'value="[^"]*"')
    assert strip.sub("", wrong.text) == strip.sub("", unknown.text)
