"""Bounded-cost renders run in the server process when no worker is busy.

Real worker processes and the real renderers: where a render ran is told by
the process id it records, and the bytes drawn inline are compared with the
bytes a worker draws for the same URL.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from chartographer import metrics
from chartographer.app import create_app
from chartographer.charts.google.router import _plan
from chartographer.charts.inline import INLINE_POINTS, INLINE_QR_TEXT, renders_inline
from chartographer.charts.native.params import ChartQuery, Limits, spec_from_query
from chartographer.charts.render import drawn_on_canvas, render_chart
from chartographer.charts.spec import ChartKind, ChartSpec
from chartographer.charts.special.qr import qr_spec, render_qr
from chartographer.config import Settings
from chartographer.formats import ImageFormat
from chartographer.renderpool import RenderPool
from tests.conftest import SettingsFactory, decode
from tests.test_renderpool import logged_render, wait_for_lines

pytestmark = pytest.mark.anyio

PIXELS = Settings().render_inline_pixels


def bar(**query: object) -> ChartSpec:
    fields: dict[str, object] = {"values": ["3,7,5,9"], "width": 400, "height": 300, **query}
    return spec_from_query(
        ChartKind.bar, ChartQuery.model_validate(fields), Limits.from_settings(Settings())
    )


def test_small_canvas_charts_and_short_qr_codes_are_bounded() -> None:
    assert renders_inline(render_chart, (bar(),), PIXELS)
    assert renders_inline(render_chart, (bar(format="svg"),), PIXELS)
    qr = qr_spec("https://example.com/a", None, None, (200, 200), ImageFormat.png)
    assert renders_inline(render_qr, (qr,), PIXELS)


def test_big_many_pointed_pdf_or_artist_drawn_renders_go_to_the_workers() -> None:
    assert not renders_inline(render_chart, (bar(width=1000, height=800),), PIXELS)
    assert not renders_inline(render_chart, (bar(scale=3),), PIXELS)  # 1200×900 device px
    many = ",".join(str(i % 9) for i in range(INLINE_POINTS + 1))
    assert not renders_inline(render_chart, (bar(values=[many]),), PIXELS)
    assert not renders_inline(render_chart, (bar(format="pdf"),), PIXELS)
    # Google markers (chm) are drawn by the artist renderer: not bounded the same way
    planned = _plan(
        [("cht", "lc"), ("chs", "300x200"), ("chd", "t:1,5,3"), ("chm", "o,FF0000,0,-1,6")],
        Limits.from_settings(Settings()),
        Settings(),
    )
    assert isinstance(planned, tuple)
    spec = planned[0].argument
    assert isinstance(spec, ChartSpec) and not drawn_on_canvas(spec)
    assert not renders_inline(render_chart, (spec,), PIXELS)
    long_text = qr_spec("x" * (INLINE_QR_TEXT + 1), None, None, (200, 200), ImageFormat.png)
    assert not renders_inline(render_qr, (long_text,), PIXELS)
    assert not renders_inline(render_chart, (bar(),), 0)  # 0 turns it off
    assert not renders_inline(logged_render, ("log", "tag"), PIXELS)  # unknown functions


async def test_inline_only_when_a_worker_is_up_and_none_is_busy(tmp_path: Path) -> None:
    log = tmp_path / "renders.log"
    pool = RenderPool(processes=1, timeout=30, queue_limit=8, deadline=60, warm=False)
    try:
        # no worker ready yet: the first call waits for one and renders there
        first = await pool.run(logged_render, str(log), "first", inline=True)
        assert first.body == b"first"
        idle = await pool.run(logged_render, str(log), "idle", inline=True)
        assert idle.body == b"idle"
        hog = asyncio.create_task(pool.run(logged_render, str(log), "hog", 1.0))
        await asyncio.to_thread(wait_for_lines, log, 3)
        busy = await pool.run(logged_render, str(log), "busy", inline=True)
        await hog
        plain = await pool.run(logged_render, str(log), "plain")
        assert busy.body == b"busy" and plain.body == b"plain"
        where = {tag: int(pid) for pid, tag in map(str.split, log.read_text().splitlines())}
        me = os.getpid()
        assert where["first"] != me
        assert where["idle"] == me  # workers up, none busy: right here
        assert where["hog"] != me
        assert where["busy"] == where["hog"]  # a worker was busy: queued behind it
        assert where["plain"] != me  # not vouched for: always a worker
    finally:
        pool.close()


def _inline_count() -> float:
    value = metrics.REGISTRY.get_sample_value("chartographer_renders_inline_total")
    return value or 0.0


def _render(make_settings: SettingsFactory, url: str, **overrides: object) -> tuple[bytes, float]:
    app = create_app(make_settings(render_processes=1, cache_bytes=0, **overrides))
    with TestClient(app) as client:
        assert client.get("/readyz").status_code == 200  # the worker is up
        before = _inline_count()
        response = client.get(url)
        assert response.status_code == 200, response.text
        return response.content, _inline_count() - before


@pytest.mark.parametrize(
    "url",
    [
        "/v1/charts/bar?values=3,7,5,9&labels=a,b,c,d&width=400&height=300&title=Sales",
        "/chart?cht=bvs&chs=300x200&chd=t:10,40,25&chxt=x,y&chtt=Votes",
        "/chart?cht=qr&chs=200x200&chl=Chartographer",
    ],
)
def test_inline_bytes_are_the_workers_bytes(make_settings: SettingsFactory, url: str) -> None:
    inline, counted = _render(make_settings, url)
    assert counted == 1
    pooled, counted = _render(make_settings, url, render_inline_pixels=0)
    assert counted == 0
    assert inline == pooled
    assert decode(inline).size[0] in (200, 300, 400)


def test_a_big_chart_is_never_drawn_inline(make_settings: SettingsFactory) -> None:
    image, counted = _render(make_settings, "/v1/charts/bar?values=3,7,5&width=900&height=700")
    assert counted == 0
    assert decode(image).size == (900, 700)


async def test_requests_arriving_together_go_to_the_workers(make_settings: SettingsFactory) -> None:
    # Drawing on the event loop while other requests wait starves the workers: under
    # concurrency 8 inlining halved the throughput. Requests that arrive together
    # all count before any decides, and see one another.
    import httpx

    app = create_app(make_settings(render_processes=2, cache_bytes=0))
    urls = [f"/v1/charts/bar?values=3,7,5,{i}&width=300&height=200" for i in range(8)]
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://cg") as client:
            assert (await client.get("/readyz")).status_code == 200
            before = _inline_count()
            lone = await client.get(urls[0] + "&title=alone")
            assert lone.status_code == 200 and _inline_count() == before + 1
            together = await asyncio.gather(*(client.get(url) for url in urls))
            assert [r.status_code for r in together] == [200] * 8
            assert _inline_count() == before + 1  # not one more drawn on the loop
            assert {decode(r.content).size for r in together} == {(300, 200)}
