"""Fixtures of the portal suite: a real SMTP server (aiosmtpd) and a portal client."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient

from chartographer.app import create_app
from chartographer.config import Settings
from tests.conftest import SettingsFactory
from tests.services import free_port

SECRET = "portal-test-pepper-0123456789"
PASSWORD = "correct horse battery"
LINK = re.compile(r"https?://\S+/portal/(confirm|reset)/([A-Za-z0-9_\-]+)")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Mailbox:
    """Messages received by the SMTP server, in order."""

    messages: list[Message] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.arrived:
            self.messages.append(message_from_bytes(envelope.content))
            self.arrived.notify_all()
        return "250 OK"

    def wait(self, count: int, timeout: float = 10.0) -> list[Message]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.messages) >= count, timeout)
        assert len(self.messages) >= count, f"expected {count} mails, got {len(self.messages)}"
        return self.messages

    def link(self, index: int = -1) -> tuple[str, str]:
        """(purpose, token) of the link in message ``index``."""
        body = self.messages[index].get_payload(decode=True)
        assert isinstance(body, bytes)
        found = LINK.search(body.decode())
        assert found, body
        return found.group(1), found.group(2)


@dataclass
class SmtpServer:
    port: int
    mailbox: Mailbox


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd) on loopback; received mail in ``.mailbox``."""
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer(port, mailbox)
    finally:
        controller.stop()


@pytest.fixture
def portal_settings(make_settings: SettingsFactory, smtp: SmtpServer) -> Callable[..., Settings]:
    def factory(**overrides: Any) -> Settings:
        base: dict[str, Any] = {
            "access_mode": "keys",
            "key_hash_secret": SECRET,
            "key_cache_seconds": 0,
            "smtp_host": "127.0.0.1",
            "smtp_port": smtp.port,
            "portal_public_url": "http://testserver",
            "usage_flush_seconds": 0.2,
        }
        base.update(overrides)
        return make_settings(**base)

    return factory


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF field in the page"
    return found.group(1)


class Portal:
    """A TestClient that reads CSRF tokens from pages, like a browser would send them."""

    def __init__(self, client: TestClient, smtp: SmtpServer) -> None:
        self.client = client
        self.smtp = smtp

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(path, **kwargs)

    def submit(self, page: str, to: str | None = None, /, **fields: str) -> Any:
        """GET ``page``, then POST its form (with the page's CSRF token) to ``to``."""
        html = self.client.get(page).text
        data = {"csrf_token": csrf_of(html), **fields}
        return self.client.post(to or page, data=data, follow_redirects=False)

    def sign_up(self, email: str, password: str = PASSWORD) -> str:
        before = len(self.smtp.mailbox.messages)
        response = self.submit("/portal/signup", email=email, password=password)
        assert response.status_code == 200, response.text
        self.smtp.mailbox.wait(before + 1)
        purpose, token = self.smtp.mailbox.link()
        assert purpose == "confirm"
        return token

    def confirm(self, token: str) -> Any:
        return self.submit(f"/portal/confirm/{token}")

    def sign_in(self, email: str, password: str = PASSWORD, next: str = "") -> Any:
        return self.submit("/portal/signin", email=email, password=password, next=next)

    def register(self, email: str) -> None:
        """Sign up, confirm by the mailed link and sign in."""
        assert self.confirm(self.sign_up(email)).status_code == 200
        assert self.sign_in(email).status_code == 303


@pytest.fixture
def portal(portal_settings: Callable[..., Settings], smtp: SmtpServer) -> Iterator[Portal]:
    with TestClient(create_app(portal_settings())) as client:
        yield Portal(client, smtp)
