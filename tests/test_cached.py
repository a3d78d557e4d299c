"""Repeated image URLs are answered from the cache before routing, parsing or planning."""

from __future__ import annotations

import gc

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from chartographer.cached import MAX_ALIAS_URL, CachedImageMiddleware, QueryAliases, alias_key
from chartographer.charts.google import router as google_router
from chartographer.charts.native import router as native_router
from chartographer.formats import Rendered
from tests.conftest import decode

BAR = "/v1/charts/bar?values=3,7,5&labels=a,b,c&width=300&height=200"
GOOGLE = "/chart?cht=bvs&chs=300x200&chd=t:10,50,60"


def _break_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, any request that reaches the parsers fails loudly."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the request was parsed again")

    monkeypatch.setattr(native_router, "spec_from_query", refuse)
    monkeypatch.setattr(google_router, "plan_chart", refuse)


def test_second_identical_get_is_served_without_parsing(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = {url: client.get(url) for url in (BAR, GOOGLE)}
    assert {r.headers["x-cache"] for r in first.values()} == {"MISS"}
    _break_parsing(monkeypatch)
    for url, miss in first.items():
        hit = client.get(url)
        assert hit.status_code == 200
        assert hit.headers["content-type"] == "image/png"
        assert hit.headers["x-cache"] == "HIT"
        assert hit.headers["etag"] == miss.headers["etag"]
        assert hit.headers["cache-control"] == miss.headers["cache-control"]
        assert hit.content == miss.content
        assert decode(hit.content).size == (300, 200)


def test_if_none_match_on_a_remembered_url_is_a_304(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    etag = client.get(BAR).headers["etag"]
    _break_parsing(monkeypatch)
    again = client.get(BAR, headers={"If-None-Match": f'W/{etag}, "other"'})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag


def test_an_evicted_image_takes_the_full_path_again(client: TestClient, app: FastAPI) -> None:
    first = client.get(BAR)
    app.state.images.cache._lru.clear()
    again = client.get(BAR)
    assert again.status_code == 200
    assert again.headers["x-cache"] == "MISS"  # rendered again, not a stale alias
    assert again.content == first.content


def test_equivalent_spellings_still_meet_at_the_content_key(client: TestClient) -> None:
    first = client.get(BAR)
    reordered = client.get("/v1/charts/bar?height=200&width=300&labels=a,b,c&values=3,7,5")
    assert reordered.headers["x-cache"] == "HIT"
    assert reordered.headers["etag"] == first.headers["etag"]


def test_planner_warnings_are_repeated_on_a_hit(client: TestClient) -> None:
    url = "/chart?cht=bvs&chs=300x200&chd=t:10,50&chbh=zz"
    miss = client.get(url)
    warning = miss.headers["x-chartographer-warning"]
    assert "chbh" in warning
    hit = client.get(url)
    assert hit.headers["x-cache"] == "HIT"
    assert hit.headers["x-chartographer-warning"] == warning


def test_errors_and_posts_are_not_remembered(client: TestClient, app: FastAPI) -> None:
    assert client.get("/v1/charts/bar?values=x").status_code == 422
    assert client.post("/v1/charts/bar", json={"values": [[1, 2]]}).status_code == 200
    form = {"cht": "p", "chs": "200x100", "chd": "t:1,2"}
    assert client.post("/chart", data=form).status_code == 200
    assert len(app.state.images.aliases) == 0


def test_long_urls_are_not_remembered() -> None:
    scope = {"method": "GET", "path": "/chart", "query_string": b"chd=t:" + b"1," * MAX_ALIAS_URL}
    assert alias_key(scope) is None
    assert alias_key({**scope, "query_string": b"cht=p"}) == "/chart?cht=p"
    assert alias_key({**scope, "method": "POST", "query_string": b""}) is None


def test_aliases_are_bounded_by_bytes_urls_included() -> None:
    aliases = QueryAliases(max_bytes=20_000)
    for i in range(100):
        aliases.remember(f"/chart?chl={i}&chd=t:" + "1," * 2000, f"key{i}", {}, None)
    assert 1 <= len(aliases) <= 5  # ~4.3 KB each: the URL counts, not just the key
    assert aliases.get("/chart?chl=99&chd=t:" + "1," * 2000) is not None  # newest kept


def test_head_on_a_remembered_url_has_the_headers_and_no_body(client: TestClient) -> None:
    miss = client.get(BAR)
    head = client.head(BAR)
    assert head.status_code == 200
    assert head.headers["x-cache"] == "HIT"
    assert head.headers["etag"] == miss.headers["etag"]
    assert head.content == b""


def _cached_middleware(app: FastAPI) -> CachedImageMiddleware:
    layer = app.middleware_stack
    while not isinstance(layer, CachedImageMiddleware):
        layer = layer.app  # type: ignore[union-attr]
    return layer


def test_kept_headers_follow_the_cached_image_and_do_not_hold_it(
    client: TestClient, app: FastAPI
) -> None:
    def without_id(response: httpx.Response) -> dict[str, str]:
        return {k: v for k, v in response.headers.items() if k != "x-request-id"}

    miss = client.get(BAR)
    first, second = client.get(BAR), client.get(BAR)  # the second sends the kept headers
    assert without_id(first) == without_id(second)
    assert second.headers["content-length"] == str(len(miss.content))
    # the same key holds another image now (as after an eviction and a new render)
    key = app.state.images.aliases.get(BAR).key
    app.state.images.cache.put(key, Rendered(b"GIF89a-other", "image/gif", ("w",)))
    other = client.get(BAR)
    assert other.content == b"GIF89a-other"
    assert other.headers["content-type"] == "image/gif"
    assert other.headers["content-length"] == "12"
    assert other.headers["x-chartographer-warning"] == "w"
    # an image the cache lets go is not kept alive by the kept headers
    app.state.images.cache._lru.clear()
    gc.collect()
    assert _cached_middleware(app)._ready[BAR][1]() is None
    assert client.get(BAR).headers["x-cache"] == "MISS"
