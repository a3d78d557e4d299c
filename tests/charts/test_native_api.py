"""The native chart API through HTTP: status, content type, then the image itself."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import decode
from tests.imagecheck import (
    color_fraction,
    dark_fraction,
    max_runs,
    painted_fraction,
    runs_along_row,
)

BLUE, ORANGE, GREEN, RED = "#4E79A7", "#F28E2B", "#59A14F", "#E15759"


def get_image(client: TestClient, url: str, media_type: str = "image/png"):
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == media_type
    return response, decode(response.content)


def test_bar_chart_from_the_readme(client: TestClient) -> None:
    url = "/v1/charts/bar?values=3,7,5&labels=a,b,c&width=400&height=300"
    response, image = get_image(client, url)
    assert image.size == (400, 300)
    assert image.mode == "RGB"
    # three separate bars cross a row a little above the baseline
    assert max_runs(image, BLUE) == 3
    assert runs_along_row(image, 250, BLUE) == 3
    assert response.headers["etag"].startswith('"')
    assert "max-age" in response.headers["cache-control"]


def test_if_none_match_gives_304_without_body(client: TestClient) -> None:
    url = "/v1/charts/bar?values=3,7,5&labels=a,b,c&width=400&height=300"
    first = client.get(url)
    again = client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == first.headers["etag"]
    other = client.get(url, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200
    assert other.headers["x-cache"] == "HIT"


def test_same_chart_same_etag_different_chart_different_etag(client: TestClient) -> None:
    a = client.get("/v1/charts/line?values=1,2,3")
    b = client.get("/v1/charts/line?values=1,2,3&width=600")  # 600 is the default
    c = client.get("/v1/charts/line?values=1,2,4")
    assert a.headers["etag"] == b.headers["etag"]
    assert a.headers["etag"] != c.headers["etag"]


def test_values_that_are_not_numbers_name_the_parameter(client: TestClient) -> None:
    response = client.get("/v1/charts/bar?values=abc")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["param"] == "values"
    assert "abc" in body["detail"]


@pytest.mark.parametrize(
    ("query", "status", "param"),
    [
        ("values=1,2&width=5000", 413, "width"),
        ("values=1,2&height=9000", 413, "height"),
        ("values=1,2&width=8", 422, "width"),
        ("values=1,2&width=2000&height=2000&scale=3", 413, "width"),
        ("values=" + ",".join(["1"] * 10_001), 413, "values"),
        ("values=1,inf", 422, "values"),
        ("values=1,1e300", 422, "values"),
        ("values=1,2&title=" + "x" * 201, 413, "title"),
        ("values=1,2&colors=notacolour", 422, "colors"),
        ("values=1,2&y_min=5&y_max=1", 422, "y_min"),
        ("values=1,2&scale=4", 422, "scale"),
        ("values=1,2&format=gif", 422, "format"),
        ("values=_,_", 422, "values"),
    ],
)
def test_limits_and_bad_input_are_4xx_naming_the_parameter(
    client: TestClient, query: str, status: int, param: str
) -> None:
    response = client.get(f"/v1/charts/bar?{query}")
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["param"] == param
    assert body["status"] == status


def test_too_many_series(client: TestClient) -> None:
    query = "&".join(["values=1,2"] * 25)
    response = client.get(f"/v1/charts/line?{query}")
    assert response.status_code == 413
    assert "24" in response.json()["detail"]


@pytest.mark.parametrize(
    ("kind", "query", "message"),
    [
        ("pie", "values=1,-2", "negative"),
        ("pie", "values=0,0", "positive total"),
        ("gauge", "values=1,2", "exactly one"),
        ("radar", "values=1,2", "at least 3"),
        ("scatter", "values=1,2&x=1", "x values"),
        ("scatter", "values=1,2&sizes=1", "sizes"),
        ("scatter", "values=1,2&sizes=1,-1", "sizes"),
    ],
)
def test_kind_specific_rules(client: TestClient, kind: str, query: str, message: str) -> None:
    response = client.get(f"/v1/charts/{kind}?{query}")
    assert response.status_code == 422
    assert message in response.json()["detail"]


def test_unknown_kind_is_a_problem(client: TestClient) -> None:
    response = client.get("/v1/charts/histogramz?values=1")
    assert response.status_code == 422
    assert response.json()["param"] == "kind"


def test_grouped_bars_show_both_series_and_a_legend(client: TestClient) -> None:
    url = "/v1/charts/bar?values=3,7,5&values=4,2,6&labels=a,b,c&series=2025,2026"
    _, image = get_image(client, url)
    assert color_fraction(image, BLUE) > 0.02
    assert color_fraction(image, ORANGE) > 0.02
    # bars plus the legend swatch: each colour appears in four places on some row
    assert max_runs(image, BLUE) >= 3
    # the legend sits in the right margin: both colours appear there
    right = image.crop((image.width - 120, 0, image.width, image.height))
    assert color_fraction(right, BLUE) > 0.001
    assert color_fraction(right, ORANGE) > 0.001


def test_stacked_horizontal_bars(client: TestClient) -> None:
    url = "/v1/charts/bar?values=3,7,5&values=4,2,6&labels=x,y,z&stacked=true&horizontal=true"
    _, image = get_image(client, url)
    # horizontal bars: three runs of the first colour down a column near the left
    assert max_runs(image, BLUE, rows=False) == 3
    # orange segments start where blue ends (3, 7, 5): no column crosses all three
    assert max_runs(image, ORANGE, rows=False) == 2
    row_y = next(y for y in range(image.height) if runs_along_row(image, y, BLUE) == 1)
    assert runs_along_row(image, row_y, ORANGE) == 1  # stacked: orange follows blue


def test_value_labels_add_ink(client: TestClient) -> None:
    base = "/v1/charts/bar?values=3,7,5&labels=a,b,c&width=400&height=300&gridlines=false"
    _, plain = get_image(client, base)
    _, labelled = get_image(client, base + "&value_labels=true")
    assert dark_fraction(labelled) > dark_fraction(plain)


def test_pie_has_one_colour_per_slice(client: TestClient) -> None:
    _, image = get_image(client, "/v1/charts/pie?values=30,20,50&labels=a,b,c")
    for color in (BLUE, ORANGE, GREEN):
        assert color_fraction(image, color) > 0.02
    assert color_fraction(image, RED) < 0.001


def test_pie_slice_sizes_follow_the_values(client: TestClient) -> None:
    _, image = get_image(client, "/v1/charts/pie?values=25,75&legend=false")
    blue, orange = color_fraction(image, BLUE), color_fraction(image, ORANGE)
    assert orange / blue == pytest.approx(3, rel=0.1)


def test_doughnut_has_a_hole(client: TestClient) -> None:
    _, image = get_image(client, "/v1/charts/doughnut?values=1,1&width=400&height=400")
    centre = image.getpixel((200, 200))
    assert centre == (255, 255, 255)
    _, pie = get_image(client, "/v1/charts/pie?values=1,1&width=400&height=400")
    assert pie.getpixel((200, 200)) != (255, 255, 255)


@pytest.mark.parametrize("kind", ["line", "area", "sparkline", "scatter", "radar"])
def test_each_series_kind_draws_both_colours(client: TestClient, kind: str) -> None:
    url = f"/v1/charts/{kind}?values=1,4,2,5,3&values=2,3,3,4,1&labels=a,b,c,d,e"
    _, image = get_image(client, url)
    assert image.size == (600, 400)
    assert color_fraction(image, BLUE, tolerance=40) > 0.001
    assert color_fraction(image, ORANGE, tolerance=40) > 0.001


def test_area_fills_more_than_line(client: TestClient) -> None:
    _, line = get_image(client, "/v1/charts/line?values=1,4,2,5")
    _, area = get_image(client, "/v1/charts/area?values=1,4,2,5")
    assert painted_fraction(area) > 3 * painted_fraction(line)


def test_scatter_bubbles_grow_with_size(client: TestClient) -> None:
    url = "/v1/charts/scatter?values=2,8&x=2,8&sizes=1,9&x_min=0&x_max=10&y_min=0&y_max=10"
    _, image = get_image(client, url)
    small = image.crop((0, image.height // 2, image.width // 2, image.height))
    big = image.crop((image.width // 2, 0, image.width, image.height // 2))
    assert color_fraction(big, BLUE, 60) > 4 * color_fraction(small, BLUE, 60) > 0


def test_gauge_draws_three_bands_and_the_value(client: TestClient) -> None:
    _, image = get_image(client, "/v1/charts/gauge?values=72&width=300&height=200")
    for color in (GREEN, "#EDC948", RED):
        assert color_fraction(image, color) > 0.01
    assert dark_fraction(image) > 0.005  # needle and value text


def test_colors_and_background(client: TestClient) -> None:
    url = "/v1/charts/bar?values=3,7&colors=ff0000&background=000080&gridlines=false"
    _, image = get_image(client, url)
    assert color_fraction(image, "#FF0000") > 0.05
    assert color_fraction(image, "#000080") > 0.3
    per_bar = "/v1/charts/bar?values=3,7&colors=red,00ff00"
    _, image = get_image(client, per_bar)
    assert color_fraction(image, "#FF0000") > 0.02
    assert color_fraction(image, "#00FF00") > 0.02


def test_scale_doubles_the_pixels(client: TestClient) -> None:
    _, image = get_image(client, "/v1/charts/bar?values=1,2&width=300&height=200&scale=2")
    assert image.size == (600, 400)


def test_svg_and_webp(client: TestClient) -> None:
    response = client.get("/v1/charts/line?values=1,3,2&format=svg")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<?xml")
    assert b"<svg" in response.content
    again = client.get("/v1/charts/line?values=1,3,2&format=svg&width=601")
    assert again.status_code == 200
    _, image = get_image(client, "/v1/charts/pie?values=1,2&format=webp", "image/webp")
    assert image.format == "WEBP"
    assert image.size == (600, 400)


def test_title_axis_titles_and_ranges(client: TestClient) -> None:
    base = "/v1/charts/line?values=1,3,2&gridlines=false"
    _, plain = get_image(client, base)
    _, titled = get_image(client, base + "&title=Sales&x_title=Month&y_title=Units")
    assert dark_fraction(titled) > dark_fraction(plain)
    _, ranged = get_image(client, base + "&y_min=0&y_max=100")
    # with a 0–100 range the line hugs the bottom of the plot
    assert color_fraction(ranged.crop((0, 0, 600, 200)), BLUE, 40) < 0.0005


@pytest.mark.parametrize("position", ["left", "top", "bottom", "right"])
def test_legend_positions(client: TestClient, position: str) -> None:
    url = f"/v1/charts/line?values=1,2&values=2,1&series=one,two&legend_position={position}"
    _, image = get_image(client, url)
    assert color_fraction(image, ORANGE, 40) > 0.001


def test_post_takes_the_same_spec_as_json(client: TestClient) -> None:
    body = {"values": [[3, 7, 5]], "labels": ["a", "b", "c"], "width": 400, "height": 300}
    response = client.post("/v1/charts/bar", json=body)
    assert response.status_code == 200
    image = decode(response.content)
    assert image.size == (400, 300)
    assert max_runs(image, BLUE) == 3
    by_url = client.get("/v1/charts/bar?values=3,7,5&labels=a,b,c&width=400&height=300")
    assert by_url.headers["etag"] == response.headers["etag"]


def test_post_with_gaps_bubbles_and_names(client: TestClient) -> None:
    body = {
        "values": [[1, None, 3], [2, 2, 2]],
        "x": [[1, 2, 3], [1, 2, 3]],
        "sizes": [[1, 2, 3], [3, 2, 1]],
        "series": ["a", "b"],
        "colors": ["ff0000", "00ff00"],
    }
    response = client.post("/v1/charts/scatter", json=body)
    assert response.status_code == 200
    image = decode(response.content)
    assert color_fraction(image, "#FF0000", 60) > 0.001
    assert color_fraction(image, "#00FF00", 60) > 0.001


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"values": [[1, 2]], "width": 99999}, "width"),
        ({"values": []}, "values"),
        ({"values": [[1, 2]], "unknown": 1}, "unknown"),
        ({"values": "1,2"}, "values"),
    ],
)
def test_post_bad_bodies(client: TestClient, body: dict[str, object], param: str) -> None:
    response = client.post("/v1/charts/line", json=body)
    assert response.status_code in (413, 422)
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["param"].startswith(param)


def test_every_error_is_problem_json(client: TestClient) -> None:
    missing = client.get("/no/such/route")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert "/no/such/route" in missing.json()["detail"]
    wrong_method = client.delete("/v1/charts/bar")
    assert wrong_method.status_code == 405
    assert wrong_method.json()["title"] == "Method not allowed"
