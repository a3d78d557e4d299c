"""/chart as a service: Google's error model, limits, formats, caching and every chart type."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from chartographer.app import create_app
from tests.charts.googlecheck import colours, dark, encode_raw, fetch, region, runs, share
from tests.conftest import SettingsFactory


def get(client: TestClient, query: str):  # type: ignore[no-untyped-def]
    return client.get("/chart?" + encode_raw(query))


def problem(client: TestClient, query: str, status: int) -> dict[str, object]:
    response = get(client, query)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, object] = response.json()
    return body


def test_unknown_chart_type_names_the_accepted_ones(client: TestClient) -> None:
    body = problem(client, "cht=zz&chs=100x100&chd=t:1", 400)
    assert body["param"] == "cht"
    assert "bvs" in str(body["detail"]) and "qr" in str(body["detail"])
    assert problem(client, "chs=100x100&chd=t:1", 400)["param"] == "cht"


def test_map_without_regions_names_chld(client: TestClient) -> None:
    body = problem(client, "cht=map&chs=440x220", 400)
    assert body["param"] == "chld"


@pytest.mark.parametrize(
    ("query", "status", "param"),
    [
        ("cht=bvs&chs=1001x100&chd=t:1", 413, "chs"),
        ("cht=bvs&chs=1000x301&chd=t:1", 413, "chs"),
        ("cht=bvs&chs=10x100&chd=t:1", 422, "chs"),
        ("cht=bvs&chs=axb&chd=t:1", 400, "chs"),
        ("cht=bvs&chs=100x100", 400, "chd"),
        ("cht=bvs&chd=t:1", 400, "chs"),
        ("cht=bvs&chs=100x100&chd=t:1,x", 400, "chd"),
        ("cht=bvs&chs=100x100&chd=t:_,_", 400, "chd"),
        ("cht=bvs&chs=100x100&chd=t:1&chof=bmp", 400, "chof"),
        ("cht=p&chs=100x100&chd=t:0,0", 400, "chd"),
        ("cht=r&chs=100x100&chd=t:1,2", 400, "chd"),
        ("cht=lxy&chs=100x100&chd=t:1,2", 400, "chd"),
        ("cht=v&chs=100x100&chd=t:0,10", 400, "chd"),
        ("cht=gom&chs=100x100&chd=t:_", 400, "chd"),
        ("cht=bvs&chs=100x100&chd=t:" + "|".join(["1"] * 30), 413, "chd"),
        ("cht=bvs&chs=100x100&chd=t:1&chtt=" + "x" * 2001, 413, "chtt"),
        ("cht=bvs&chs=100x100&chd=t:1&chdl=" + "x" * 300, 413, "series"),
    ],
)
def test_fatal_mistakes_are_problems(
    client: TestClient, query: str, status: int, param: str
) -> None:
    assert problem(client, query, status)["param"] == param


def test_operator_can_allow_bigger_charts(make_settings: SettingsFactory) -> None:
    app = create_app(make_settings(google_max_side=1500, google_max_pixels=2_000_000))
    with TestClient(app) as client:
        image, _ = fetch(client, "cht=bvs&chs=1200x800&chd=t:10,20")
    assert image.size == (1200, 800)


def test_skippable_mistakes_render_with_a_warning(client: TestClient) -> None:
    query = (
        "cht=lc&chs=200x100&chd=t:10,20&chco=zzzzzz&chm=Q,ff0000,0,0,5|o,ff0000,9,0,5|x"
        "&chf=q,s,ffffff&chxt=x,q&chxs=0N*f*,ff0000&cht=lc:foo&chg=a,b"
    )
    image, headers = fetch(client, query)
    warning = headers["x-chartographer-warning"]
    for part in ("chco", "chm", "chf", "chxt", "chxs", "cht", "chg"):
        assert part in warning
    assert image.size == (200, 100)


def test_warning_header_is_plain_ascii(client: TestClient) -> None:
    _, headers = fetch(client, "cht=lc&chs=200x100&chd=t:10,20&chco=%C3%A9t%C3%A9%0A")
    assert headers["x-chartographer-warning"].isascii()


def test_post_form_renders_like_get(client: TestClient) -> None:
    form = {"cht": "p", "chs": "300x150", "chd": "t:60,40", "chl": "Yes|No", "chco": "FF0000"}
    posted = client.post("/chart", data=form)
    assert posted.status_code == 200
    assert posted.headers["content-type"] == "image/png"
    got = client.get("/chart", params=form)
    assert posted.content == got.content
    assert posted.headers["etag"] == got.headers["etag"]


def test_etag_and_304(client: TestClient) -> None:
    first = get(client, "cht=bvs&chs=100x100&chd=t:1,2")
    again = client.get(
        "/chart?" + encode_raw("cht=bvs&chs=100x100&chd=t:1,2"),
        headers={"If-None-Match": first.headers["etag"]},
    )
    assert again.status_code == 304


def test_equivalent_queries_share_one_cache_entry(client: TestClient) -> None:
    one = get(client, "cht=bvs&chs=100x100&chd=t:50,100")
    two = get(client, "chs=100x100&chd=s:f9&cht=bvs")  # s: 30.5/61 ≈ 50 % → not equal
    three = get(client, "chd=t:50,100&cht=bvs&chs=100x100")
    assert one.headers["etag"] == three.headers["etag"]
    assert one.headers["etag"] != two.headers["etag"]


def test_svg_and_other_formats(client: TestClient) -> None:
    response = get(client, "cht=bvg&chs=200x100&chd=t:10,20&chof=svg&chf=bg,lg,0,ff0000,0,0000ff,1")
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<?xml") or b"<svg" in response.content
    for fmt, media in (("gif", "image/gif"), ("webp", "image/webp"), ("jpg", "image/jpeg")):
        response = get(client, f"cht=p&chs=100x100&chd=t:1,2&chof={fmt}")
        assert response.headers["content-type"] == media
        Image.open(io.BytesIO(response.content)).load()


def test_text_scale_differs_from_auto_scale(client: TestClient) -> None:
    # t: without chds is on 0–100: a value of 50 fills half the plot, not all of it
    fixed, _ = fetch(client, "cht=bvs&chs=100x200&chd=t:50&chco=FF0000")
    auto, _ = fetch(client, "cht=bvs&chs=100x200&chd=t:50&chds=a&chco=FF0000")
    assert share(auto, "FF0000") > share(fixed, "FF0000") * 1.6


def test_chxr_relabels_the_axis_only(client: TestClient) -> None:
    plain, _ = fetch(client, "cht=bvs&chs=200x150&chd=t:40&chco=FF0000&chxt=y")
    relabelled, _ = fetch(client, "cht=bvs&chs=200x150&chd=t:40&chco=FF0000&chxt=y&chxr=0,0,500")
    assert abs(share(plain, "FF0000") - share(relabelled, "FF0000")) < 0.02


def test_bvo_bars_overlap_from_zero(client: TestClient) -> None:
    image, _ = fetch(client, "cht=bvo&chs=200x150&chd=t:20,30|60,70&chco=FF0000,0000FF")
    row = image.height - 10
    assert runs(image, row, "FF0000") == 2  # the first series stands in front
    assert share(image, "0000FF") > 0.05  # the taller second series shows above it


def test_grouped_horizontal_bars_and_multiple_axes(client: TestClient) -> None:
    query = (
        "cht=bhg&chs=300x200&chd=t:10,50,60|20,30,40&chco=FF0000,00FF00&chbh=r,0.2,0.5"
        "&chxt=x,y,t,r&chxl=1:|a|b|c&chxr=2,0,1000,250&chxp=3,0,50,100&chxs=2,0000FF,12,-1,lt"
    )
    image, _ = fetch(client, query)
    assert share(image, "FF0000") > 0.02 and share(image, "00FF00") > 0.02
    assert share(region(image, 0, 0, 1, 0.12), "0000FF", tolerance=90) > 0.002  # top axis text


def test_bar_width_modes(client: TestClient) -> None:
    narrow, _ = fetch(client, "cht=bvg&chs=300x150&chd=t:50,60&chbh=10,4,40&chco=FF0000")
    auto, _ = fetch(client, "cht=bvg&chs=300x150&chd=t:50,60&chbh=a&chco=FF0000")
    assert share(auto, "FF0000") > share(narrow, "FF0000") * 2


def test_every_marker_type(client: TestClient) -> None:
    query = (
        "cht=lc&chs=300x200&chd=t:10,40,20,80|50,60,40,30&chco=000000,888888"
        "&chm=B,FFCC00,1,0,0|b,AAFFAA,0,1,0|N*p1*,FF0000,0,-1,9|N*cEUR2*,FF0000,1,1:2:1,9"
        "|N*e*,FF0000,1,3,9|Nfoo,FF0000,1,0,9|D,00AA00,1,0,3,-1|tHi,0000FF,0,2,12|o,FF00FF,0,-2,8"
        "|s,00FFFF,1,2,10|d,FF8800,0,1,8|x,000000,1,-1,6|c,000000,1,2,6|h,CC0000,0,3,1"
        "|v,0000CC,0,1,1|V,00CC00,0,2,1|a,000000,0,0,6|r,EEEEFF,0,0.1,0.3|R,FFEEEE,0,0.6,0.7"
        "&chg=25,25,1,0&chls=2|1,4,2"
    )
    image, headers = fetch(client, query)
    assert "chm" in headers.get("x-chartographer-warning", "")  # Nfoo: format not understood
    for color in ("FFCC00", "AAFFAA", "FF00FF", "00FFFF", "EEEEFF", "FFEEEE", "00AA00"):
        assert share(image, color, tolerance=10) > 0.0005, color


def test_bar_value_labels_use_the_sent_values(client: TestClient) -> None:
    image, _ = fetch(client, "cht=bhs&chs=300x100&chd=t:5,95&chds=0,100&chm=N,FF0000,0,-1,12")
    assert share(image, "FF0000", tolerance=80) > 0.001


def test_line_chart_runs_edge_to_edge_without_point_markers(client: TestClient) -> None:
    image, _ = fetch(client, "cht=lc&chs=200x100&chd=t:50,50&chco=FF0000&chls=4")
    row = next(y for y in range(image.height) if share(image.crop((0, y, 200, y + 1)), "FF0000"))
    line = image.crop((0, row, 200, row + 1))
    assert share(line, "FF0000") > 0.9


def test_scatter_with_one_series_and_per_point_colours(client: TestClient) -> None:
    image, _ = fetch(client, "cht=s&chs=200x150&chd=t:20,50,80|10,50,80&chco=FF0000|00FF00|0000FF")
    for color in ("FF0000", "00FF00", "0000FF"):
        assert share(image, color, tolerance=70) > 0.0002
    alone, _ = fetch(client, "cht=s&chs=200x150&chd=t:10,50,90&chco=FF0000|00FF00|0000FF")
    assert share(alone, "00FF00", tolerance=70) > 0.0002  # one series: y values, x evenly


def test_radar_spline_closes_without_a_warning(client: TestClient) -> None:
    image, headers = fetch(client, "cht=rs&chs=200x200&chd=t:10,80,40,60,10&chco=FF0000&chdl=a")
    assert "x-chartographer-warning" not in headers  # rs is drawn as splines now
    assert share(image, "FF0000", tolerance=10) > 0.003


def test_meter_points_at_its_value(client: TestClient) -> None:
    low, _ = fetch(client, "cht=gom&chs=200x120&chd=t:5&chco=FF0000,00FF00,0000FF")
    assert share(low, "00FF00", tolerance=40) > 0.005
    _, headers = fetch(client, "cht=gom&chs=200x120&chd=t:5,6|7")
    assert "x-chartographer-warning" not in headers  # an arrow per value of every series


def test_venn_draws_three_overlapping_circles(client: TestClient) -> None:
    image, _ = fetch(
        client, "cht=v&chs=300x200&chd=t:100,80,60,30,30,30,10&chco=FF0000,00FF00&chdl=A|B|C"
    )
    assert colours(image, 0.005) >= 5  # three circles, their overlaps and the background
    _, _ = fetch(client, "cht=v&chs=300x200&chd=t:100")
    _, _ = fetch(client, "cht=v&chs=300x200&chd=t:100,100,0,100")


def test_pies_colour_rules(client: TestClient) -> None:
    gradient, _ = fetch(client, "cht=p&chs=200x100&chd=t:1,1,1,1,1&chco=FF0000,0000FF")
    assert share(gradient, "FF0000", tolerance=4) > 0.01
    assert share(gradient, "0000FF", tolerance=4) > 0.01
    assert share(gradient, "800080", tolerance=12) > 0.01  # interpolated between them
    rings, headers = fetch(client, "cht=pc&chs=200x100&chd=t:1,2|3,4&chco=FF0000,0000FF&chdl=x|y")
    assert share(rings, "FF0000", tolerance=4) > 0.005
    _, headers = fetch(client, "cht=p&chs=200x100&chd=t:1,2|3,4")
    assert "first series" in headers["x-chartographer-warning"]


def test_title_styles_legend_positions_and_margins(client: TestClient) -> None:
    for position in ("b", "t", "l", "r"):
        image, _ = fetch(
            client,
            "cht=bvg&chs=300x150&chd=t:10,20|30,40&chdl=one|two&chtt=A|B"
            f"&chts=FF0000,14&chdlp={position}&chma=30,30,10,10",
        )
        assert share(image, "FF0000", tolerance=60) > 0.001  # the red title
    image, _ = fetch(
        client, "cht=p&chs=300x150&chd=t:1,2&chma=50,50,20,20&chf=bg,ls,90,FFFF00,0.5,FFFFFF,0.5"
    )
    assert share(image, "FFFF00", tolerance=4) > 0.1  # horizontal stripes behind the pie


def test_tex_formula(client: TestClient) -> None:
    image, _ = fetch(client, "cht=tx&chl=E=mc^2&chco=FF0000&chf=bg,s,FFFFEE")
    assert share(image, "FFFFEE", tolerance=2) > 0.5
    assert share(image, "FF0000", tolerance=60) > 0.01
    sized, headers = fetch(client, "cht=tx&chl=\\sqrt{2}&chs=300x100&chf=bg,lg,0,000000,0")
    assert sized.size == (300, 100)
    assert "chf" in headers["x-chartographer-warning"]
    assert problem(client, "cht=tx&chl=\\frac{1", 400)["param"] == "chl"
    assert problem(client, "cht=tx", 400)["param"] == "chl"
    assert problem(client, "cht=tx&chl=" + "x" * 1001, 413)["param"] == "chl"
    svg = get(client, "cht=tx&chl=x^2&chof=svg")
    assert svg.headers["content-type"] == "image/svg+xml"


def test_graphviz(client: TestClient) -> None:
    image, _ = fetch(client, "cht=gv&chl=digraph{A->B;B->C;C->A}&chs=200x200")
    assert image.size == (200, 200)
    assert dark(image) > 0.01
    image, _ = fetch(client, "cht=gv:neato&chl=graph{a--b--c--d--a}")
    assert dark(image) > 0.01
    svg = get(client, "cht=gv&chl=digraph{A->B}&chof=svg")
    assert svg.headers["content-type"] == "image/svg+xml"
    big = "digraph{" + ";".join(f"n{i}->n{i + 1}" for i in range(200)) + "}"
    image, _ = fetch(client, f"cht=gv&chl={big}&chs=100x100")
    assert image.size == (100, 100)


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("cht=gv&chl=digraph{A->B", 400),
        ('cht=gv&chl=digraph{A[image="/etc/passwd"]}', 400),
        ("cht=gv&chl=digraph{graph[dpi=9000];A}", 400),
        ("cht=gv:nope&chl=digraph{A}", 400),
        ("cht=gv", 400),
        ("cht=gv&chl=" + "x" * 20_001, 413),
    ],
)
def test_graphviz_refusals(client: TestClient, query: str, status: int) -> None:
    assert problem(client, query, status)["param"] in ("chl", "cht")


def test_graphviz_missing_or_slow(make_settings: SettingsFactory) -> None:
    app = create_app(make_settings(dot_path="/nonexistent/dot"))
    with TestClient(app) as client:
        body = problem(client, "cht=gv&chl=digraph{A->B}", 501)
    assert "not installed" in str(body["detail"])
    app = create_app(make_settings(dot_timeout=0.001))
    with TestClient(app) as client:
        dense = "graph{" + ";".join(f"a{i}--a{j}" for i in range(40) for j in range(i)) + "}"
        response = client.post("/chart", data={"cht": "gv:fdp", "chl": dense})
    assert response.status_code == 413
    assert "took longer" in response.json()["detail"]


def test_render_pool_runs_google_renders(make_settings: SettingsFactory) -> None:
    """Specs and errors cross into worker processes and back (pickling)."""
    app = create_app(make_settings(render_processes=1))
    with TestClient(app) as client:
        image, _ = fetch(client, "cht=qr&chs=100x100&chl=pool")
        assert image.size == (100, 100)
        image, _ = fetch(client, "cht=p3&chs=100x100&chd=t:1,2")
        assert image.size == (100, 100)
        assert problem(client, "cht=tx&chl=\\frac{", 400)["param"] == "chl"


def test_openapi_documents_the_google_parameters(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    names = {p["name"] for p in schema["paths"]["/chart"]["get"]["parameters"]}
    assert {"cht", "chs", "chd", "chl", "chco", "chtt", "chof"} <= names
    assert "application/x-www-form-urlencoded" in str(schema["paths"]["/chart"]["post"])


def test_the_chtt_limit_is_the_documented_one(client: TestClient) -> None:
    from pathlib import Path

    from chartographer.config import Settings

    limit = Settings().max_label_length
    docs = (Path(__file__).parents[2] / "docs" / "google-image-charts.md").read_text()
    row = next(line for line in docs.splitlines() if line.startswith("| `chtt`"))
    assert f"({limit})" in row
    assert f"`MAX_LABEL_LENGTH` (default {limit})" in docs
    ok = client.get("/chart?cht=bvs&chs=300x150&chd=t:1,2&chtt=" + "a" * limit)
    assert ok.status_code == 200
    long = client.get("/chart?cht=bvs&chs=300x150&chd=t:1,2&chtt=" + "a" * (limit + 1))
    assert long.status_code == 413
    assert long.headers["content-type"] == "application/problem+json"
    assert long.json()["param"] == "chtt"
    assert str(limit) in long.json()["detail"]
