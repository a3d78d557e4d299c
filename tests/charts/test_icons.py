"""Dynamic icons at /chart?chst=…: what each looks like, and bad chld is a clear 400."""

from __future__ import annotations

import io

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from chartographer.charts.google.errors import GoogleChartError
from chartographer.charts.google.icons import icon_from_url, icon_spec
from chartographer.charts.icons.glyphs import GOOGLE_ICONS, icon_char, icon_font
from chartographer.charts.icons.render import draw_icon, render_icon
from chartographer.errors import LimitExceeded
from chartographer.formats import ImageFormat
from tests.charts.googlecheck import encode_raw


def get_icon(client: TestClient, query: str) -> Image.Image:
    response = client.get("/chart?" + encode_raw(query))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    image.load()
    assert image.mode == "RGBA"
    return image


def near(arr: np.ndarray, color: tuple[int, int, int], tolerance: int = 20) -> np.ndarray:
    return np.all(np.abs(arr[..., :3].astype(int) - color) <= tolerance, axis=-1) & (
        arr[..., 3] > 200
    )


def test_pin_letter_has_the_fill_a_transparent_background_and_a_letter(
    client: TestClient,
) -> None:
    image = get_icon(client, "chst=d_map_pin_letter&chld=A|FF0000|000000")
    assert image.size == (21, 34)
    arr = np.asarray(image)
    assert arr[0, 0, 3] == 0 and arr[-1, 0, 3] == 0 and arr[0, -1, 3] == 0  # see-through corners
    head = arr[2:19, 2:19]
    assert near(head, (255, 0, 0)).mean() > 0.35  # the asked fill colour
    letter = near(arr[5:16, 6:15], (0, 0, 0), 60)
    assert 8 < letter.sum() < 60  # a letter's strokes, not a blob and not nothing
    assert near(arr[28:34], (255, 0, 0), 80).any()  # the tail reaches down to the tip


def test_the_letter_is_the_asked_one(client: TestClient) -> None:
    a = np.asarray(get_icon(client, "chst=d_map_pin_letter&chld=A|FFFFFF|000000"))
    i = np.asarray(get_icon(client, "chst=d_map_pin_letter&chld=I|FFFFFF|000000"))
    dark_a = near(a, (0, 0, 0), 90).sum()
    dark_i = near(i, (0, 0, 0), 90).sum()
    assert dark_a > dark_i > 0  # "A" has more ink than "I"


def test_text_colour_is_honoured(client: TestClient) -> None:
    arr = np.asarray(get_icon(client, "chst=d_map_pin_letter&chld=W|000080|FFFF00"))
    assert near(arr[3:18, 3:18], (255, 255, 0), 60).sum() > 8


def test_chst_without_cht_is_never_cht_missing(client: TestClient) -> None:
    response = client.get("/chart?chst=d_map_pin_icon&chld=cafe|996600")
    assert response.status_code == 200
    response = client.get("/chart?chst=nonsense")
    assert response.status_code == 400
    body = response.json()
    assert body["param"] == "chst" and "cht" not in body["detail"].split(":")[0]


@pytest.mark.parametrize(
    ("chst", "chld"),
    [
        ("d_map_pin_letter", "A|FF0000|000000"),
        ("d_map_pin_letter_withshadow", "12|00FF00|000000"),
        ("d_map_pin_icon", "home|FFFF00"),
        ("d_map_pin_icon_withshadow", "cafe|996600"),
        ("d_map_xpin_letter", "pin_star|B|00AAFF|FFFFFF|FFFF00"),
        ("d_map_xpin_letter", "pin_sleft|C|00AAFF|FFFFFF"),
        ("d_map_xpin_icon", "pin_sright|home|C9DE55|FCFAE1"),
        ("d_map_xpin_icon_withshadow", "pin_star|airport|FF0000|00FF00"),
        ("d_map_spin", "2|30|FF0000|13|b|A|B"),
        ("d_bubble_text_small", "bb|Hello|FFFFFF|000000"),
        ("d_bubble_text_small_withshadow", "bbtr|Hello|FFEE00|000000"),
        ("d_bubble_icon_text_small", "ski|bbtl|Wheeee!|FFFFFF|000000"),
        ("d_bubble_icon_text_small", "ski|bbT|none|FFFFFF|000000"),
        ("d_fnote", "sticky_y|2|000000|l|one|two"),
        ("d_fnote", "thought|1|0088FF|h|Hi"),
        ("d_fnote", "balloon|1|000000|r|Hi"),
        ("d_fnote", "arrow_d|1|000000|h|down"),
        ("d_fnote", "taped_y|1|000000|h|tape"),
        ("d_fnote_title", "pinned_c|1|004400|l|Title|body"),
        ("d_text_outline", "FF0000|20|h|000000|b|Outlined|text"),
        ("d_text_outline", "FF0000|14|r|000000|_|right"),
        ("d_map_pin_shadow", ""),
    ],
)
def test_every_icon_kind_draws_on_transparency(client: TestClient, chst: str, chld: str) -> None:
    if chst == "d_map_pin_shadow":
        response = client.get(f"/chart?chst={chst}")
        assert response.status_code == 400  # not a Google icon name we claim
        return
    arr = np.asarray(get_icon(client, f"chst={chst}&chld={chld}"))
    alpha = arr[..., 3]
    assert (alpha == 0).any(), "no transparent pixel"
    assert (alpha > 200).mean() > 0.1, "hardly anything drawn"


def test_outlined_text_has_fill_inside_outline(client: TestClient) -> None:
    arr = np.asarray(get_icon(client, "chst=d_text_outline&chld=FF0000|30|l|0000FF|b|HI"))
    assert near(arr, (255, 0, 0), 40).sum() > 30
    assert near(arr, (0, 0, 255), 40).sum() > 30


def test_star_pin_shows_the_star_colour(client: TestClient) -> None:
    arr = np.asarray(
        get_icon(client, "chst=d_map_xpin_letter&chld=pin_star|A|0000FF|FFFFFF|00FF00")
    )
    assert near(arr, (0, 255, 0), 40).sum() > 5
    plain = np.asarray(get_icon(client, "chst=d_map_xpin_letter&chld=pin|A|0000FF|FFFFFF|00FF00"))
    assert near(plain, (0, 255, 0), 40).sum() == 0


def test_slanted_pins_lean_opposite_ways() -> None:
    left, tip_left = draw_icon(icon_spec("d_map_xpin_letter", "pin_sleft|A|FF0000|000000"))
    right, tip_right = draw_icon(icon_spec("d_map_xpin_letter", "pin_sright|A|FF0000|000000"))
    # the tip is on the opposite side from where the head leans
    assert tip_left[0] > left.width / 2 > 0
    assert tip_right[0] < right.width / 2
    for image, tip in ((left, tip_left), (right, tip_right)):
        assert 0 <= tip[0] < image.width and image.height - 4 <= tip[1] < image.height


def test_spin_scale_and_rotation() -> None:
    small, _ = draw_icon(icon_spec("d_map_spin", "0.5|0|FF0000|10|_|x"))
    large, tip = draw_icon(icon_spec("d_map_spin", "2|0|FF0000|10|_|x"))
    assert large.height > 3 * small.height
    assert abs(tip[0] - large.width / 2) <= 1
    turned, _ = draw_icon(icon_spec("d_map_spin", "1|90|FF0000|10|_|x"))
    assert turned.width > turned.height  # lying on its side


def test_shadow_widens_the_image() -> None:
    plain, _ = draw_icon(icon_spec("d_map_pin_letter", "A|FF0000|000000"))
    shadowed, tip = draw_icon(icon_spec("d_map_pin_letter_withshadow", "A|FF0000|000000"))
    assert shadowed.width > plain.width and tip[0] < shadowed.width / 2


def test_bubble_grows_with_its_text() -> None:
    short, _ = draw_icon(icon_spec("d_bubble_text_small", "bb|Hi|FFFFFF|000000"))
    long, _ = draw_icon(icon_spec("d_bubble_text_small", "bb|Hello there world|FFFFFF|000000"))
    assert long.width > short.width + 40


@pytest.mark.parametrize("name", sorted(GOOGLE_ICONS))
def test_every_google_icon_name_has_a_glyph(name: str) -> None:
    mask = icon_font(24).getmask(icon_char(name))
    assert mask.getbbox() is not None
    assert sum(1 for v in mask if v > 128) > 15  # a real picture, not a blank


def test_icons_differ() -> None:
    cafe, _ = draw_icon(icon_spec("d_map_pin_icon", "cafe|FFFFFF"))
    plane, _ = draw_icon(icon_spec("d_map_pin_icon", "airport|FFFFFF"))
    assert np.abs(np.asarray(cafe, dtype=int) - np.asarray(plane, dtype=int)).sum() > 1000


@pytest.mark.parametrize(
    ("query", "param", "words"),
    [
        ("chst=d_map_pin_icon&chld=nosuchicon|FF0000", "chld", "icon"),
        ("chst=d_map_pin_letter&chld=A|notacolour|000000", "chld", "colour"),
        ("chst=d_map_xpin_letter&chld=pin_wobbly|A|FF0000", "chld", "pin style"),
        ("chst=d_bubble_text_small&chld=xx|Hi|FFFFFF|000000", "chld", "frame style"),
        ("chst=d_fnote&chld=napkin|1|000000|h|x", "chld", "note type"),
        ("chst=d_fnote&chld=sticky_y|3|000000|h|x", "chld", "size"),
        ("chst=d_map_spin&chld=abc|0|FF0000|10|_|x", "chld", "scale"),
        ("chst=d_map_spin&chld=1|0|FF0000|10|i|x", "chld", "font style"),
        ("chst=d_text_outline&chld=000000|20|q|FFFFFF|_|x", "chld", "alignment"),
        ("chst=d_fnote_withshadow&chld=sticky_y|1|000000|h|x", "chst", "dynamic icon"),
        ("chst=d_map_pin_letter&chld=A|FF0000|000000&chof=svg", "chof", "png"),
    ],
)
def test_bad_icon_fields_are_400_naming_the_parameter(
    client: TestClient, query: str, param: str, words: str
) -> None:
    response = client.get("/chart?" + encode_raw(query))
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["param"] == param
    assert words in response.json()["detail"]


def test_too_much_text_is_413() -> None:
    with pytest.raises(LimitExceeded):
        icon_spec("d_text_outline", "000000|72|h|FFFFFF|_|" + "W" * 100)
    with pytest.raises(LimitExceeded):
        icon_spec("d_fnote", "sticky_y|1|000000|h|" + "x" * 200)
    with pytest.raises(LimitExceeded):
        icon_spec("d_fnote", "sticky_y|1|000000|h|" + "|x" * 30)
    with pytest.raises(GoogleChartError):
        icon_spec("d_map_spin", "9|0|FF0000|10|_|x")


def test_other_formats_encode() -> None:
    spec = icon_spec("d_map_pin_letter", "A|FF0000|000000", ImageFormat.webp)
    rendered = render_icon(spec)
    assert rendered.media_type == "image/webp"
    assert Image.open(io.BytesIO(rendered.body)).size == (21, 34)


def test_defaults_when_fields_are_missing() -> None:
    spec = icon_spec("d_map_pin_letter", None)
    image, _ = draw_icon(spec)
    assert image.size == (21, 34)
    assert spec.fill == "#FE7569"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://chart.apis.google.com/chart?chst=d_map_pin_letter&chld=A%7CFF0000%7C000000", "A"),
        ("http://chart.googleapis.com/chart?chst=d_map_pin_letter&chld=B|00FF00|000000", "B"),
        ("https://chart.apis.google.com/chart?cht=p&chd=t:1,2", None),
        ("https://example.com/chart?chst=d_map_pin_letter&chld=A", None),
        ("https://chart.googleapis.com/other?chst=d_map_pin_letter&chld=A", None),
        ("ftp://chart.googleapis.com/chart?chst=d_map_pin_letter&chld=A", None),
    ],
)
def test_icon_urls_are_read_not_fetched(url: str, expected: str | None) -> None:
    spec = icon_from_url(url)
    assert (spec.lines[0] if spec else None) == expected


@pytest.mark.parametrize("brk", ["\n", "\r", "\x1c", "\x85", "\u2029"])
def test_a_break_inside_an_icon_field_is_a_space(brk: str) -> None:
    # the text shaper refused paragraph breaks: a 500 from hypothesis' chld
    broken, _ = draw_icon(icon_spec("d_bubble_text_small", f"bb|Hello{brk}there|FFFFFF|000000"))
    spaced, _ = draw_icon(icon_spec("d_bubble_text_small", "bb|Hello there|FFFFFF|000000"))
    assert broken.size == spaced.size
    assert np.array_equal(np.asarray(broken), np.asarray(spaced))
    note, _ = draw_icon(icon_spec("d_fnote", f"sticky_y|1|000000|l|one{brk}|two"))
    assert np.asarray(note)[..., 3].max() == 255
