"""Keys page (create shown once, roll with overlap, revoke, restrictions, signing) and usage."""

from __future__ import annotations

import csv
import io
import json
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from PIL import Image

from chartographer.app import create_app
from chartographer.cli import main
from chartographer.config import Settings
from tests.portal.conftest import SECRET, Portal

CHART = "/v1/charts/bar?values=3,7,5&width=200&height=120"


def new_key(html: str) -> str:
    found = re.search(r'<code id="new-key">([^<]+)</code>', html)
    assert found, "the new key is not on the page"
    return found.group(1)


def key_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'action="/portal/keys/(\d+)/revoke"', html)]


def wait_for_usage(portal: Portal, at_least: int) -> dict[str, int]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with portal.client.stream("GET", "/portal/usage/live") as stream:
            lines = stream.iter_lines()
            assert next(lines) == "event: start"
            next(lines), next(lines)
            assert next(lines) == "event: message"
            data: dict[str, int] = json.loads(next(lines).removeprefix("data: "))
        if data["today"] >= at_least:
            return data
        time.sleep(0.2)
    raise AssertionError(f"live counter stayed below {at_least}")


def test_key_lifecycle_create_use_roll_revoke(portal: Portal) -> None:
    portal.register("keys@example.com")
    first = new_key(portal.submit("/portal/keys", name="site").text)
    assert portal.client.get(CHART, headers={"X-API-Key": first}).status_code == 200

    page = portal.get("/portal/keys").text
    assert first not in page and first[:14] in page  # prefix only
    (key_id,) = key_ids(page)
    rolled = portal.submit("/portal/keys", f"/portal/keys/{key_id}/roll", overlap="2")
    assert rolled.status_code == 201
    assert "keeps working for 2 hours" in rolled.text
    second = new_key(rolled.text)
    # both work during the overlap
    assert portal.client.get(CHART, headers={"X-API-Key": first}).status_code == 200
    assert portal.client.get(CHART, headers={"X-API-Key": second}).status_code == 200

    too_long = portal.submit("/portal/keys", f"/portal/keys/{key_id}/roll", overlap="100000")
    assert too_long.status_code == 422 and "from 0 to 168" in too_long.text

    revoked = portal.submit("/portal/keys", f"/portal/keys/{key_id}/revoke")
    assert revoked.status_code == 200 and "is revoked" in revoked.text
    refused = portal.client.get(CHART, headers={"X-API-Key": first})
    assert refused.status_code == 401
    assert refused.json()["detail"] == "the API key has been revoked"
    assert portal.client.get(CHART, headers={"X-API-Key": second}).status_code == 200


def test_restrictions_and_expiry(portal: Portal) -> None:
    portal.register("restrict@example.com")
    bad = portal.submit("/portal/keys", name="x", cidrs="10.0.0.0/33", expires="2020-13-01")
    assert bad.status_code == 422
    assert re.search(r'id="e-expires">enter a date as YYYY-MM-DD', bad.text)
    bad = portal.submit("/portal/keys", name="x", cidrs="10.0.0.0/33")
    assert re.search(r'id="e-cidrs">not an IP network', bad.text)
    past = portal.submit("/portal/keys", name="x", expires="2001-01-01")
    assert re.search(r'id="e-expires">the expiry must be in the future', past.text)

    made = portal.submit(
        "/portal/keys", name="intranet", cidrs="10.1.0.0/16", referrers="https://example.com/*",
        expires="2099-01-01",
    )  # fmt: skip
    assert made.status_code == 201
    key = new_key(made.text)
    assert "10.1.0.0/16" in made.text and "until 2099-01-01" in made.text
    denied = portal.client.get(CHART, headers={"X-API-Key": key})
    assert denied.status_code == 403  # the test client is not in 10.1.0.0/16


def test_another_accounts_key_cannot_be_touched(portal: Portal, portal_settings) -> None:  # type: ignore[no-untyped-def]
    portal.register("owner@example.com")
    portal.submit("/portal/keys", name="mine")
    (key_id,) = key_ids(portal.get("/portal/keys").text)
    portal.client.cookies.clear()
    portal.register("intruder@example.com")
    response = portal.submit("/portal/keys", f"/portal/keys/{key_id}/revoke")
    assert response.status_code == 404 and "no such key" in response.text
    response = portal.submit("/portal/keys", f"/portal/keys/{key_id}/roll", overlap="1")
    assert response.status_code == 422 and "no such key" in response.text


def test_signing_secret_and_url_signer(portal: Portal) -> None:
    portal.register("signer@example.com")
    before = portal.submit("/portal/keys", "/portal/keys/secret", url="")
    assert before.status_code == 422 and "make a key first" in before.text
    portal.submit("/portal/keys", name="k")
    shown = portal.submit("/portal/keys", "/portal/keys/secret", url=f"http://elsewhere{CHART}")
    assert shown.status_code == 200
    assert re.search(r'<code id="secret">[A-Za-z0-9_\-=]{40,}</code>', shown.text)
    signed = re.search(r'<code id="signed-url">([^<]+)</code>', shown.text)
    assert signed
    url = signed.group(1).replace("&amp;", "&")
    assert url.startswith("/v1/charts/bar?") and "client=sub_" in url
    anonymous = TestClient(portal.client.app)
    image = anonymous.get(url)
    assert image.status_code == 200, image.text
    assert anonymous.get(url.replace("values=3,7,5", "values=3,7,6")).status_code == 403


def test_usage_page_chart_csv_and_live_counter(portal: Portal) -> None:
    portal.register("usage@example.com")
    key = new_key(portal.submit("/portal/keys", name="u").text)
    for _ in range(3):
        assert portal.client.get(CHART, headers={"X-API-Key": key}).status_code == 200
    assert wait_for_usage(portal, 3)["today"] >= 3

    page = portal.get("/portal/usage")
    assert page.status_code == 200
    chart = re.search(r'<img id="usage-chart" src="([^"]+)"', page.text)
    assert chart
    image = portal.client.get(chart.group(1).replace("&amp;", "&"))  # same cookies, no key
    assert image.status_code == 200, image.text
    picture = Image.open(io.BytesIO(image.content)).convert("RGB")
    assert picture.size == (720, 260)
    assert len(picture.getcolors(100_000) or []) > 2  # bars, axes and text, not a blank
    assert "<code>/v1/charts/{kind}</code>" in page.text

    assert portal.get("/portal/usage?days=90").text.count("Last 90 days") >= 1
    exported = portal.get("/portal/usage.csv?days=90")
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    chart_rows = [r for r in rows if r["route"] == "/v1/charts/{kind}" and r["key"] == key[:14]]
    assert chart_rows and int(chart_rows[0]["requests"]) >= 3


def test_live_counter_ends_with_an_end_event(
    portal_settings: Callable[..., Settings], smtp: object
) -> None:
    settings = portal_settings(portal_live_seconds=0.05, portal_live_max_seconds=0.12)
    with TestClient(create_app(settings)) as client:
        p = Portal(client, smtp)  # type: ignore[arg-type]
        p.register("live@example.com")
        with client.stream("GET", "/portal/usage/live") as stream:
            assert stream.headers["content-type"].startswith("text/event-stream")
            events = [line for line in stream.iter_lines() if line.startswith("event:")]
    assert events[0] == "event: start" and events[-1] == "event: end"
    assert "event: message" in events


@pytest.fixture
def cli_env(portal_settings: Callable[..., Settings]) -> dict[str, str]:
    return {
        "CHARTOGRAPHER_DATABASE_URL": portal_settings().database_url,
        "CHARTOGRAPHER_KEY_HASH_SECRET": SECRET,
    }


def cli(env: dict[str, str], *args: str) -> str:
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_operator_suspends_an_account_and_its_keys_stop(
    portal: Portal, cli_env: dict[str, str], smtp: object
) -> None:
    portal.register("dev@example.com")
    key = new_key(portal.submit("/portal/keys", name="d").text)
    assert portal.client.get(CHART, headers={"X-API-Key": key}).status_code == 200

    admin = Portal(TestClient(portal.client.app), smtp)  # type: ignore[arg-type]
    admin.register("op@example.com")
    assert admin.get("/portal/admin").status_code == 403
    assert "op@example.com: active, role operator" in cli(
        cli_env, "accounts", "set-role", "op@example.com", "operator"
    )
    page = admin.get("/portal/admin")
    assert page.status_code == 200 and "dev@example.com" in page.text
    dev_id = re.search(
        r'action="/portal/admin/users/(\d+)"[^>]*>.{0,200}Suspend dev@example.com', page.text, re.S
    )
    assert dev_id
    done = admin.submit("/portal/admin", f"/portal/admin/users/{dev_id.group(1)}", action="suspend")
    assert done.status_code == 200 and "suspend done" in done.text

    refused = portal.client.get(CHART, headers={"X-API-Key": key})
    assert refused.status_code == 403
    assert refused.json()["type"].endswith("account-suspended")
    assert portal.get("/portal/keys", follow_redirects=False).status_code == 303  # signed out
    assert portal.sign_in("dev@example.com").status_code == 403

    cli(cli_env, "plans", "create", "pro", "--limit", "100/second")
    moved = admin.submit(
        "/portal/admin", f"/portal/admin/users/{dev_id.group(1)}", action="plan", plan="pro"
    )
    assert moved.status_code == 200
    assert "suspended" in cli(cli_env, "accounts", "list")
    assert "active" in cli(cli_env, "accounts", "restore", "dev@example.com")
    assert portal.client.get(CHART, headers={"X-API-Key": key}).status_code == 200
    plans = admin.get("/portal/plans").text
    assert "pro" in plans and "100/second" in plans
    unknown = admin.submit(
        "/portal/admin", f"/portal/admin/users/{dev_id.group(1)}", action="plan", plan="gold"
    )
    assert unknown.status_code == 422 and "no plan named" in unknown.text
    bad = admin.submit("/portal/admin", f"/portal/admin/users/{dev_id.group(1)}", action="explode")
    assert bad.status_code == 422


def test_approval_required_before_keys(
    portal_settings: Callable[..., Settings], smtp: object, tmp_path: Path
) -> None:
    settings = portal_settings(portal_require_approval=True)
    env = {
        "CHARTOGRAPHER_DATABASE_URL": settings.database_url,
        "CHARTOGRAPHER_KEY_HASH_SECRET": SECRET,
    }
    with TestClient(create_app(settings)) as client:
        p = Portal(client, smtp)  # type: ignore[arg-type]
        token = p.sign_up("wait@example.com")
        assert "approve your account soon" in p.confirm(token).text
        assert p.sign_in("wait@example.com").status_code == 303
        assert "waits for an operator" in p.get("/portal/keys").text
        refused = p.submit("/portal/keys", name="early")
        assert refused.status_code == 422 and "has to approve" in refused.text
        cli(env, "accounts", "approve", "wait@example.com")
        assert p.submit("/portal/keys", name="now").status_code == 201


def test_public_pages(portal: Portal) -> None:
    assert "No plans are defined yet" in portal.get("/portal/plans").text
    play = portal.get("/portal/playground")
    assert play.status_code == 200
    assert 'id="p-key"' in play.text  # keys mode: the playground asks for a key
    assert portal.get("/portal/").status_code == 200
    assert portal.get("/portal/signin?next=//evil.example").text.count("//evil") == 0
