"""The render pool, the image cache and single flight, with real worker processes."""

from __future__ import annotations

import asyncio
import pickle
import time
from collections.abc import Iterator

import pytest

from chartographer.errors import InvalidParameter, RenderTimeout, RenderUnavailable
from chartographer.formats import ImageFormat, Rendered, encode_raster
from chartographer.imaging import ImageCache, ImageService, RenderPool

pytestmark = pytest.mark.anyio


def slow_render(seconds: float, tag: str) -> Rendered:
    time.sleep(seconds)
    return Rendered(tag.encode(), "text/plain")


def failing_render() -> Rendered:
    raise InvalidParameter("values: broken in the worker", param="values")


def crashing_render() -> Rendered:
    import os

    os._exit(3)


@pytest.fixture(scope="module")
def pool() -> Iterator[RenderPool]:
    pool = RenderPool(processes=2, timeout=1.5, queue_limit=8)
    yield pool
    pool.close()


async def test_render_in_a_worker_process(pool: RenderPool) -> None:
    rendered = await pool.run(slow_render, 0.0, "hello")
    assert rendered.body == b"hello"


async def test_over_budget_render_is_killed_while_others_are_served(pool: RenderPool) -> None:
    runaway = asyncio.create_task(pool.run(slow_render, 30.0, "never"))
    await asyncio.sleep(0.2)
    quick = await pool.run(slow_render, 0.0, "quick")
    assert quick.body == b"quick"
    assert not runaway.done()  # served by the other worker while the runaway still runs
    with pytest.raises(RenderTimeout) as caught:
        await runaway
    assert caught.value.status == 503
    assert "1.5 s" in caught.value.detail
    # the pool replaced the killed worker and still renders
    again = await pool.run(slow_render, 0.0, "after")
    assert again.body == b"after"


async def test_worker_errors_keep_their_parameter(pool: RenderPool) -> None:
    with pytest.raises(InvalidParameter) as caught:
        await pool.run(failing_render)
    assert caught.value.param == "values"
    assert caught.value.status == 422


async def test_dead_worker_is_a_503_not_a_crash(pool: RenderPool) -> None:
    with pytest.raises(RenderUnavailable):
        await pool.run(crashing_render)
    assert (await pool.run(slow_render, 0.0, "alive")).body == b"alive"


def test_errors_survive_pickling() -> None:
    error = InvalidParameter("width: too wide", param="width", headers={"X": "1"})
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is InvalidParameter
    assert (copy.param, copy.status, copy.headers, copy.detail) == (
        "width",
        422,
        {"X": "1"},
        "width: too wide",
    )


def test_cache_is_bounded_by_bytes() -> None:
    cache = ImageCache(max_bytes=3000)
    for i in range(10):
        cache.put(str(i), Rendered(b"x" * 1000, "image/png"))
    assert cache.size <= 3000
    assert len(cache) == 2
    assert cache.get("9") is not None
    assert cache.get("0") is None
    cache.put("huge", Rendered(b"x" * 5000, "image/png"))
    assert cache.get("huge") is None
    disabled = ImageCache(0)
    disabled.put("a", Rendered(b"a", "image/png"))
    assert disabled.get("a") is None
    assert (disabled.size, len(disabled)) == (0, 0)


async def test_single_flight_renders_once() -> None:
    calls = []

    def counted(tag: str) -> Rendered:
        calls.append(tag)
        time.sleep(0.2)
        return Rendered(tag.encode(), "image/png")

    service = ImageService(RenderPool(0, 5, 10), ImageCache(10_000), 60)
    results = await asyncio.gather(*(service.produce("k", counted, "t") for _ in range(5)))
    assert calls == ["t"]
    assert [r.rendered.body for r in results] == [b"t"] * 5
    assert sum(not r.cache_hit for r in results) == 1
    cached = await service.produce("k", counted, "t")
    assert cached.cache_hit
    assert service.stats.renders == 1


async def test_single_flight_shares_failures() -> None:
    def boom() -> Rendered:
        time.sleep(0.1)
        raise InvalidParameter("values: nope", param="values")

    service = ImageService(RenderPool(0, 5, 10), ImageCache(10_000), 60)
    results = await asyncio.gather(
        *(service.produce("k", boom) for _ in range(3)), return_exceptions=True
    )
    assert all(isinstance(r, InvalidParameter) for r in results)
    assert service.cache.get("k") is None


async def test_timeouts_are_counted() -> None:
    service = ImageService(RenderPool(1, 0.5, 4), ImageCache(1000), 60)
    try:
        with pytest.raises(RenderTimeout):
            await service.produce("slow", slow_render, 5.0, "x")
        assert service.stats.timeouts == 1
    finally:
        service.pool.close()


@pytest.mark.parametrize(
    "fmt", [ImageFormat.png, ImageFormat.webp, ImageFormat.jpg, ImageFormat.gif]
)
def test_encode_raster_formats(fmt: ImageFormat) -> None:
    from PIL import Image

    from tests.conftest import decode

    image = Image.new("RGBA", (40, 30), (255, 0, 0, 255))
    body = encode_raster(image, fmt)
    decoded = decode(body)
    assert decoded.size == (40, 30)
    assert decoded.convert("RGB").getpixel((5, 5))[0] > 240
    assert fmt.media_type.startswith("image/")
    assert decode(encode_raster(image, ImageFormat.png, palette=True)).mode == "P"
    with pytest.raises(ValueError, match="not a raster"):
        encode_raster(image, ImageFormat.svg)
