"""Journeys in a real browser: Playwright driving Debian's Chromium against a live server.

Sign up → confirm by the mailed link → sign in → create a key → use it → see
the call in usage (chart image loaded) and in the live counter → roll →
revoke → the old key is refused; sign-in through the OpenID provider's login
page; keyboard-only sign-in; axe-core on every page (no serious or critical
violations); screenshots of every page at desktop and phone sizes.

Set ``CHARTOGRAPHER_SCREENSHOTS=docs/img/portal`` to keep the screenshots.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright import sync_api

from chartographer.app import create_app
from tests.portal.conftest import PASSWORD, SECRET, Mailbox, SmtpServer
from tests.portal.services import (
    CHROMIUM_ARGS,
    CLIENT_ID,
    CLIENT_SECRET,
    NODE_DIR,
    Provider,
    require_chromium,
    start_provider,
)
from tests.services import free_port, wait_for_port

pytestmark = [pytest.mark.services, pytest.mark.slow]
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
SEVERE = ("serious", "critical")


class LiveServer:
    def __init__(self, settings: Any) -> None:
        self.port = settings.port
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(settings), host="127.0.0.1", port=self.port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        wait_for_port(self.port)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(15)


@pytest.fixture(scope="module")
def smtp_module() -> Iterator[SmtpServer]:
    from aiosmtpd.controller import Controller

    mailbox, port = Mailbox(), free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield SmtpServer(port, mailbox)
    controller.stop()


@pytest.fixture(scope="module")
def port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def provider(port: int) -> Iterator[Provider]:
    yield from start_provider([f"http://127.0.0.1:{port}/portal/oidc/callback"])


@pytest.fixture(scope="module")
def live(
    port: int, smtp_module: SmtpServer, provider: Provider, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    from chartographer.config import Settings

    db = tmp_path_factory.mktemp("browser") / "portal.db"
    settings = Settings(
        host="127.0.0.1",
        port=port,
        render_processes=0,
        database_url=f"sqlite:///{db}",
        open_limits=[],
        access_mode="keys",
        key_hash_secret=SECRET,
        key_cache_seconds=0,
        smtp_host="127.0.0.1",
        smtp_port=smtp_module.port,
        usage_flush_seconds=0.2,
        portal_live_seconds=0.5,
        oidc_discovery_url=provider.discovery_url,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=CLIENT_SECRET,
        oidc_label="Sign in with the test provider",
    )
    with LiveServer(settings) as server:
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = require_chromium()
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


AXE = (NODE_DIR / "node_modules" / "axe-core" / "axe.min.js") if NODE_DIR.exists() else None
SHOTS: dict[str, str] = {}  # name → URL, collected by the journeys


def axe_violations(page: Any) -> list[str]:
    """Run axe-core in the page; serious and critical violations as readable lines."""
    assert AXE is not None
    page.evaluate(AXE.read_text())  # evaluate is not subject to the page's CSP
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
        for v in results["violations"]
        if v["impact"] in SEVERE
    ]


def check_page(page: Any, name: str) -> None:
    """axe-core on the current page, and note it for the screenshots."""
    assert axe_violations(page) == [], name
    SHOTS[name] = page.url


def mailed_link(mailbox: Mailbox, count: int) -> str:
    mailbox.wait(count)
    body = mailbox.messages[count - 1].get_payload(decode=True)
    assert isinstance(body, bytes)
    found = re.search(r"http://\S+/portal/(?:confirm|reset)/\S+", body.decode())
    assert found
    return found.group(0)


def assert_fits_width(page: Any, width: int) -> None:
    """Nothing scrolls sideways and every button (Roll, Revoke, Approve…) is on screen."""
    overflow = page.evaluate(
        "() => [document.documentElement.scrollWidth, "
        "...[...document.querySelectorAll('main button')].map("
        "b => Math.ceil(b.getBoundingClientRect().right))]"
    )
    assert overflow[0] <= width, f"page is {overflow[0]} px wide in a {width} px viewport"
    assert len(overflow) > 1 and max(overflow[1:]) <= width, overflow


def wait_until(check: Any, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def test_developer_journey(page: Any, live: LiveServer, smtp_module: SmtpServer) -> None:
    mailbox = smtp_module.mailbox
    page.goto(live.url + "/portal/")
    check_page(page, "home")
    page.get_by_role("link", name="Sign up").first.click()
    check_page(page, "signup")
    page.get_by_label("E-mail address").fill("browser@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.get_by_role("heading", name="Check your mail").wait_for()
    check_page(page, "check-mail")

    page.goto(mailed_link(mailbox, len(mailbox.messages) + 1 if False else 1))
    page.get_by_role("button", name="Confirm my address").click()
    page.get_by_role("heading", name="Your address is confirmed").wait_for()
    page.get_by_role("link", name="Sign in").last.click()
    check_page(page, "signin")
    page.get_by_label("E-mail address").fill("browser@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url("**/portal/keys")

    page.get_by_label("Name").fill("journey")
    page.get_by_role("button", name="Create key").click()
    key = page.locator("#new-key").inner_text()
    assert key.startswith("cg_live_")
    check_page(page, "keys")

    chart = f"{live.url}/v1/charts/bar?values=3,7,5&width=300&height=200&key={key}"
    image = page.request.get(chart)
    assert image.status == 200 and image.headers["content-type"] == "image/png"

    page.goto(live.url + "/portal/usage")
    wait_until(lambda: page.locator("#live-count").inner_text() not in ("…", "0"))
    assert int(page.locator("#live-count").inner_text()) >= 1
    loaded = page.eval_on_selector(
        "#usage-chart", "img => img.complete ? [img.naturalWidth, img.naturalHeight] : null"
    )
    assert loaded == [720, 260]
    assert "/v1/charts/{kind}" in page.locator("table").first.inner_text()
    check_page(page, "usage")

    page.goto(live.url + "/portal/keys")
    old_prefix = key[:14]
    page.get_by_label("Overlap (hours)").fill("1")
    page.get_by_role("button", name=f"Roll {old_prefix}").click()
    new = page.locator("#new-key").inner_text()
    assert new != key and "keeps working for 1 hours" in page.content()
    assert page.request.get(chart).status == 200  # overlap
    page.get_by_role("button", name=f"Revoke {old_prefix}").click()
    page.get_by_text(f"Key {old_prefix}… is revoked.").wait_for()
    assert page.request.get(chart).status == 401
    assert page.request.get(chart.replace(key, new)).status == 200

    for name in ("playground", "plans", "reset"):
        page.goto(f"{live.url}/portal/{name}")
        check_page(page, name)
    page.goto(live.url + "/portal/playground")
    page.get_by_label("Your API key").fill(new)
    page.get_by_label("Values (or map center)").fill("1,4,9,16")
    wait_until(
        lambda: (
            page.eval_on_selector(
                "#p-image", "img => img.complete && img.naturalWidth === 500 && img.src"
            )
            and "values=1,4,9,16" in page.locator("#p-native").inner_text()
        )
    )
    assert "cht=bvg" in page.locator("#p-google").inner_text()


def test_operator_admin_page(page: Any, live: LiveServer, smtp_module: SmtpServer) -> None:
    from chartographer.accounts import service
    from chartographer.db import make_engine, make_sessionmaker, session_scope

    page.goto(live.url + "/portal/signup")
    page.get_by_label("E-mail address").fill("operator@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    before = len(smtp_module.mailbox.messages)
    page.get_by_role("button", name="Sign up").click()
    page.get_by_role("heading", name="Check your mail").wait_for()
    page.goto(mailed_link(smtp_module.mailbox, before + 1))
    page.get_by_role("button", name="Confirm my address").click()
    url = live.server.config.app.state.settings.database_url
    engine = make_engine(url)
    with session_scope(make_sessionmaker(engine)) as session:
        service.set_role(session, "operator@example.com", "operator")
    engine.dispose()
    page.goto(live.url + "/portal/signin?next=/portal/admin")
    page.get_by_label("E-mail address").fill("operator@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url("**/portal/admin")
    page.get_by_role("heading", name="Accounts").wait_for()
    check_page(page, "admin")


def test_keyboard_only_sign_in(page: Any, live: LiveServer) -> None:
    page.goto(live.url + "/portal/signin")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "f-email":
            break
    else:
        raise AssertionError("the e-mail field is not reachable with Tab")
    page.keyboard.type("browser@example.com")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "f-password"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/portal/keys")
    assert "browser@example.com" in page.locator("footer").inner_text()


def test_sign_in_with_openid_connect(page: Any, live: LiveServer) -> None:
    page.goto(live.url + "/portal/signin?next=/portal/usage")
    page.get_by_role("link", name="Sign in with the test provider").click()
    page.wait_for_url(re.compile(r"http://127\.0\.0\.1:\d+/interaction/"))
    page.locator("input[name=login]").fill("oidc-user@example.com")
    page.locator("input[name=password]").fill("anything")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/portal/usage")
    assert "oidc-user@example.com" in page.locator("footer").inner_text()


def test_screenshots_of_every_page(browser: Any, live: LiveServer, tmp_path: Path) -> None:
    """Every page the journeys visited, at desktop and phone sizes, as the signed-in user."""
    assert {"home", "signup", "signin", "keys", "usage", "playground", "plans", "admin"} <= set(
        SHOTS
    )
    keep = os.environ.get("CHARTOGRAPHER_SCREENSHOTS")
    for size, (width, height) in SIZES.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        shot = context.new_page()
        shot.goto(live.url + "/portal/signin")
        shot.get_by_label("E-mail address").fill("operator@example.com")
        shot.get_by_label("Password").fill(PASSWORD)
        shot.get_by_role("button", name="Sign in", exact=True).click()
        shot.wait_for_url("**/portal/keys")
        for name, url in SHOTS.items():
            if name in ("signup", "signin", "check-mail", "reset", "home"):
                continue  # the signed-out pages, below
            shot.goto(url)
            if name == "keys":
                shot.get_by_label("Name").fill(f"docs-{size}")
                shot.get_by_role("button", name="Create key").click()
                key = shot.locator("#new-key").inner_text()
                for values in ("3,7,5", "1,2", "4,4,4", "9,1"):
                    call = f"{live.url}/v1/charts/bar?values={values}&key={key}"
                    assert shot.request.get(call).status == 200
            if name == "playground":
                shot.get_by_label("Your API key").fill(key)
                wait_until(
                    lambda shot=shot: (
                        shot.eval_on_selector("#p-image", "img => img.naturalWidth") == 500
                    )
                )
            if name == "usage":
                wait_until(
                    lambda shot=shot: (
                        shot.eval_on_selector("#usage-chart", "img => img.naturalWidth") == 720
                    )
                )
            if name in ("keys", "admin"):
                assert_fits_width(shot, width)
            path = tmp_path / f"{name}-{size}.png"
            shot.screenshot(path=str(path), full_page=True)
            assert path.stat().st_size > 5000
        context.close()
        anonymous = browser.new_context(viewport={"width": width, "height": height})
        out = anonymous.new_page()
        for name in ("home", "signup", "signin", "reset"):
            out.goto(f"{live.url}/portal/{'' if name == 'home' else name}")
            out.screenshot(path=str(tmp_path / f"{name}-{size}.png"), full_page=True)
        anonymous.close()
    if keep:
        target = Path(keep)
        target.mkdir(parents=True, exist_ok=True)
        for png in tmp_path.glob("*.png"):
            shutil.copy(png, target / png.name)


def test_the_accessibility_check_can_fail(page: Any) -> None:
    """axe-core really runs: a page with an unlabeled input and an image without alt fails."""
    page.set_content('<html><body><img src="x.png"><input type="text"></body></html>')
    found = axe_violations(page)
    assert any(line.startswith("image-alt") for line in found), found
    assert any(line.startswith("label") for line in found), found
