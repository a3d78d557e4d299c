"""Static Maps URL syntax → draft → spec, without a server."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chartographer.config import Settings
from chartographer.errors import ChartographerError, InvalidParameter, LimitExceeded
from chartographer.maps.geocode import Place
from chartographer.maps.google import parse_google, parse_markers, parse_path, parse_size
from chartographer.maps.params import (
    MapDraft,
    MapLimits,
    build_spec,
    parse_color,
    parse_format,
    parse_location,
    parse_scale,
    parse_zoom,
)
from chartographer.maps.spec import MapFormat

LIMITS = MapLimits.from_settings(Settings())
MAPTYPES = {"roadmap": "default", "default": "default", "terrain": "terrain"}


def google(query: str, icons: tuple[str, ...] = ()) -> MapDraft:
    from urllib.parse import parse_qsl

    items = parse_qsl(query, keep_blank_values=True)
    return parse_google(items, maptypes=MAPTYPES, icons=icons, path_limit=1000)


def test_markers_styles_and_locations() -> None:
    group, warnings = parse_markers("size:mid|color:0xFFFF00|label:Cafe|Tok,AK|62.1,-145.5", [])
    assert (group.size, group.color, group.label) == ("mid", "#FFFF00", "Cafe")
    assert group.locations == ["Tok,AK", (62.1, -145.5)]
    assert warnings == []
    named, _ = parse_markers("color:blue|anchor:topleft|1,2", [])
    assert named.color == "#1E64F0" and named.anchor == "topleft"
    pixel, _ = parse_markers("anchor:10,32|scale:2|1,2", [])
    assert pixel.anchor == "10,32"


def test_icons_only_from_the_allow_list() -> None:
    allowed, warnings = parse_markers(
        "icon:https://ok.example/a.png|1,2", ["https://ok.example/a.png"]
    )
    assert allowed.icon == "https://ok.example/a.png" and not warnings
    refused, warnings = parse_markers("icon:http://evil.example/x.png|1,2", [])
    assert refused.icon is None
    assert "allow-list" in warnings[0]


@pytest.mark.parametrize(
    ("value", "param_text"),
    [
        ("size:huge|1,2", "size"),
        ("color:0xZZZZZZ|1,2", "colour"),
        ("color:0x11223344|1,2", "colour"),  # markers take no alpha
        ("anchor:middle|1,2", "anchor"),
        ("anchor:²,3|1,2", "anchor"),  # not a digit to int(): it was a 500
        ("label:" + "x" * 30 + "|1,2", "limit of 24"),
        ("label:a\nb|1,2", "line breaks"),  # the text shaper refused them: a 500
        ("label:a\x1cb|1,2", "control characters"),
        ("91,0", "outside"),
    ],
)
def test_bad_markers(value: str, param_text: str) -> None:
    with pytest.raises(ChartographerError, match=param_text) as caught:
        parse_markers(value, [])
    assert caught.value.param == "markers"


def test_path_styles_geodesic_and_encoded() -> None:
    path = parse_path("weight:3|color:0xff000080|fillcolor:0xAACCEE|geodesic|1,2|3,4")
    assert (path.weight, path.color, path.fill, path.geodesic) == (
        3.0,
        "#FF000080",
        "#AACCEEFF",
        True,
    )
    assert path.points == [(1.0, 2.0), (3.0, 4.0)]
    assert parse_path("1,2||3,4|").points == [(1.0, 2.0), (3.0, 4.0)]
    assert parse_path("geodesic:false|1,2|3,4").geodesic is False
    # enc: takes the rest of the value, '|' included
    encoded = parse_path("color:red|enc:_p~iF~ps|U_ulLnnqC_mqNvxq`@")
    assert len(encoded.points) == 3 and encoded.points[0] == pytest.approx((38.5, -120.2))
    with pytest.raises(InvalidParameter, match="weight"):
        parse_path("weight:abc|1,2|3,4")
    with pytest.raises(InvalidParameter, match="weight"):
        parse_path("weight:99|1,2|3,4")


def test_small_parsers() -> None:
    assert parse_size("600x300") == (600, 300)
    assert parse_size("9999999x1") == (10**6, 10**6)
    with pytest.raises(InvalidParameter, match="WIDTHxHEIGHT"):
        parse_size("600")
    for size in ("²x100", "100x①"):  # str.isdigit() said yes and int() raised: a 500
        with pytest.raises(InvalidParameter, match="WIDTHxHEIGHT"):
            parse_size(size)
    assert parse_scale("2") == 2
    with pytest.raises(InvalidParameter, match="1, 2 or 4"):
        parse_scale("3")
    with pytest.raises(InvalidParameter):
        parse_scale("x")
    assert parse_format("JPG-baseline") is MapFormat.jpg_baseline
    with pytest.raises(InvalidParameter, match="png8"):
        parse_format("bmp")
    assert parse_zoom("21") == 21
    for bad in ("-1", "23", "1.5"):
        with pytest.raises(InvalidParameter, match="0 to 22"):
            parse_zoom(bad)
    assert parse_color("#abcdef", "c") == "#ABCDEF"
    assert parse_color("red", "c", alpha=True) == "#E53935FF"
    assert parse_location(" Tok, AK ", "center") == "Tok, AK"
    with pytest.raises(InvalidParameter, match="place name"):
        parse_location(" ", "center")


def test_google_query_to_draft() -> None:
    draft = google(
        "center=Tok,AK&zoom=6&size=400x300&scale=2&format=jpg&maptype=terrain"
        "&markers=color:red|1,2&markers=size:tiny|3,4&path=1,2|3,4&visible=5,6|7,8"
        "&style=feature:poi|visibility:off&key=abc&language=it&bogus=1"
    )
    assert (draft.width, draft.height, draft.scale, draft.zoom) == (400, 300, 2, 6)
    assert draft.format is MapFormat.jpg and draft.source == "terrain"
    assert draft.center == "Tok,AK" and len(draft.markers) == 2 and len(draft.paths) == 1
    assert draft.visible == [(5.0, 6.0), (7.0, 8.0)]
    assert draft.styles == ["feature:poi|visibility:off"]  # applied or reported later
    assert any("bogus" in w for w in draft.warnings)
    assert draft.places() == ["Tok,AK"]
    unknown = google("size=10x10&maptype=satellite&center=1,2&zoom=1")
    assert unknown.source == "default" and "satellite" in unknown.warnings[0]
    with pytest.raises(InvalidParameter, match="size"):
        google("center=1,2&zoom=3")


def test_build_spec_resolves_warns_and_fits() -> None:
    draft = google("size=400x400&markers=Tok,AK|Nowhere+Land|62.1,-145.5&path=Tok,AK|Nowhere")
    places = {
        "Tok,AK": Place(63.34, -142.99, "Tok"),
        "Nowhere Land": None,
        "Nowhere": None,
    }
    spec = build_spec(draft, places, LIMITS, attribution="© test")
    assert len(spec.markers) == 2 and spec.paths == ()
    assert any("Nowhere Land" in w for w in spec.warnings)
    assert any("at least two" in w for w in spec.warnings)
    assert 0 < spec.zoom <= 17 and spec.attribution == "© test"
    approx = build_spec(
        google("size=100x100&center=Brooklyn+Bridge,New+York&zoom=3"),
        {"Brooklyn Bridge,New York": Place(40.7, -74.0, "New York City", exact=False)},
        LIMITS,
        attribution="",
    )
    assert "approximately" in approx.warnings[0] and approx.lat == 40.7
    lost = build_spec(google("size=100x100&center=Colosseo&zoom=15"), {}, LIMITS, attribution="")
    assert (lost.lat, lost.lng, lost.zoom) == (0.0, 0.0, 15)
    with pytest.raises(InvalidParameter, match="center"):
        build_spec(google("size=100x100"), {}, LIMITS, attribution="")
    polygon = build_spec(
        google("size=100x100&path=fillcolor:red|1,1|1,2|2,2"), {}, LIMITS, attribution=""
    )
    assert polygon.paths[0].points[0] == polygon.paths[0].points[-1]


def test_limits() -> None:
    small = MapLimits(
        max_size=640, max_pixels=10**6, max_markers=2, max_path_points=3, max_places=1
    )
    with pytest.raises(LimitExceeded, match="640"):
        build_spec(google("size=641x10&center=1,1&zoom=1"), {}, small, attribution="")
    with pytest.raises(LimitExceeded, match="pixels"):
        build_spec(google("size=640x640&scale=4&center=1,1&zoom=1"), {}, small, attribution="")
    with pytest.raises(InvalidParameter, match="at least 1"):
        build_spec(google("size=0x10&center=1,1&zoom=1"), {}, small, attribution="")
    with pytest.raises(LimitExceeded, match="markers"):
        build_spec(google("size=10x10&markers=1,1|1,2|1,3"), {}, small, attribution="")
    with pytest.raises(LimitExceeded, match="points"):
        build_spec(google("size=10x10&path=1,1|1,2|1,3|1,4"), {}, small, attribution="")


_piece = st.sampled_from(
    [
        "size:tiny",
        "size:mid",
        "color:red",
        "color:0x00ff00",
        "color:0xzz",
        "label:AB",
        "anchor:center",
        "anchor:9,9",
        "icon:x",
        "weight:4",
        "weight:-1",
        "fillcolor:0x11223344",
        "geodesic",
        "geodesic:true",
        "1,2",
        "-33.8,151.2",
        "95,0",
        "Tok,AK",
        "enc:_p~iF~ps|U",
        "enc:",
        "",
        ":",
        "|",
    ]
)
_value = st.lists(_piece, max_size=6).map("|".join) | st.text(max_size=30)
_name = st.sampled_from(
    ["center", "zoom", "size", "scale", "format", "maptype", "markers", "path", "visible", "style"]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_name, _value), max_size=8), st.sampled_from(["600x300", "1x1", "x"]))
def test_any_query_parses_or_is_a_problem(items: list[tuple[str, str]], size: str) -> None:
    try:
        draft = parse_google([("size", size), *items], maptypes=MAPTYPES, icons=(), path_limit=500)
        spec = build_spec(draft, {}, LIMITS, attribution="")
    except ChartographerError as exc:
        assert 400 <= exc.status < 500 and exc.param
        return
    assert 1 <= spec.width <= 640 and 0 <= spec.zoom <= 22
