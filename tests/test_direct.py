"""The hot GET image routes answered without FastAPI's routing, exactly as the routes answer."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from starlette.types import ASGIApp, Receive, Scope, Send

from chartographer.app import create_app
from chartographer.config import Settings
from chartographer.direct import DirectImageMiddleware
from tests.conftest import decode

#: successes (served directly) and failures (handed to the full route), both front doors
URLS = [
    "/v1/charts/bar?values=3,7,5&labels=a,b,c&width=300&height=200",
    "/v1/charts/line?values=1,4,2&values=3,1,5&series=a,b&title=Two&format=svg",
    "/v1/charts/pie?values=30,20,50&labels=red,green,blue&width=320&height=240&format=webp",
    "/v1/charts/bar?values=3,7,5&values=9&width=300&width=320&height=200",  # last width wins
    "/v1/charts/bar?values=3,x,5",  # 422 naming values
    "/v1/charts/bar?values=3,7&width=99999",  # 422 naming width
    "/v1/charts/bar",  # values missing
    "/v1/charts/nonsense?values=1,2",  # unknown kind
    "/chart?cht=bvs&chs=300x200&chd=t:10,50,60&chxt=x,y&chtt=Sales",
    "/chart?cht=qr&chs=150x150&chl=Chartographer",
    "/chart?cht=p&chs=300x150&chd=t:60,40&chl=Yes|No&chof=json",
    "/chart?cht=bvs&chs=300x200&chd=t:10,50,60&chof=validate",  # the report page
    "/chart?cht=zz&chs=300x200&chd=t:1",  # 400 naming cht
    "/chart?cht=bvs&chs=5000x5000&chd=t:1",  # 400 naming chs
]
#: headers that differ between any two requests
VOLATILE = {"date", "x-request-id"}


def _without_direct(settings: Settings) -> FastAPI:
    app = create_app(settings)
    app.user_middleware = [m for m in app.user_middleware if m.cls is not DirectImageMiddleware]  # type: ignore[comparison-overlap]
    return app


class RouteCounter:
    """Counts the requests FastAPI's router sees (it wraps the router, not the code under test)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.paths: list[str] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.paths.append(scope["path"])
        await self.app(scope, receive, send)

    def __getattr__(self, name: str) -> object:  # routes, url_path_for, …: the router's
        return getattr(self.app, name)


@pytest.fixture
def pair(settings: Settings) -> Iterator[tuple[TestClient, TestClient, RouteCounter]]:
    direct_app = create_app(settings)
    counter = RouteCounter(direct_app.router)
    direct_app.router = counter  # type: ignore[assignment]
    with (
        TestClient(direct_app) as direct,
        TestClient(_without_direct(settings)) as full,
    ):
        yield direct, full, counter


@pytest.mark.parametrize("url", URLS)
def test_the_direct_answer_is_the_full_routes_answer(
    pair: tuple[TestClient, TestClient, RouteCounter], url: str
) -> None:
    direct, full, _ = pair
    fast, slow = direct.get(url), full.get(url)
    assert fast.status_code == slow.status_code
    assert {k: v for k, v in fast.headers.items() if k not in VOLATILE} == {
        k: v for k, v in slow.headers.items() if k not in VOLATILE
    }
    assert fast.content == slow.content


def test_valid_image_requests_skip_the_router_and_errors_reach_it(
    pair: tuple[TestClient, TestClient, RouteCounter],
) -> None:
    direct, _, counter = pair
    bar = direct.get("/v1/charts/bar?values=3,7,5&labels=a,b,c&width=300&height=200")
    google = direct.get("/chart?cht=bvs&chs=300x200&chd=t:10,50,60&chxt=x,y")
    assert bar.status_code == google.status_code == 200
    assert decode(bar.content).size == decode(google.content).size == (300, 200)
    assert counter.paths == []  # neither reached FastAPI's routing
    bad = direct.get("/v1/charts/bar?values=3,x,5")
    assert bad.status_code == 422
    assert bad.json()["param"] == "values"
    assert counter.paths == ["/v1/charts/bar"]  # the error came from the full route
    assert direct.post("/v1/charts/bar", json={"values": [[1, 2]]}).status_code == 200
    assert counter.paths[-1] == "/v1/charts/bar"  # POST is not taken directly


def _served(client: TestClient) -> float:
    """``GET /v1/charts/{kind}`` 200s counted so far by ``/metrics``."""
    for family in text_string_to_metric_families(client.get("/metrics").text):
        for sample in family.samples:
            labels = sample.labels
            if (
                sample.name == "chartographer_http_requests_total"
                and labels.get("route") == "/v1/charts/{kind}"
                and labels.get("method") == "GET"
                and labels.get("status") == "200"
            ):
                return sample.value
    return 0.0


def test_a_direct_request_is_counted_under_its_route_template(
    pair: tuple[TestClient, TestClient, RouteCounter],
) -> None:
    direct, _, counter = pair
    before = _served(direct)
    assert direct.get("/v1/charts/line?values=1,2,3").status_code == 200
    assert "/v1/charts/line" not in counter.paths
    assert _served(direct) == before + 1
