"""The shared image cache in a real Redis: hits across apps, outages degrade to local."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from chartographer import metrics
from chartographer.app import create_app
from chartographer.formats import Rendered
from chartographer.rediscache import decode, encode
from tests.conftest import SettingsFactory
from tests.conftest import decode as decode_image
from tests.services import RedisServer

CHART = "/v1/charts/bar?values=3,7,5&width=200&height=120"

pytestmark = pytest.mark.services


def test_encoding_round_trips() -> None:
    item = Rendered(b"\x89PNG\n\x00body", "image/png", ("a warning", "b"))
    assert decode(encode(item)) == item


def test_a_render_on_one_replica_is_a_hit_on_another(
    redis_server: RedisServer, make_settings: SettingsFactory
) -> None:
    redis_server.flush()
    settings = make_settings(redis_url=redis_server.url)
    with TestClient(create_app(settings)) as one, TestClient(create_app(settings)) as two:
        first = one.get(CHART + "&title=shared")
        assert first.status_code == 200 and first.headers["x-cache"] == "MISS"
        before = metrics.CACHE_REDIS_HIT._value.get()
        second = two.get(CHART + "&title=shared")
        assert second.status_code == 200 and second.headers["x-cache"] == "HIT"
        assert second.content == first.content
        assert decode_image(second.content).size == (200, 120)
        assert metrics.CACHE_REDIS_HIT._value.get() == before + 1
        # now in two's memory: no Redis round trip the next time
        third = two.get(CHART + "&title=shared")
        assert third.headers["x-cache"] == "HIT"
        assert metrics.CACHE_REDIS_HIT._value.get() == before + 1


def test_big_images_stay_local_and_entries_expire(
    redis_server: RedisServer, make_settings: SettingsFactory
) -> None:
    import redis

    redis_server.flush()
    settings = make_settings(redis_url=redis_server.url, redis_cache_max_item_bytes=10)
    with TestClient(create_app(settings)) as client:
        assert client.get(CHART + "&title=big").status_code == 200
    with redis.Redis(host="127.0.0.1", port=redis_server.port) as raw:
        assert raw.dbsize() == 0
    settings = make_settings(redis_url=redis_server.url, redis_cache_ttl=77)
    with TestClient(create_app(settings)) as client:
        assert client.get(CHART + "&title=ttl").status_code == 200
    with redis.Redis(host="127.0.0.1", port=redis_server.port) as raw:
        (key,) = raw.keys("cg:img:*")
        assert 0 < raw.ttl(key) <= 77


def test_redis_outage_degrades_to_the_local_cache(
    redis_server: RedisServer, make_settings: SettingsFactory
) -> None:
    redis_server.flush()
    settings = make_settings(redis_url=redis_server.url, redis_outage="fail_open")
    with TestClient(create_app(settings)) as client:
        assert client.get(CHART + "&title=up").status_code == 200
        errors = metrics.CACHE_REDIS_ERROR._value.get()
        redis_server.stop()
        try:
            down = client.get(CHART + "&title=while-down")
            assert down.status_code == 200 and down.headers["x-cache"] == "MISS"
            assert decode_image(down.content).size == (200, 120)
            again = client.get(CHART + "&title=while-down")
            assert again.status_code == 200 and again.headers["x-cache"] == "HIT"
            assert metrics.CACHE_REDIS_ERROR._value.get() > errors
        finally:
            redis_server.start()
        images = client.app.state.images  # type: ignore[attr-defined]
        images.shared.down_until = 0.0  # skip the back-off wait, not the behaviour
        back = client.get(CHART + "&title=after")
        assert back.status_code == 200
    with TestClient(create_app(settings)) as other:
        assert other.get(CHART + "&title=after").headers["x-cache"] == "HIT"
