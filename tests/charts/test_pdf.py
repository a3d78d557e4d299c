"""``format=pdf``: one vector page, parsed by a real PDF reader (pypdf)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

from chartographer.charts import draw
from chartographer.charts.draw.canvas import Canvas
from chartographer.charts.render import render_chart, render_with_artists
from chartographer.charts.spec import ChartKind, ChartSpec, Series
from chartographer.cli import main
from chartographer.formats import ImageFormat

BAR = "/v1/charts/bar?values=3,7,5&labels=Apples,Pears,Plums&title=Fruit+sold&format=pdf"
#: a filled rectangle or path: ``x y w h re`` … ``f``, or ``m``/``l`` segments closed by ``f``
_FILL = re.compile(rb"\n(f|f\*|B|B\*)\n")


def get_pdf(client: TestClient, url: str) -> tuple[bytes, PdfReader]:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    return response.content, PdfReader(io.BytesIO(response.content))


def _xobject_subtypes(reader: PdfReader) -> list[str]:
    resources = reader.pages[0]["/Resources"]
    assert isinstance(resources, DictionaryObject)
    xobjects = resources.get("/XObject")
    if isinstance(xobjects, IndirectObject):
        xobjects = xobjects.get_object()
    return [str(x.get_object()["/Subtype"]) for x in (xobjects or {}).values()]


def _fonts(reader: PdfReader) -> list[DictionaryObject]:
    resources = reader.pages[0]["/Resources"]
    assert isinstance(resources, DictionaryObject)
    fonts = resources["/Font"].get_object()
    return [f.get_object() for f in fonts.values()]


def test_a_bar_chart_is_one_vector_page_of_the_requested_size(client: TestClient) -> None:
    body, reader = get_pdf(client, BAR + "&width=640&height=360")
    assert body.startswith(b"%PDF-")
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert [float(v) for v in page.mediabox] == [0, 0, 640, 360]  # 1 pt per CSS px
    text = page.extract_text()
    for label in ("Fruit sold", "Apples", "Pears", "Plums"):
        assert label in text
    content = page.get_contents().get_data()
    assert len(_FILL.findall(content)) >= 4  # the background and three bars are filled paths
    assert b" m\n" in content and b" l\n" in content  # moveto/lineto path operators
    assert "/Image" not in _xobject_subtypes(reader)  # no raster anywhere on the page


def test_the_bars_are_paths_of_the_bar_colour(client: TestClient) -> None:
    _, reader = get_pdf(client, BAR + "&colors=E15759")
    content = reader.pages[0].get_contents().get_data()
    # PDF sets the fill colour as r g b floats then `rg`: #E15759 is (225, 87, 89)/255
    red = re.compile(rb"0\.88235\d* 0\.34117\d* 0\.34901\d* rg")
    assert red.search(content)
    # after the colour: three closed paths (one per bar) each filled
    after = content[red.search(content).end() :]  # type: ignore[union-attr]
    assert after.count(b"\nh\n") >= 3


def test_text_is_embedded_as_truetype_fonts_not_outlines(client: TestClient) -> None:
    _, reader = get_pdf(client, BAR)
    fonts = _fonts(reader)
    assert fonts and all(f["/Subtype"] == "/Type0" for f in fonts)  # Type 42 → CID fonts
    descendants = [f["/DescendantFonts"][0].get_object() for f in fonts]
    assert all(d["/Subtype"] == "/CIDFontType2" for d in descendants)
    assert all("/FontFile2" in d["/FontDescriptor"].get_object() for d in descendants)
    assert all("/ToUnicode" in f for f in fonts)  # so text is searchable and copyable
    assert any("DejaVuSans" in str(f["/BaseFont"]) for f in fonts)


def test_cjk_comes_from_the_noto_fallback_as_text(client: TestClient) -> None:
    _, reader = get_pdf(client, "/v1/charts/bar?values=3,7&labels=東京,大阪&title=売上&format=pdf")
    text = reader.pages[0].extract_text()
    assert "売上" in text and "東京" in text and "大阪" in text
    names = [str(f["/BaseFont"]) for f in _fonts(reader)]
    assert any("NotoSansCJK" in name for name in names), names


def test_equal_requests_give_equal_bytes_and_no_date(client: TestClient) -> None:
    spec = ChartSpec(
        kind=ChartKind.line,
        series=(Series(values=(1.0, 4.0, 2.0)),),
        labels=("a", "b", "c"),
        title="Twice",
        format=ImageFormat.pdf,
    )
    first, second = render_chart(spec), render_chart(spec)  # no cache in between
    assert first.body == second.body
    assert b"/CreationDate" not in first.body and b"/ModDate" not in first.body
    assert b"/Creator (Chartographer)" in first.body
    a, b = client.get(BAR), client.get(BAR + "&width=600")  # 600 is the default
    assert a.headers["etag"] == b.headers["etag"]


def test_scale_is_accepted_and_changes_nothing_on_a_vector_page(client: TestClient) -> None:
    one, reader_one = get_pdf(client, BAR + "&scale=1")
    two, reader_two = get_pdf(client, BAR + "&scale=2")
    assert [float(v) for v in reader_two.pages[0].mediabox] == [0, 0, 600, 400]
    assert reader_two.pages[0].extract_text() == reader_one.pages[0].extract_text()
    assert two == one  # scale multiplies device pixels; a PDF has none


@pytest.mark.parametrize("kind", ["line", "area", "scatter", "pie", "doughnut", "radar", "gauge"])
def test_every_native_kind_draws_a_page(client: TestClient, kind: str) -> None:
    values = "values=40" if kind == "gauge" else "values=3,7,5&labels=a,b,c"
    _, reader = get_pdf(client, f"/v1/charts/{kind}?{values}&title=Kind+{kind}&format=pdf")
    assert len(reader.pages) == 1
    assert f"Kind {kind}" in reader.pages[0].extract_text()
    assert "/Image" not in _xobject_subtypes(reader)


def test_post_takes_pdf_too(client: TestClient) -> None:
    body = {"values": [[3, 7, 5]], "labels": ["Apples", "Pears", "Plums"], "format": "pdf"}
    response = client.post("/v1/charts/bar", json=body)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert "Pears" in PdfReader(io.BytesIO(response.content)).pages[0].extract_text()


def test_the_canvas_claims_pdf_specs() -> None:
    spec = ChartSpec(kind=ChartKind.bar, series=(Series(values=(1.0,)),), format=ImageFormat.pdf)
    assert draw.supports(spec)


def test_the_artist_renderer_draws_the_same_page_size() -> None:
    """A spec the canvas does not claim (a field added later, Google ``chm``) takes the
    artists; they give a PDF too, 1 pt per CSS px like the canvas (not savefig's 0.72)."""
    spec = ChartSpec(
        kind=ChartKind.bar,
        series=(Series(values=(3.0, 7.0, 5.0)),),
        labels=("Apples", "Pears", "Plums"),
        title="Fruit sold",
        width=500,
        height=300,
        format=ImageFormat.pdf,
    )
    rendered = render_with_artists(spec)
    assert rendered.media_type == "application/pdf"
    reader = PdfReader(io.BytesIO(rendered.body))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert [float(v) for v in page.mediabox] == [0, 0, 500, 300]
    text = page.extract_text()
    assert "Fruit sold" in text and "Pears" in text
    assert b"/CreationDate" not in rendered.body
    assert render_with_artists(spec).body == rendered.body
    assert "/Image" not in _xobject_subtypes(reader)


def test_a_dark_theme_pdf_is_drawn_dark(client: TestClient) -> None:
    _, reader = get_pdf(client, BAR + "&theme=dark")
    content = reader.pages[0].get_contents().get_data()
    # the first fill is the page background: a dark grey (each channel below 0.3)
    first = re.search(rb"(?<![\w.])(?:([\d.]+) ([\d.]+) ([\d.]+) rg|([\d.]+) g)\b", content)
    assert first is not None
    channels = [float(v) for v in first.groups() if v is not None]
    assert max(channels) < 0.3, channels


def test_canvas_pdf_places_text_where_it_was_drawn() -> None:
    canvas = Canvas(200, 100, 1.0, ImageFormat.pdf, "#FFFFFF")
    canvas.rect(0, 0, 100, 100, fill="#0000FF")
    canvas.text(150, 50, "hello", size=10, color="#000000", ha="center", va="center")
    rendered = canvas.finish()
    assert rendered.media_type == "application/pdf"
    seen: list[tuple[str, float, float]] = []
    PdfReader(io.BytesIO(rendered.body)).pages[0].extract_text(
        visitor_text=lambda text, cm, tm, *_: seen.append((text, cm[4], cm[5]))
    )
    placed = [(x, y) for text, x, y in seen if "hello" in text]
    assert placed, seen
    x, y = placed[0]
    assert 120 < x < 150 and 40 < y < 60  # left of the centre, on the middle line (y up)


@pytest.mark.parametrize("fmt", ["pdf", "PDF", "eps"])
def test_format_values(client: TestClient, fmt: str) -> None:
    response = client.get(f"/v1/charts/bar?values=1,2&format={fmt}")
    if fmt == "pdf":
        assert response.status_code == 200
        return
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["param"] == "format"


def test_google_chart_offers_no_pdf(client: TestClient) -> None:
    response = client.get("/chart?cht=bvs&chd=t:1,2&chs=200x100&chof=pdf")
    assert response.status_code in (400, 422)
    assert "chof" in response.text


@pytest.mark.parametrize("args", [["-o", "chart.pdf"], ["--format", "pdf", "-o", "chart.out"]])
def test_the_cli_writes_a_pdf_offline(tmp_path: Path, args: list[str]) -> None:
    args = [a if not a.startswith("chart.") else str(tmp_path / a) for a in args]
    result = CliRunner().invoke(
        main, ["render", "bar", "--values", "3,7", "--labels", "Oak,Elm", *args]
    )
    assert result.exit_code == 0, result.output
    (written,) = tmp_path.iterdir()
    page = PdfReader(written).pages[0]
    assert [float(v) for v in page.mediabox] == [0, 0, 600, 400]
    assert "Oak" in page.extract_text() and "Elm" in page.extract_text()


def test_log_axis_and_annotations_are_drawn_in_pdf(client: TestClient) -> None:
    url = (
        "/v1/charts/line?values=10,100,1000&labels=a,b,c&y_scale=log"
        "&annotations=y|500|Target|red&format=pdf"
    )
    _, reader = get_pdf(client, url)
    text = reader.pages[0].extract_text()
    assert "Target" in text
    assert all(tick in text.split() for tick in ("10", "100", "1,000"))  # powers of ten
    assert "/Image" not in _xobject_subtypes(reader)
