"""Every way a request is admitted or refused, through the real app in keys mode."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from chartographer.access import signing
from chartographer.access.gate import read_credentials
from chartographer.access.service import utcnow
from chartographer.app import create_app
from chartographer.config import Settings
from tests.access.conftest import CHART, Seeder
from tests.conftest import decode

PROBLEM = "application/problem+json"


def assert_problem(response: object, status: int, slug: str) -> dict[str, object]:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"] == PROBLEM  # type: ignore[attr-defined]
    body: dict[str, object] = response.json()  # type: ignore[attr-defined]
    assert body["type"] == f"https://chartographer.dev/problems/{slug}"
    return body


def assert_chart(response: object) -> None:
    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"] == "image/png"  # type: ignore[attr-defined]
    image = decode(response.content)  # type: ignore[attr-defined]
    assert image.size == (200, 120)
    colours = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 2  # bars and axes drawn, not a blank canvas


def test_a_key_is_accepted_in_three_ways(seeder: Seeder, keys_client: TestClient) -> None:
    seeder.plan("basic", "100/minute")
    key = seeder.key("basic").key
    assert_chart(keys_client.get(f"{CHART}&key={key}"))
    assert_chart(keys_client.get(CHART, headers={"X-API-Key": key}))
    response = keys_client.get(CHART, headers={"Authorization": f"Bearer {key}"})
    assert_chart(response)
    assert response.headers["RateLimit-Policy"] == '"minute";q=100;w=60'
    assert response.headers["RateLimit"].startswith('"minute";r=97;t=')


def test_public_routes_need_no_key(keys_client: TestClient) -> None:
    for path in ("/docs", "/redoc", "/openapi.json", "/healthz", "/readyz"):
        response = keys_client.get(path)
        assert response.status_code == 200, path
        assert "RateLimit" not in response.headers


def test_no_key(keys_client: TestClient) -> None:
    response = keys_client.get(CHART)
    body = assert_problem(response, 401, "missing-key")
    assert body["param"] == "key"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    # routes that do not exist yet are guarded by prefix too
    assert_problem(keys_client.get("/maps/api/staticmap?center=0,0"), 401, "missing-key")
    assert_problem(keys_client.get("/chart?cht=p&chd=t:1,2"), 401, "missing-key")


def test_malformed_and_unknown_keys(seeder: Seeder, keys_client: TestClient) -> None:
    seeder.plan("basic", "100/minute")
    key = seeder.key("basic").key
    bad_checksum = key[:-1] + ("A" if key[-1] != "A" else "B")
    body = assert_problem(keys_client.get(f"{CHART}&key={bad_checksum}"), 401, "invalid-key")
    assert "malformed" in str(body["detail"])
    from chartographer.access.keys import generate_key

    body = assert_problem(keys_client.get(f"{CHART}&key={generate_key()}"), 401, "invalid-key")
    assert "not known" in str(body["detail"])


def test_revoked_key(seeder: Seeder, keys_client: TestClient) -> None:
    seeder.plan("basic", "100/minute")
    issued = seeder.key("basic")
    assert_chart(keys_client.get(f"{CHART}&key={issued.key}"))
    seeder.revoke(str(issued.record.id))
    body = assert_problem(keys_client.get(f"{CHART}&key={issued.key}"), 401, "invalid-key")
    assert "revoked" in str(body["detail"])


def test_expired_key(seeder: Seeder, keys_client: TestClient) -> None:
    seeder.plan("basic", "100/minute")
    key = seeder.key("basic", expires_at=utcnow() - timedelta(minutes=1)).key
    assert_problem(keys_client.get(f"{CHART}&key={key}"), 401, "expired-key")


def test_referrer_restriction(seeder: Seeder, keys_client: TestClient) -> None:
    seeder.plan("basic", "100/minute")
    key = seeder.key("basic", referrers=("*.example.com",)).key
    ok = keys_client.get(f"{CHART}&key={key}", headers={"Referer": "https://docs.example.com/a"})
    assert_chart(ok)
    wrong = keys_client.get(f"{CHART}&key={key}", headers={"Referer": "https://evil.test/"})
    assert assert_problem(wrong, 403, "referrer-not-allowed")["param"] == "Referer"
    assert_problem(keys_client.get(f"{CHART}&key={key}"), 403, "referrer-not-allowed")


def test_key_cidr_restriction(seeder: Seeder, keys_settings: Callable[..., Settings]) -> None:
    seeder.plan("basic", "100/minute")
    key = seeder.key("basic", cidrs=("10.0.0.0/8",)).key
    app = create_app(keys_settings())
    with TestClient(app, client=("10.1.2.3", 5000)) as inside:
        assert_chart(inside.get(f"{CHART}&key={key}"))
    with TestClient(app, client=("192.0.2.1", 5000)) as outside:
        assert_problem(outside.get(f"{CHART}&key={key}"), 403, "address-not-allowed")


def test_service_allow_and_deny_lists_with_trusted_proxy(
    seeder: Seeder, keys_settings: Callable[..., Settings]
) -> None:
    seeder.plan("basic", "100/minute")
    key = seeder.key("basic").key
    settings = keys_settings(
        trusted_proxies=["127.0.0.1/32"],
        allow_cidrs=["198.51.100.0/24"],
        deny_cidrs=["198.51.100.66/32"],
    )
    with TestClient(create_app(settings), client=("127.0.0.1", 5000)) as proxy:
        url = f"{CHART}&key={key}"
        assert_chart(proxy.get(url, headers={"X-Forwarded-For": "198.51.100.7"}))
        denied = proxy.get(url, headers={"X-Forwarded-For": "198.51.100.66"})
        assert_problem(denied, 403, "address-denied")
        outside = proxy.get(url, headers={"Forwarded": "for=203.0.113.5"})
        assert_problem(outside, 403, "address-denied")
        # the proxy itself is not in the allow list either
        assert_problem(proxy.get(url), 403, "address-denied")
    with TestClient(create_app(settings), client=("203.0.113.9", 5000)) as direct:
        # an untrusted peer cannot claim an allowed address
        spoofed = direct.get(url, headers={"X-Forwarded-For": "198.51.100.7"})
        assert_problem(spoofed, 403, "address-denied")


def _signed(path: str, query: str, secret: str, google: bool = False) -> str:
    sign = signing.sign_google if google else signing.sign_sha256
    return f"{path}?{query}&signature={sign(secret, path, query)}"


def test_signed_urls_without_a_key(seeder: Seeder, keys_client: TestClient) -> None:
    seeder.plan("basic", "100/minute")
    issued = seeder.key("basic")
    secret, client = issued.subscription.signing_secret, issued.subscription.client_id
    path, query = "/v1/charts/bar", f"values=3,7,5&width=200&height=120&client={client}"
    assert_chart(keys_client.get(_signed(path, query, secret)))
    assert_chart(keys_client.get(_signed(path, query, secret, google=True)))
    exp = int(time.time()) + 600
    assert_chart(keys_client.get(_signed(path, f"{query}&exp={exp}", secret)))
    # tampering with any byte of the signed query breaks it
    tampered = _signed(path, query, secret).replace("values=3,7,5", "values=3,7,6")
    assert assert_problem(keys_client.get(tampered), 403, "invalid-signature")["param"] == (
        "signature"
    )
    other = seeder.key("basic").subscription.signing_secret
    assert_problem(keys_client.get(_signed(path, query, other)), 403, "invalid-signature")
    unknown = _signed(path, "values=1&client=sub_nobody", secret)
    assert_problem(keys_client.get(unknown), 403, "invalid-signature")


def test_expired_signature(seeder: Seeder, keys_client: TestClient) -> None:
    seeder.plan("basic", "100/minute")
    issued = seeder.key("basic")
    secret, client = issued.subscription.signing_secret, issued.subscription.client_id
    query = f"values=3,7,5&client={client}&exp={int(time.time()) - 1}"
    response = keys_client.get(_signed("/v1/charts/bar", query, secret))
    assert assert_problem(response, 403, "signature-expired")["param"] == "exp"
    query = f"values=3,7,5&client={client}&exp=soon"
    assert_problem(
        keys_client.get(_signed("/v1/charts/bar", query, secret)), 403, "invalid-signature"
    )


def test_key_with_signature_checks_both(seeder: Seeder, keys_client: TestClient) -> None:
    google_secret = "vNIXE0xscrmjlyV-12Nj_BvUPaw="
    seeder.plan("basic", "100/minute")
    key = seeder.key("basic", signing_secret=google_secret).key
    path, query = "/v1/charts/bar", f"values=3,7,5&width=200&height=120&key={key}"
    assert_chart(keys_client.get(_signed(path, query, google_secret, google=True)))
    bad = f"{path}?{query}&signature=chaRF2hTJKOScPr-RQCEhZbSzIE="
    assert_problem(keys_client.get(bad), 403, "invalid-signature")


def test_over_rate_limit(seeder: Seeder, keys_client: TestClient) -> None:
    seeder.plan("tiny", "2/minute")
    key = seeder.key("tiny").key
    assert_chart(keys_client.get(f"{CHART}&key={key}"))
    assert_chart(keys_client.get(f"{CHART}&key={key}"))  # a cache hit still counts
    response = keys_client.get(f"{CHART}&key={key}")
    body = assert_problem(response, 429, "rate-limited")
    assert "2 per 60 s" in str(body["detail"])
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert response.headers["RateLimit"].startswith('"minute";r=0;t=')


def test_over_quota(seeder: Seeder, keys_client: TestClient) -> None:
    seeder.plan("trial", "100/minute", daily=1, monthly=50)
    key = seeder.key("trial").key
    first = keys_client.get(f"{CHART}&key={key}")
    assert_chart(first)
    assert first.headers["RateLimit-Policy"].startswith(
        '"minute";q=100;w=60, "daily";q=1;w=86400, "monthly";q=50;w='
    )
    response = keys_client.get(f"{CHART}&key={key}")
    body = assert_problem(response, 429, "quota-exceeded")
    assert "daily quota of 1" in str(body["detail"])
    assert int(response.headers["Retry-After"]) <= 86400


def test_open_mode_limits_per_client_ip(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(open_limits=["2/minute"])
    app = create_app(settings)
    with (
        TestClient(app, client=("192.0.2.1", 1)) as first,
        TestClient(app, client=("192.0.2.2", 1)) as second,
    ):
        assert_chart(first.get(CHART))
        assert_chart(first.get(CHART))
        assert_problem(first.get(CHART), 429, "rate-limited")
        assert_chart(second.get(CHART))
        assert_problem(second.get("/v1/usage"), 401, "missing-key")


def test_fail_closed_answers_503_while_redis_is_down(
    seeder: Seeder, keys_settings: Callable[..., Settings], redis_server: object
) -> None:
    from tests.services import RedisServer

    assert isinstance(redis_server, RedisServer)
    seeder.plan("basic", "100/minute")
    key = seeder.key("basic").key
    settings = keys_settings(redis_url=redis_server.url, redis_outage="fail_closed")
    with TestClient(create_app(settings)) as client:
        assert_chart(client.get(f"{CHART}&key={key}"))
        checks = client.get("/readyz").json()["checks"]
        assert checks == {"database": "ok", "redis": "ok", "render": "ok"}
        redis_server.stop()
        try:
            assert_problem(client.get(f"{CHART}&key={key}"), 503, "limiter-unavailable")
            ready = client.get("/readyz")
            assert ready.status_code == 503 and ready.json()["checks"]["redis"] != "ok"
        finally:
            redis_server.start()
        assert_chart(client.get(f"{CHART}&key={key}"))


def test_keys_and_secrets_never_reach_the_logs(
    seeder: Seeder, keys_client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    seeder.plan("basic", "1/minute")
    issued = seeder.key("basic")
    secret = issued.subscription.signing_secret
    with caplog.at_level(logging.DEBUG):
        keys_client.get(f"{CHART}&key={issued.key}")
        keys_client.get(f"{CHART}&key={issued.key}")  # refused: 429
        keys_client.get(CHART, headers={"Authorization": f"Bearer {issued.key}"})
        query = f"values=1&client={issued.subscription.client_id}"
        keys_client.get(_signed("/v1/charts/bar", query, secret))
    # the test's own HTTP client (httpx) logs its URLs; everything server-side must not
    server = [r for r in caplog.records if not r.name.startswith("httpx")]
    text = "\n".join(f"{r.getMessage()} {r.args}" for r in server)
    assert issued.key not in text
    assert secret not in text and secret.rstrip("=") not in text


def test_uvicorn_access_log_lines_are_redacted(seeder: Seeder, keys_client: TestClient) -> None:
    """The filter installed on uvicorn's access logger strips keys and signatures."""
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5", "GET", "/chart?cht=p&key=cg_live_abc&signature=xyz=&b=1", "1.1", 200),
        None,
    )
    for handler_filter in logging.getLogger("uvicorn.access").filters:
        assert handler_filter.filter(record)
    assert record.getMessage() == (
        '127.0.0.1:5 - "GET /chart?cht=p&key=***&signature=***&b=1 HTTP/1.1" 200'
    )
    from chartographer.access.redact import redact

    assert redact("Authorization: Bearer cg_live_x") == "Authorization: Bearer ***"


def test_redaction_leaves_other_records_alone() -> None:
    from chartographer.access.redact import RedactSecrets

    record = logging.LogRecord("x", logging.INFO, __file__, 1, {"k": 1}, None, None)
    assert RedactSecrets().filter(record) and record.msg == {"k": 1}
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%(a)s", ({"a": "key=1"},), None)
    assert RedactSecrets().filter(record) and record.args == {"a": "key=1"}


def test_openapi_declares_the_key_schemes(keys_client: TestClient) -> None:
    schema = keys_client.get("/openapi.json").json()
    assert set(schema["components"]["securitySchemes"]) == {"keyQuery", "keyHeader", "bearer"}
    operation = schema["paths"]["/v1/charts/{kind}"]["get"]
    assert {} not in operation["security"] and {"keyQuery": []} in operation["security"]
    assert {"401", "403", "429"} <= set(operation["responses"])
    assert "security" not in schema["paths"]["/healthz"]["get"]
    assert keys_client.get("/openapi.json").json() == schema


def test_open_mode_makes_keys_optional_in_the_schema(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/v1/charts/{kind}"]["get"]
    assert {} in operation["security"]


def test_fail_open_keeps_serving_and_limiting_while_redis_is_down(
    seeder: Seeder,
    keys_settings: Callable[..., Settings],
    redis_server: object,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from tests.services import RedisServer

    assert isinstance(redis_server, RedisServer)
    redis_server.flush()
    seeder.plan("two", "2/minute")
    key = seeder.key("two").key
    settings = keys_settings(redis_url=redis_server.url, redis_outage="fail_open")
    with TestClient(create_app(settings)) as client:
        redis_server.stop()
        try:
            with caplog.at_level(logging.WARNING):
                assert_chart(client.get(f"{CHART}&key={key}"))
                assert_chart(client.get(f"{CHART}&key={key}"))
                assert_problem(client.get(f"{CHART}&key={key}"), 429, "rate-limited")
        finally:
            redis_server.start()
    assert any("local in-memory limiter" in r.getMessage() for r in caplog.records)


def test_credentials_are_read_however_the_query_spells_them() -> None:
    """A query that cannot name a credential is not parsed; one that can always is."""
    headers = [(b"x-api-key", b" from-header ")]
    assert read_credentials("/chart", "cht=p&chd=t:1,2", headers).key == "from-header"
    plain = read_credentials("/chart", "cht=p&chd=t:1,2", [])
    assert (plain.key, plain.client, plain.signature, plain.exp) == (None, None, None, None)
    spelled = read_credentials("/chart", "a=1&k%65y=K1&%63lient=C&signature=S&exp=9", [])
    assert (spelled.key, spelled.client, spelled.signature, spelled.exp) == ("K1", "C", "S", "9")
    # the query's key wins over the header's, and the first of two wins
    assert read_credentials("/chart", "key=Q&key=R", headers).key == "Q"
    # "+" decodes to a space, so k+ey is not key
    assert read_credentials("/chart", "k+ey=X", []).key is None


def test_a_cached_key_does_not_let_malformed_keys_through(
    seeder: Seeder, keys_settings: Callable[..., Settings]
) -> None:
    seeder.plan("basic", "100/minute")
    key = seeder.key("basic").key
    with TestClient(create_app(keys_settings(key_cache_seconds=60))) as client:
        assert_chart(client.get(CHART, headers={"X-API-Key": key}))
        assert_chart(client.get(CHART, headers={"X-API-Key": key}))  # from the key cache
        for bad in (key[:-1] + ("A" if key[-1] != "A" else "B"), key + "x", key[:-1], "cg_live_"):
            body = assert_problem(client.get(CHART, headers={"X-API-Key": bad}), 401, "invalid-key")
            assert "malformed" in str(body["detail"])
        from chartographer.access.keys import generate_key

        unknown = generate_key()
        for _ in range(2):  # the unknown key is cached as unknown, and stays refused
            body = assert_problem(client.get(f"{CHART}&key={unknown}"), 401, "invalid-key")
            assert "not known" in str(body["detail"])
        assert_chart(client.get(f"{CHART}&key={key}"))


def test_each_keyed_hit_has_its_own_headers(seeder: Seeder, keys_client: TestClient) -> None:
    """The outer layers add RateLimit and X-Request-ID to a hit's list, never to a kept one."""
    seeder.plan("basic", "100/minute")
    key = seeder.key("basic").key
    responses = [keys_client.get(CHART, headers={"X-API-Key": key}) for _ in range(4)]
    assert [r.headers["x-cache"] for r in responses] == ["MISS", "HIT", "HIT", "HIT"]
    for i, response in enumerate(responses):
        names = [name.lower() for name, _ in response.headers.raw]
        assert names.count(b"ratelimit") == names.count(b"x-request-id") == 1
        assert response.headers["ratelimit"].startswith(f'"minute";r={99 - i};')
