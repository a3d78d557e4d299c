"""Header-safe warnings: whatever a request carries, the warning header is printable ASCII.

A control character in a parameter *name* used to be copied into
``X-Chartographer-Warning``; the HTTP server then refused to send the response
and dropped the connection. Several warnings (e.g. an ignored foreign ``key=``
and an ignored parameter) arrive as one header field joined by ``; ``.
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from chartographer.app import create_app
from chartographer.headers import MAX_WARNING, header_safe, warning_header
from tests.conftest import SettingsFactory, decode
from tests.serving import serve

PRINTABLE = re.compile(r"[\x20-\x7e]*")
MAP = "/maps/api/staticmap?size=120x80&center=0,0&zoom=1"


def test_header_safe_escapes_everything_but_printable_ascii() -> None:
    assert header_safe("plain; text") == "plain; text"
    assert header_safe("a\x01b\x7fc") == r"a\x01b\x7fc"
    assert header_safe("line\r\nX-Injected: 1") == r"line\r\nX-Injected: 1"
    assert header_safe("Zürich 東京\t") == r"Z\xfcrich \u6771\u4eac\t"
    assert header_safe("x" * 5000) == "x" * MAX_WARNING
    assert warning_header([]) is None
    assert warning_header(["a", "", "b\x00"]) == r"a; b\x00"


@pytest.fixture
def map_client(make_settings: SettingsFactory) -> TestClient:
    return TestClient(create_app(make_settings(tiles="none")))


@pytest.mark.parametrize("name", ["%01", "%0D%0AX-Injected:%201", "%7F", "%C3%A9", "%E6%9D%B1"])
def test_a_control_character_in_an_unknown_parameter_name(
    map_client: TestClient, name: str
) -> None:
    with map_client as client:
        response = client.get(f"{MAP}&{name}=1")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert decode(response.content).size == (120, 80)
    warning = response.headers["x-chartographer-warning"]
    assert "ignored unknown parameters" in warning
    assert PRINTABLE.fullmatch(warning), warning
    assert "x-injected" not in response.headers


def test_several_warnings_are_one_header_field(map_client: TestClient) -> None:
    with map_client as client:
        response = client.get(f"{MAP}&key=AIzaSyFakeGoogleKey&colour=red")
        assert response.status_code == 200
        fields = response.headers.get_list("x-chartographer-warning")
        assert len(fields) == 1, fields
        assert fields == [
            "ignored unknown parameters: colour; key: not a Chartographer key; ignored in open mode"
        ]
        chart = client.get("/chart?cht=bvs&chs=200x100&chd=s:AB&chds=0,10&key=YOUR_API_KEY")
        assert chart.status_code == 200
        fields = chart.headers.get_list("x-chartographer-warning")
        assert fields == [
            "chds: ignored, it applies to t: data only; "
            "key: not a Chartographer key; ignored in open mode"
        ]


@pytest.mark.slow
def test_the_real_server_answers_instead_of_dropping_the_connection(tmp_path: Path) -> None:
    with serve({"CHARTOGRAPHER_TILES": "none"}, tmp_path / "serve.log") as base:
        for name in ("%01", "%0D%0AX-Injected:%201", "%C3%A9"):
            response = httpx.get(f"{base}{MAP}&{name}=1", timeout=30)
            assert response.status_code == 200
            assert response.headers["content-type"] == "image/png"
            assert PRINTABLE.fullmatch(response.headers["x-chartographer-warning"])
            assert "x-injected" not in response.headers
