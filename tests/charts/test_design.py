"""Design through HTTP and the renderer: numbers, labels, themes, palettes, fonts, scripts."""

from __future__ import annotations

import numpy as np
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure
from matplotlib.text import Text

from chartographer.charts.fonts import visual_text
from chartographer.charts.layout import category_plan, font_sizes, value_scale
from chartographer.charts.native.params import ChartQuery, Limits, spec_from_query
from chartographer.charts.render import draw_chart, render_chart
from chartographer.charts.spec import ChartKind, ChartSpec
from chartographer.config import Settings
from chartographer.errors import ChartographerError
from tests.conftest import decode
from tests.imagecheck import color_fraction, rgb_array

LONG = ",".join(f"Department of Long Name {i}" for i in range(30))


def spec_of(kind: str, **query: object) -> ChartSpec:
    return spec_from_query(
        ChartKind(kind), ChartQuery.model_validate(query), Limits.from_settings(Settings())
    )


def drawn_texts(spec: ChartSpec) -> list[Text]:
    """The texts the renderer put on the figure, as a person would read them."""
    fig = Figure(figsize=(spec.width / 100, spec.height / 100), dpi=100)
    draw_chart(fig, spec, font_sizes(spec))
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


def image(client: TestClient, url: str, media_type: str = "image/png"):
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == media_type
    return decode(response.content)


def test_thirty_long_labels_show_at_least_eight_inside_the_image(client: TestClient) -> None:
    values = ",".join(str(i + 1) for i in range(30))
    spec = spec_of("bar", values=[values], labels=LONG, width=600, height=400)
    plan = category_plan(spec, font_sizes(spec))
    assert plan is not None and len(plan.shown) >= 8
    assert plan.shown[0] == 0 and plan.shown[-1] == 29
    fig = Figure(figsize=(6, 4), dpi=100)
    draw_chart(fig, spec, font_sizes(spec))
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()
    labels = [t for t in fig.findobj(Text) if t.get_text().startswith("Dep")]
    assert len(labels) >= 8
    for text in labels:  # every label wholly inside the image
        box = text.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= 600 and box.y0 >= 0 and box.y1 <= 400
    png = image(client, f"/v1/charts/bar?values={values}&labels={LONG}&width=600&height=400")
    ink = rgb_array(png)[300:, :, :].max(axis=2) < 150  # label ink below the bars
    assert ink.any()


def test_billions_read_without_scientific_notation_and_the_axis_hugs_the_data() -> None:
    spec = spec_of("bar", values=["120000000,450000000,980000000"], labels="a,b,c")
    texts = [t.get_text() for t in drawn_texts(spec)]
    assert not any("e+" in t for t in texts)
    assert "1.0B" in texts and "1.2B" not in texts and "1.25B" not in texts


def test_gauge_reads_millions() -> None:
    spec = spec_of("gauge", values=["1450000"], y_max=2000000)
    texts = [t.get_text() for t in drawn_texts(spec)]
    assert "1.45M" in texts and "2M" in texts


def test_number_format_reaches_axes_and_value_labels() -> None:
    spec = spec_of(
        "bar", values=["1234.5,20"], labels="a,b", number_format="$,.2f", value_labels=True
    )
    texts = [t.get_text() for t in drawn_texts(spec)]
    assert "$1,234.50" in texts and "$20.00" in texts
    assert "$0.00" in texts  # the axis, with the same decimals


def test_months_are_ticked_on_quarters(client: TestClient) -> None:
    months = ",".join(f"{y}-{m:02d}" for y in (2024, 2025) for m in range(1, 13))
    spec = spec_of("line", values=[",".join("1" * 24)], labels=months, width=600, height=300)
    shown = [t.get_text() for t in drawn_texts(spec) if t.get_text().startswith("202")]
    assert shown and all(t[5:] in ("01", "04", "07", "10") for t in shown)


def test_a_bad_number_format_palette_or_font_is_a_422_naming_it(client: TestClient) -> None:
    for param, value in (("number_format", "kg"), ("palette", "rainbow"), ("font", "Nope")):
        response = client.get(f"/v1/charts/bar?values=1,2&{param}={value}")
        assert response.status_code == 422, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert param in response.text
    response = client.get("/v1/charts/bar?values=1,2&theme=blue")
    assert response.status_code == 422 and "theme" in response.text


def test_dark_theme_has_a_dark_background_and_light_text(client: TestClient) -> None:
    png = image(client, "/v1/charts/bar?values=3,7,5&labels=a,b,c&theme=dark&title=Dark")
    pixels = rgb_array(png)
    assert (pixels[2, 2] < 60).all() and (pixels[-3, -3] < 60).all()
    assert (pixels.min(axis=2) > 180).sum() > 50  # light ink: title, labels
    light = rgb_array(image(client, "/v1/charts/bar?values=3,7,5&labels=a,b,c&title=Dark"))
    assert (light[2, 2] > 240).all()


@pytest.mark.parametrize(("fmt", "media"), [("png", "image/png"), ("webp", "image/webp")])
def test_transparent_background_has_alpha_zero_corners(
    client: TestClient, fmt: str, media: str
) -> None:
    url = f"/v1/charts/bar?values=3,7,5&background=transparent&format={fmt}"
    picture = image(client, url, media)
    assert picture.mode == "RGBA"
    alpha = np.asarray(picture)[..., 3]
    assert alpha[0, 0] == alpha[0, -1] == alpha[-1, 0] == alpha[-1, -1] == 0
    assert (alpha == 255).sum() > 1000  # the bars are opaque


def test_named_palette_colours_the_series(client: TestClient) -> None:
    png = image(client, "/v1/charts/bar?values=3,7,5&values=4,2,6&palette=okabe-ito")
    assert color_fraction(png, "#E69F00") > 0.02 and color_fraction(png, "#56B4E9") > 0.02
    assert color_fraction(png, "#4E79A7") == 0


def _title_band(client: TestClient, title: str, extra: str = "") -> np.ndarray:
    png = image(client, f"/v1/charts/bar?values=1,2&title={title}&width=300&height=200{extra}")
    return rgb_array(png)[:24, :, :].astype(int)


def test_cjk_arabic_hebrew_and_emoji_draw_glyphs_not_tofu(client: TestClient) -> None:
    tofu = _title_band(client, "\ue000\ue000\ue000")  # private use: the .notdef box
    blank = _title_band(client, "")
    for title in ("销售额", "مرحبا", "שלום", "😀❤📈"):
        band = _title_band(client, title)
        assert (band.min(axis=2) < 128).sum() > 20, title  # ink was drawn
        assert np.abs(band - tofu).mean() > 0.5, title  # and it is not boxes
        assert np.abs(band - blank).mean() > 0.5, title


def test_arabic_is_joined_and_right_to_left() -> None:
    assert visual_text("abc") == "abc"
    shaped = visual_text("مرحبا")
    assert shaped != "مرحبا" and all("\ufe70" <= ch <= "\ufeff" for ch in shaped)
    assert visual_text("שלום") == "םולש"
    spec = spec_of("bar", values=["1,2"], labels="שלום,b")
    assert "םולש" in [t.get_text() for t in drawn_texts(spec)]


def test_font_parameter_changes_the_drawing(client: TestClient) -> None:
    serif = _title_band(client, "Sales", "&font=dejavu serif")
    sans = _title_band(client, "Sales")
    assert np.abs(serif - sans).mean() > 0.5
    spec = spec_of("bar", values=["1,2"], font="dejavu serif")
    assert spec.font == "DejaVu Serif"
    assert all(t.get_fontfamily()[0] == "DejaVu Serif" for t in drawn_texts(spec))


@pytest.mark.parametrize(
    ("kind", "values", "bounds", "expected"),
    [
        ("bar", "120000000,980000000", {}, (0.0, 1e9)),
        ("line", "0,6000", {}, (0.0, 6120.0)),  # headroom past the last tick, not below 0
        ("line", "-5,10", {}, (-5.3, 10.3)),
        ("bar", "3,7", {"y_min": 2}, (2.0, 7.0)),
        ("line", "1,5", {"y_max": 4}, (0.92, 4.0)),
        ("bar", "3,7", {"y_min": 1, "y_max": 9}, (1.0, 9.0)),
        ("line", "1,5", {"y_min": 8}, (8.0, 16.0)),  # a minimum above the data
        ("line", "3,5", {"y_max": -2}, (-4.0, -2.0)),  # a maximum below it
    ],
)
def test_value_scale_hugs_the_data_and_keeps_fixed_bounds(
    kind: str, values: str, bounds: dict[str, float], expected: tuple[float, float]
) -> None:
    ticks, lo, hi = value_scale(spec_of(kind, values=[values], **bounds))
    assert (lo, hi) == pytest.approx(expected)
    assert all(lo - 1e-9 <= t <= hi + 1e-9 for t in ticks) and len(ticks) >= 2


def test_dark_pie_and_gauge_recolour_edges_and_needle(client: TestClient) -> None:
    pie = rgb_array(image(client, "/v1/charts/pie?values=1,2,3&labels=a,b,c&theme=dark"))
    assert (pie.min(axis=2) == 255).sum() == 0  # no white slice edges on the dark ground
    gauge = rgb_array(image(client, "/v1/charts/gauge?values=40&theme=dark"))
    assert (gauge[..., 0] > 200).sum() > 100  # the needle and value in light ink


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from([ChartKind.bar, ChartKind.line, ChartKind.gauge, ChartKind.pie]),
    number_format=st.none() | st.text(alphabet="$€,._'fs%0123 kgK", max_size=8),
    palette=st.none() | st.sampled_from(["okabe-ito", "viridis", "Tableau10", "nope"]),
    theme=st.sampled_from(["light", "dark"]),
    background=st.none() | st.sampled_from(["transparent", "000000", "ffffff80"]),
    font=st.none() | st.sampled_from(["DejaVu Serif", "noto sans", "Comic Nope"]),
    labels=st.lists(st.text(max_size=12), max_size=6),
)
def test_any_design_query_renders_or_is_a_named_4xx(
    kind: ChartKind,
    number_format: str | None,
    palette: str | None,
    theme: str,
    background: str | None,
    font: str | None,
    labels: list[str],
) -> None:
    query = {
        "values": ["1250000" if kind is ChartKind.gauge else "3,1200000,5"],
        "number_format": number_format,
        "palette": palette,
        "theme": theme,
        "background": background,
        "font": font,
        "labels": ",".join(t.replace(",", "") for t in labels) or None,
        "y_max": 2e6 if kind is ChartKind.gauge else None,
        "value_labels": True,
        "width": 300,
        "height": 200,
    }
    try:
        spec = spec_of(kind.value, **query)
    except ChartographerError as error:
        assert 400 <= error.status < 500
        assert error.param in ("number_format", "palette", "font", "labels")
        return
    texts = [t.get_text() for t in drawn_texts(spec)]
    assert not any("e+" in t for t in texts)
    assert render_chart(spec).body[:4] in (b"\x89PNG",)


def test_a_themed_render_leaves_nothing_behind_on_the_pooled_figure() -> None:
    plain = spec_of("bar", values=["3,7,5"], labels="a,b,c", title="t")
    before = render_chart(plain).body
    fancy = spec_of(
        "bar", values=["3,7,5"], labels="a,שלום,c", title="t", theme="dark", font="DejaVu Serif"
    )
    assert render_chart(fancy).body != before
    assert render_chart(plain).body == before
