"""GraphViz output is safe to serve from the API's origin.

``cht=gv&chof=svg`` used to carry ``URL="javascript:…"`` links as live
``xlink:href`` attributes, served as ``image/svg+xml``. Links are stripped, every
image is ``nosniff`` and SVG comes with a restrictive Content-Security-Policy.
The file-reading attribute filter used to see only bare names; quoted names,
``+`` concatenation, line continuations and HTML-like labels (``<IMG SRC>``)
got past it. The filter now reads the graph as GraphViz itself parses it.
"""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from urllib.parse import quote

import httpx
import pytest
from fastapi.testclient import TestClient

from chartographer.app import create_app
from tests.conftest import SettingsFactory, decode
from tests.services import _unavailable


@pytest.fixture(autouse=True)
def _graphviz_installed() -> None:
    """GraphViz is a real component: missing, it skips locally and fails under CI's
    CHARTOGRAPHER_REQUIRE_SERVICES=1, like PostgreSQL and Redis."""
    if shutil.which("dot") is None:
        _unavailable("GraphViz (dot) not installed")


XLINK = "{http://www.w3.org/1999/xlink}href"


def _gv(client: TestClient, dot: str, fmt: str = "svg") -> httpx.Response:
    return client.get(f"/chart?cht=gv&chof={fmt}&chl=" + quote(dot))


@pytest.mark.parametrize(
    "dot",
    [
        'digraph{A[URL="javascript:alert(1)"]}',
        'digraph{A[href="javascript:alert(1)", target="_top"]}',
        'digraph{node[URL="javascript:alert(1)"]; A}',
        'digraph{A->B[edgeURL="javascript:a", headhref="javascript:b", labelURL="javascript:c",'
        ' tailURL="javascript:d", label="x"]}',
        'digraph{B[label=<<TABLE HREF="javascript:alert(1)"><TR><TD HREF="javascript:2">'
        "b</TD></TR></TABLE>>]}",
        'digraph{graph[URL="javascript:alert(1)"]; A}',
    ],
)
def test_svg_links_are_stripped(client: TestClient, dot: str) -> None:
    response = _gv(client, dot)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/svg+xml"
    body = response.content
    assert b"javascript" not in body
    root = ET.fromstring(body)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    for element in root.iter():
        assert XLINK not in element.attrib and "href" not in element.attrib
    # the graph itself is still drawn: its nodes are there as text
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts, body[:400]


def test_svg_gets_a_restrictive_csp_and_every_image_nosniff(
    client: TestClient, make_settings: SettingsFactory
) -> None:
    svg = _gv(client, "digraph{A->B}")
    assert svg.headers["x-content-type-options"] == "nosniff"
    policy = svg.headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "script-src" not in policy  # nothing may run, falls back to 'none'
    png = _gv(client, "digraph{A->B}", "png")
    assert png.headers["content-type"] == "image/png"
    assert png.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in png.headers
    chart_svg = client.get("/v1/charts/bar?values=1,2&format=svg")
    assert chart_svg.headers["content-type"] == "image/svg+xml"
    assert "default-src 'none'" in chart_svg.headers["content-security-policy"]
    again = client.get(
        "/v1/charts/bar?values=1,2&format=svg",
        headers={"If-None-Match": chart_svg.headers["etag"]},
    )
    assert again.status_code == 304
    assert again.headers["x-content-type-options"] == "nosniff"
    for url in ("/v1/charts/line?values=1,2", "/chart?cht=qr&chs=100x100&chl=hi"):
        assert client.get(url).headers["x-content-type-options"] == "nosniff"
    with TestClient(create_app(make_settings(tiles="none"))) as maps:
        image = maps.get("/maps/api/staticmap?size=100x80&center=0,0&zoom=1")
        assert image.status_code == 200
        assert image.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("dot", "attribute"),
    [
        ('digraph{A[image="/etc/passwd"]}', "'image'"),
        ('digraph{A["image"="/etc/passwd"]}', "'image'"),
        ('digraph{A["ima" + "ge"="/etc/passwd"]}', "'image'"),
        ('digraph{A["ima\\\nge"="/etc/passwd"]}', "'image'"),
        ('digraph{graph["imagepath"="/etc"]; A}', "'imagepath'"),
        ('digraph{node["shapefile"="/etc/passwd"]; A}', "'shapefile'"),
        ('digraph{graph["dpi"=9000]; A}', "'dpi'"),
        ('digraph{"fontpath"="/etc"; A}', "'fontpath'"),
        ('digraph{A[label=<<TABLE><TR><TD><IMG SRC="/etc/passwd"/></TD></TR></TABLE>>]}', "<IMG>"),
        ('digraph{A[label=< <img src="/etc/hostname"/> >]}', "<IMG>"),
    ],
)
def test_file_attributes_are_refused_however_they_are_written(
    client: TestClient, dot: str, attribute: str
) -> None:
    for fmt in ("svg", "png"):
        response = _gv(client, dot, fmt)
        assert response.status_code == 400, response.text
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["param"] == "chl"
        assert attribute in problem["detail"]


def test_ordinary_graphs_still_draw(client: TestClient) -> None:
    response = _gv(client, 'digraph{rankdir=LR; A[label="images and dpi"]; A->B->C}', "png")
    assert response.status_code == 200, response.text
    assert decode(response.content).width > 100
    html = _gv(client, "digraph{A[label=<<B>bold</B> and <I>italic</I>>]}")
    assert html.status_code == 200, html.text
