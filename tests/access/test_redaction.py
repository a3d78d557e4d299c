"""No secrets in logs: credentials are redacted by their *decoded* parameter names.

The gate decodes the query before it looks for ``key=`` (as any URL parser
does), so ``k%65y=`` and ``%6B%65%79=`` authenticate; the log redaction used to
match the raw text only and wrote those keys out in full.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from chartographer.access import redact as redact_module
from chartographer.access import signing
from chartographer.access.keys import DISPLAY_LENGTH
from chartographer.access.redact import redact, redact_headers, redact_query
from tests.access.conftest import CHART, SECRET, Seeder
from tests.serving import serve


@pytest.mark.parametrize(
    ("query", "redacted"),
    [
        ("key=cg_live_x&a=1", "key=***&a=1"),
        ("a=1&k%65y=cg_live_x", "a=1&k%65y=***"),
        ("%6B%65%79=cg_live_x", "%6B%65%79=***"),
        ("%6b%65%79=cg_live_x", "%6b%65%79=***"),
        ("KEY=cg_live_x", "KEY=***"),
        ("k%2565y=cg_live_x", "k%2565y=***"),  # encoded twice: still a key to a reader
        ("signature=abc%3D&client=gme-x&exp=99", "signature=***&client=***&exp=99"),
        ("si%67nature=abc&x=1;key=y", "si%67nature=***&x=1;key=***"),
        ("api_key=a&access_token=b&code=c&v=s", "api_key=***&access_token=***&code=***&v=s"),
        ("key&keys=1&monkey=2", "key&keys=1&monkey=2"),
        ("+key=3&%20Key%20=4", "+key=***&%20Key%20=***"),  # near misses are masked too
        ("", ""),
    ],
)
def test_redact_query_reads_decoded_names(query: str, redacted: str) -> None:
    assert redact_query(query) == redacted
    assert redact_query(query) == redacted  # the same the second time (clean ones are kept)
    assert redact_query(redacted) == redacted  # as the formatter redacts the line again


def test_only_queries_without_credentials_are_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(redact_module, "_clean", set())
    assert redact_query("values=3,7&width=300") == "values=3,7&width=300"
    assert redact_query("values=3&k%65y=cg_live_secret") == "values=3&k%65y=***"
    assert redact_module._clean == {"values=3,7&width=300"}
    assert not any("cg_live_secret" in query for query in redact_module._clean)
    redact_query("a=" + "1" * redact_module.MAX_CLEAN_QUERY)  # too long to keep
    assert len(redact_module._clean) == 1
    monkeypatch.setattr(redact_module, "CLEAN_QUERIES", 3)
    for i in range(10):
        assert redact_query(f"chl={i}") == f"chl={i}"
    assert 1 <= len(redact_module._clean) <= 3


def test_redact_finds_queries_inside_text() -> None:
    line = '127.0.0.1:5 - "GET /chart?cht=p&k%65y=cg_live_abc&chs=1x1 HTTP/1.1" 200'
    assert redact(line) == '127.0.0.1:5 - "GET /chart?cht=p&k%65y=***&chs=1x1 HTTP/1.1" 200'
    assert redact("see https://x.test/a?%6B%65%79=s3cret#top") == (
        "see https://x.test/a?%6B%65%79=***#top"
    )
    assert redact("Authorization: Bearer cg_live_x") == "Authorization: Bearer ***"
    assert redact("no secrets here: a=1") == "no secrets here: a=1"


def test_redact_headers() -> None:
    headers = [
        ("Authorization", "Bearer cg_live_x"),
        ("x-api-key", "cg_live_y"),
        ("Cookie", "session=abc"),
        ("Proxy-Authorization", "Basic dXNlcjpwYXNz"),
        ("Referer", "https://site.test/page?k%65y=cg_live_z"),
        ("Accept", "image/png"),
    ]
    assert redact_headers(headers) == [
        ("Authorization", "***"),
        ("x-api-key", "***"),
        ("Cookie", "***"),
        ("Proxy-Authorization", "***"),
        ("Referer", "https://site.test/page?k%65y=***"),
        ("Accept", "image/png"),
    ]
    raw = [(b"authorization", b"Bearer cg_live_x"), (b"accept", b"*/*")]
    assert redact_headers(raw) == [(b"authorization", b"***"), (b"accept", b"*/*")]


@pytest.mark.slow
def test_the_real_access_log_never_shows_an_encoded_key(seeder: Seeder, tmp_path: Path) -> None:
    seeder.plan("basic", "100/minute")
    issued = seeder.key("basic")
    secret = issued.subscription.signing_secret
    client_id = issued.subscription.client_id
    query = f"values=1,2&client={client_id}"
    signed = f"{query}&signature={signing.sign_sha256(secret, '/v1/charts/bar', query)}"
    env = {
        "CHARTOGRAPHER_ACCESS_MODE": "keys",
        "CHARTOGRAPHER_KEY_HASH_SECRET": SECRET,
        "CHARTOGRAPHER_DATABASE_URL": seeder.url,
        "CHARTOGRAPHER_SERVER": "uvicorn",  # the server that writes an access log
    }
    log = tmp_path / "serve.log"
    with serve(env, log) as base:
        for name in ("key", "k%65y", "%6B%65%79", "%6b%65%79"):
            response = httpx.get(f"{base}{CHART}&{name}={issued.key}", timeout=30)
            assert response.status_code == 200, (name, response.text)  # it authenticates
        assert httpx.get(f"{base}/v1/charts/bar?{signed}", timeout=30).status_code == 200
        # signatures are checked on the raw query, so this one does not verify; still logged
        encoded = signed.replace("signature=", "si%67nature=")
        assert httpx.get(f"{base}/v1/charts/bar?{encoded}", timeout=30).status_code == 403
    text = log.read_text()
    assert text.count('"GET /v1/charts/bar?') == 6, text  # the access log was captured
    assert "k%65y=***" in text and "%6B%65%79=***" in text
    assert issued.key not in text
    assert issued.key[DISPLAY_LENGTH:] not in text  # not even the part after the prefix
    signature = signing.sign_sha256(secret, "/v1/charts/bar", query)
    assert signature not in text and signature.rstrip("=") not in text
    assert client_id not in text
