"""HEAD mirrors GET, 405 names what is allowed, redirects never reflect ``Host``."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from chartographer.app import create_app
from chartographer.config import Settings
from chartographer.protocol import relative_location
from tests.conftest import decode

MIRRORED = ("content-type", "content-length", "etag", "cache-control")


@pytest.fixture
def evil_client(settings: Settings) -> TestClient:
    """A client whose requests carry ``Host: evil.example``."""
    with TestClient(create_app(settings), base_url="http://evil.example") as client:
        yield client  # type: ignore[misc]


@pytest.mark.parametrize(
    "path",
    [
        "/healthz",
        "/readyz",
        "/v1/charts/bar?values=3,7,5&width=120&height=80",
        "/chart?cht=p&chd=t:1,2,3&chs=120x80",
        "/docs",
        "/openapi.json",
    ],
)
def test_head_answers_with_the_get_headers_and_no_body(client: TestClient, path: str) -> None:
    got = client.get(path)
    assert got.status_code == 200
    head = client.head(path)
    assert head.status_code == 200
    assert head.content == b""
    for name in MIRRORED:
        assert head.headers.get(name) == got.headers.get(name), name
    assert int(head.headers["content-length"]) == len(got.content)


def test_head_of_a_json_route_has_its_media_type(client: TestClient) -> None:
    head = client.head("/v1/names")  # a random name: lengths differ, the type does not
    assert head.status_code == 200
    assert head.headers["content-type"] == "application/json"
    assert head.content == b""


def test_head_of_an_image_honours_if_none_match(client: TestClient) -> None:
    path = "/v1/charts/bar?values=1,2&width=100&height=60"
    etag = client.head(path).headers["etag"]
    assert client.head(path, headers={"If-None-Match": etag}).status_code == 304
    assert decode(client.get(path).content).size == (100, 60)


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/healthz", "GET, HEAD"),
        ("POST", "/readyz", "GET, HEAD"),
        ("PUT", "/v1/charts/bar", "GET, HEAD, POST"),
        ("DELETE", "/chart", "GET, HEAD, POST"),
        ("PATCH", "/maps/api/staticmap", "GET, HEAD"),
    ],
)
def test_405_names_every_allowed_method(
    client: TestClient, method: str, path: str, allow: str
) -> None:
    answer = client.request(method, path)
    assert answer.status_code == 405
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["allow"] == allow


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/chart/", "/chart"),
        ("/healthz/", "/healthz"),
        ("/v1/charts/bar/?values=1,2", "/v1/charts/bar?values=1,2"),
    ],
)
def test_trailing_slash_redirect_is_relative(
    evil_client: TestClient, path: str, location: str
) -> None:
    answer = evil_client.get(path, follow_redirects=False)
    assert answer.status_code == 307
    assert answer.headers["location"] == location
    assert "evil.example" not in answer.headers["location"]


def test_relative_location_leaves_other_hosts_alone() -> None:
    assert relative_location("http://a.example/x?q=1#f", "a.example") == "/x?q=1#f"
    assert relative_location("https://A.example", "a.example") == "/"
    assert relative_location("https://b.example/x", "a.example") == "https://b.example/x"
    assert relative_location("/already", "a.example") == "/already"
    assert relative_location("http://a.example/x", None) == "http://a.example/x"
