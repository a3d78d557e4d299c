"""Client addresses behind proxies: one configured header, walked through trusted hops only."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi import Request
from fastapi.testclient import TestClient

from chartographer.access.network import CidrSet, client_ip, resolve_client
from chartographer.app import create_app
from tests.access.conftest import CHART
from tests.conftest import SettingsFactory
from tests.serving import serve

PROXY = ("127.0.0.1", 5000)


def _headers(*pairs: tuple[str, str]) -> list[tuple[bytes, bytes]]:
    return [(name.lower().encode(), value.encode()) for name, value in pairs]


def test_only_the_configured_header_is_read() -> None:
    trusted = CidrSet(["127.0.0.1/32", "10.0.0.0/8"])
    both = _headers(("Forwarded", "for=192.0.2.1"), ("X-Forwarded-For", "198.51.100.7"))
    assert client_ip("127.0.0.1", both, trusted, "x-forwarded-for") == "198.51.100.7"
    assert client_ip("127.0.0.1", both, trusted, "forwarded") == "192.0.2.1"
    # the other header alone is not believed either: the proxy is then the client
    only_forwarded = _headers(("Forwarded", "for=192.0.2.1"))
    assert client_ip("127.0.0.1", only_forwarded, trusted, "x-forwarded-for") == "127.0.0.1"
    only_xff = _headers(("X-Forwarded-For", "198.51.100.7"))
    assert client_ip("127.0.0.1", only_xff, trusted, "forwarded") == "127.0.0.1"


def test_repeated_header_lines_are_one_chain_walked_from_the_right() -> None:
    trusted = CidrSet(["127.0.0.1/32", "10.0.0.0/8"])
    # the client sent its own X-Forwarded-For line; our LB (10.0.0.5) added a second
    lines = _headers(("X-Forwarded-For", "6.6.6.6"), ("X-Forwarded-For", "198.51.100.7, 10.0.0.5"))
    assert client_ip("127.0.0.1", lines, trusted, "x-forwarded-for") == "198.51.100.7"
    forwarded = _headers(
        ("Forwarded", "for=6.6.6.6"),
        ("Forwarded", 'for="198.51.100.8:4711";proto=https, for=10.0.0.5;proto=http'),
    )
    assert client_ip("127.0.0.1", forwarded, trusted, "forwarded") == "198.51.100.8"
    # the scheme is the one the client used, told by the proxy that saw the client
    assert resolve_client("127.0.0.1", forwarded, trusted, "forwarded") == (
        "198.51.100.8",
        "https",
    )
    proto = _headers(("X-Forwarded-For", "198.51.100.7"), ("X-Forwarded-Proto", "https"))
    assert resolve_client("127.0.0.1", proto, trusted, "x-forwarded-for") == (
        "198.51.100.7",
        "https",
    )
    odd = _headers(("X-Forwarded-For", "198.51.100.7"), ("X-Forwarded-Proto", "gopher"))
    assert resolve_client("127.0.0.1", odd, trusted, "x-forwarded-for") == ("198.51.100.7", None)


def test_a_spoofed_forwarded_header_does_not_bypass_per_ip_limits(
    make_settings: SettingsFactory,
) -> None:
    settings = make_settings(open_limits=["5/minute"], trusted_proxies=["127.0.0.1/32"])
    statuses = []
    with TestClient(create_app(settings), client=PROXY) as proxy:
        for i in range(20):
            # our proxy appends the real client; the client invents a new Forwarded each time
            headers = {"X-Forwarded-For": "198.51.100.7", "Forwarded": f"for=192.0.2.{i}"}
            statuses.append(proxy.get(CHART, headers=headers).status_code)
    assert statuses.count(200) == 5
    assert statuses.count(429) == 15


def test_a_spoofed_forwarded_header_does_not_bypass_deny_cidrs(
    make_settings: SettingsFactory,
) -> None:
    settings = make_settings(trusted_proxies=["127.0.0.1/32"], deny_cidrs=["198.51.100.66/32"])
    with TestClient(create_app(settings), client=PROXY) as proxy:
        headers = {"X-Forwarded-For": "198.51.100.66", "Forwarded": "for=192.0.2.1"}
        denied = proxy.get(CHART, headers=headers)
        assert denied.status_code == 403
        assert denied.json()["type"].endswith("address-denied")
    # with the Forwarded scheme configured, X-Forwarded-For is the one ignored
    settings = make_settings(
        trusted_proxies=["127.0.0.1/32"],
        deny_cidrs=["198.51.100.66/32"],
        forwarded_header="forwarded",
    )
    with TestClient(create_app(settings), client=PROXY) as proxy:
        headers = {"Forwarded": "for=198.51.100.66", "X-Forwarded-For": "192.0.2.1"}
        assert proxy.get(CHART, headers=headers).status_code == 403
        headers = {"Forwarded": "for=192.0.2.1", "X-Forwarded-For": "198.51.100.66"}
        assert proxy.get(CHART, headers=headers).status_code == 200


def test_the_resolved_address_and_scheme_are_the_requests_own(
    make_settings: SettingsFactory,
) -> None:
    """Every route (not only guarded ones) sees the same client the gate judged."""
    app = create_app(make_settings(trusted_proxies=["127.0.0.1/32"]))
    seen: dict[str, object] = {}

    @app.get("/whoami-test")
    def whoami(request: Request) -> dict[str, str]:
        seen["client"] = request.client.host if request.client else None
        return {"scheme": request.url.scheme}

    with TestClient(app, client=PROXY) as proxy:
        headers = {"X-Forwarded-For": "198.51.100.7", "X-Forwarded-Proto": "https"}
        assert proxy.get("/whoami-test", headers=headers).json() == {"scheme": "https"}
        assert seen["client"] == "198.51.100.7"
    with TestClient(app, client=("203.0.113.9", 5000)) as direct:
        headers = {"X-Forwarded-For": "198.51.100.7", "X-Forwarded-Proto": "https"}
        assert direct.get("/whoami-test", headers=headers).json() == {"scheme": "http"}
        assert seen["client"] == "203.0.113.9"


@pytest.mark.slow
def test_proxy_headers_flag_without_trusted_proxies_trusts_nobody(tmp_path: Path) -> None:
    env = {"CHARTOGRAPHER_OPEN_LIMITS": "3/minute"}
    log = tmp_path / "serve.log"
    with serve(env, log, "--proxy-headers") as base:
        statuses = [
            httpx.get(
                base + CHART, headers={"X-Forwarded-For": f"198.51.100.{i}"}, timeout=30
            ).status_code
            for i in range(6)
        ]
    # every call comes from 127.0.0.1, whatever it claims: three admitted, then 429
    assert statuses == [200, 200, 200, 429, 429, 429]
    text = log.read_text()
    assert "198.51.100." not in text
    assert "CHARTOGRAPHER_TRUSTED_PROXIES is empty" in text


@pytest.mark.slow
def test_served_behind_a_trusted_proxy_the_access_log_shows_the_client(tmp_path: Path) -> None:
    # uvicorn: the server that writes an access log (Granian, the default, does not)
    env = {"CHARTOGRAPHER_TRUSTED_PROXIES": "127.0.0.1/32", "CHARTOGRAPHER_SERVER": "uvicorn"}
    log = tmp_path / "serve.log"
    with serve(env, log, "--proxy-headers") as base:
        headers = {"X-Forwarded-For": "198.51.100.7", "Forwarded": "for=192.0.2.1"}
        assert httpx.get(base + CHART, headers=headers, timeout=30).status_code == 200
    text = log.read_text()
    assert '198.51.100.7:0 - "GET /v1/charts/bar' in text
    assert "192.0.2.1" not in text
