"""Issue #10's "Shown by", on the images the service serves.

``tests/charts/test_design.py`` checks most of these on the artist renderer
(``draw_chart`` on a matplotlib ``Figure``); since the canvas (``charts.draw``)
draws plain light charts, those specs are no longer what a client is served.
These tests go through HTTP and look at what the canvas drew: each text it was
asked to draw (a spy on ``Canvas.text``, so no OCR), each such text redrawn
alone on a padded canvas to find its ink, and the decoded response itself.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import matplotlib as mpl
import numpy as np
import pytest
from fastapi.testclient import TestClient
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.font_manager import FontProperties

from chartographer.charts.draw.canvas import Canvas
from chartographer.charts.draw.surface import DPI
from chartographer.charts.render import quiet_glyphs
from chartographer.formats import ImageFormat
from tests.conftest import decode
from tests.imagecheck import hex_rgb, rgb_array

LONG = ",".join(f"Department of Long Name {i}" for i in range(30))
#: no font has this code point: drawn as the missing-glyph box
NOTDEF = "\U0010fffd"
LAST_RESORT = f"{mpl.get_data_path()}/fonts/ttf/LastResortHE-Regular.ttf"
PAD = 200


@dataclass(frozen=True)
class Drawn:
    x: float
    y: float
    text: str
    options: dict[str, Any]


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Drawn]]:
    """Every text the canvas draws during the test, with where and how."""
    calls: list[Drawn] = []
    original = Canvas.text

    def spy(self: Canvas, x: float, y: float, s: str, **options: Any) -> None:
        calls.append(Drawn(x, y, s, options))
        original(self, x, y, s, **options)

    monkeypatch.setattr(Canvas, "text", spy)
    yield calls


def served(client: TestClient, url: str) -> np.ndarray:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/png"
    return rgb_array(decode(response.content))


def ink_box(text: Drawn, width: int, height: int) -> tuple[int, int, int, int]:
    """Where ``text`` puts ink in a ``width``×``height`` image: (left, top, right, bottom).

    Drawn alone on a canvas padded by ``PAD`` on every side, so ink that would
    fall outside the image is still seen (and the box then reaches past it).
    """
    canvas = Canvas(width + 2 * PAD, height + 2 * PAD, 1.0, ImageFormat.png, "#FFFFFF")
    options = {**text.options, "color": "#000000"}
    with quiet_glyphs():
        Canvas.text(canvas, text.x + PAD, text.y + PAD, text.text, **options)
    ink = rgb_array(decode(canvas.finish().body)).max(axis=-1) < 160
    rows, cols = np.nonzero(ink.any(axis=1))[0], np.nonzero(ink.any(axis=0))[0]
    assert rows.size, f"{text.text!r} drew no ink"
    return cols[0] - PAD, rows[0] - PAD, cols[-1] - PAD, rows[-1] - PAD


def test_thirty_long_labels_at_600x400_draw_eight_or_more_all_inside(
    client: TestClient, drawn: list[Drawn]
) -> None:
    values = ",".join(str(i + 1) for i in range(30))
    url = f"/v1/charts/bar?values={values}&labels={LONG}&width=600&height=400"
    pixels = served(client, url)
    labels = [d for d in drawn if d.text.startswith("Dep")]
    assert labels, "the canvas drew none of the labels (or another renderer served it)"
    assert len(labels) >= 8, [d.text for d in labels]
    assert len({d.text for d in labels}) == len(labels)  # cut in the middle: each says which
    # first and last kept: the first label hangs under the first bar, the last under the last
    bar_ink = np.all(np.abs(pixels - hex_rgb("#4E79A7")) <= 12, axis=-1)
    base = int(np.nonzero(bar_ink.any(axis=1))[0].max())  # the bars' bottom row: every bar
    bars = np.nonzero(bar_ink[base])[0]
    starts = bars[np.r_[True, np.diff(bars) > 1]]
    ends = bars[np.r_[np.diff(bars) > 1, True]]
    assert len(starts) == 30
    centres = (starts + ends) / 2
    anchors = [d.x for d in labels]
    assert abs(anchors[0] - centres[0]) < 6 and abs(anchors[-1] - centres[-1]) < 6, anchors
    boxes = [ink_box(d, 600, 400) for d in labels]
    for (left, top, right, bottom), label in zip(boxes, labels, strict=True):
        assert left >= 0 and top >= 0 and right < 600 and bottom < 400, label.text
        # and the served image has that ink where the label was drawn
        assert (pixels[top : bottom + 1, left : right + 1].max(axis=-1) < 160).any(), label.text
    for a, b in itertools.pairwise(boxes):  # rotated labels do not run into each other
        assert a[0] < b[0]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/v1/charts/bar?values=120000000,450000000,980000000&labels=a,b,c", {"1.0B"}),
        ("/v1/charts/line?values=1e9,2.5e9,9.8e9&value_labels=true", {"9.8B", "10B"}),
        ("/v1/charts/gauge?values=1450000&y_max=2000000", {"1.45M", "2M"}),
    ],
)
def test_billions_and_millions_are_written_without_e_plus(
    client: TestClient, drawn: list[Drawn], url: str, expected: set[str]
) -> None:
    served(client, url)
    texts = {d.text for d in drawn}
    assert texts, "the canvas drew no text"
    assert expected <= texts, texts
    assert not any("e+" in t or "e-" in t or "E+" in t for t in texts), texts


def _band(pixels: np.ndarray, rows: slice) -> np.ndarray:
    return pixels[rows].astype(int)


def _crop(ink: np.ndarray) -> np.ndarray:
    rows, cols = np.nonzero(ink.any(axis=1))[0], np.nonzero(ink.any(axis=0))[0]
    assert rows.size, "no ink"
    return ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def canvas_glyph(char: str, size: float) -> np.ndarray:
    """``char`` as the canvas draws it (any colour counts as ink), cropped to its ink."""
    canvas = Canvas(200, 200, 1.0, ImageFormat.png, "#FFFFFF")
    with quiet_glyphs():
        canvas.text(40, 140, char, size=size, color="#000000")
    return _crop(rgb_array(decode(canvas.finish().body)).min(axis=-1) < 160)


def missing_glyph(char: str, size: float) -> np.ndarray:
    """What a missing glyph looks like: matplotlib ends every fallback list with its
    bundled Last Resort font, whose glyph for ``char`` is the box (with the Unicode
    block's name) drawn when no font has it; the canvas's own ``.notdef``."""
    renderer = RendererAgg(200, 200, DPI)
    gc = renderer.new_gc()
    gc.set_foreground((0, 0, 0, 1), isRGBA=True)
    prop = FontProperties(fname=LAST_RESORT, size=size)
    with quiet_glyphs():
        renderer.draw_text(gc, 40, 140, char, prop, 0.0)
    gc.restore()
    return _crop(np.asarray(renderer.buffer_rgba())[..., 3] > 95)  # ink on transparent


def same_shape(a: np.ndarray, b: np.ndarray) -> bool:
    """Two ink crops of (nearly) the same size that mostly overlap, give or take a pixel."""
    if abs(a.shape[0] - b.shape[0]) > 2 or abs(a.shape[1] - b.shape[1]) > 2:
        return False
    h, w = max(a.shape[0], b.shape[0]) + 2, max(a.shape[1], b.shape[1]) + 2
    big = np.zeros((h, w), dtype=bool)
    big[1 : 1 + a.shape[0], 1 : 1 + a.shape[1]] = a
    best = 0.0
    for dy, dx in itertools.product(range(3), range(3)):
        other = np.zeros((h, w), dtype=bool)
        other[dy : dy + b.shape[0], dx : dx + b.shape[1]] = b[: h - dy, : w - dx]
        best = max(best, (big & other).sum() / max((big | other).sum(), 1))
    return best > 0.8


def test_the_missing_glyph_reference_is_what_the_canvas_draws_for_a_missing_glyph() -> None:
    for char in (NOTDEF, "\ue000", "\U000f0000"):  # no font of the list has these
        assert same_shape(canvas_glyph(char, 40), missing_glyph(char, 40)), repr(char)
    assert not same_shape(canvas_glyph("A", 40), missing_glyph("A", 40))


def test_a_cjk_title_draws_glyphs_not_missing_boxes(client: TestClient, drawn: list[Drawn]) -> None:
    title = "销售额"
    url = "/v1/charts/bar?values=1,2&width=300&height=200&title="
    real = served(client, url + title)
    (drew,) = [d for d in drawn if d.text == title]  # the canvas drew the title
    blank = served(client, url.removesuffix("&title="))
    band = slice(0, 30)
    assert (real[band].max(axis=-1) < 128).sum() > 40  # ink was drawn
    assert np.abs(_band(real, band) - _band(blank, band)).mean() > 1.0
    assert drew.options["size"] >= 10
    for char in title:  # each character (large enough to tell) is not the missing box
        assert not same_shape(canvas_glyph(char, 40), missing_glyph(char, 40)), char


def test_an_emoji_label_draws_a_colour_glyph_not_a_missing_box(
    client: TestClient, drawn: list[Drawn]
) -> None:
    url = "/v1/charts/bar?values=3,5&width=300&height=200&labels="
    emoji = served(client, url + "😀,📈")
    (drew,) = [d for d in drawn if d.text == "😀"]  # the canvas drew the label
    below = slice(150, 200)  # the category labels under the bars
    red, green, blue = (emoji[below][..., i] for i in range(3))
    assert ((red > 200) & (green > 150) & (blue < 100)).sum() > 30  # the smiley's yellow
    assert drew.options["size"] > 5
    for char in ("😀", "📈"):  # large enough to tell: not the missing box
        assert not same_shape(canvas_glyph(char, 40), missing_glyph(char, 40)), char
