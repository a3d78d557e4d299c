"""The pure renderer: clipping, decoding, anchors, sprites (no server)."""

from __future__ import annotations

import io

from PIL import Image

from chartographer.maps import draw
from chartographer.maps.geo import Viewport
from chartographer.maps.render import clip_polygon, clip_polyline, path_pixels, render_map, warm_up
from chartographer.maps.spec import MapFormat, MapPath, MapSpec, Marker, TileSet

BOX = (0.0, 0.0, 100.0, 100.0)


def png(color: tuple[int, ...], mode: str = "RGB", size: int = 256) -> bytes:
    buf = io.BytesIO()
    Image.new(mode, (size, size), color).save(buf, format="PNG")
    return buf.getvalue()


def test_clip_polyline() -> None:
    assert clip_polyline([(10, 10), (90, 90)], BOX) == [[(10, 10), (90, 90)]]
    assert clip_polyline([(-50, 50), (150, 50)], BOX) == [[(0.0, 50.0), (100.0, 50.0)]]
    # leaves and comes back: two runs
    runs = clip_polyline([(50, 50), (50, 200), (60, 200), (60, 50)], BOX)
    assert len(runs) == 2
    assert clip_polyline([(200, 200), (300, 300)], BOX) == []
    assert clip_polyline([(-10, 50), (-10, 60)], BOX) == []  # parallel, outside
    assert clip_polyline([(50, 150), (60, 150)], BOX) == []
    # a vertical segment inside
    assert clip_polyline([(50, 10), (50, 20)], BOX) == [[(50, 10), (50, 20)]]


def test_clip_polygon() -> None:
    big = [(-50, -50), (150, -50), (150, 150), (-50, 150)]
    assert sorted(clip_polygon(big, BOX)) == [(0, 0), (0, 100), (100, 0), (100, 100)]
    assert clip_polygon([(200, 200), (300, 200), (300, 300)], BOX) == []
    triangle = [(50, 50), (150, 50), (50, 150)]
    assert len(set(clip_polygon(triangle, BOX))) == 4


def test_path_pixels_cross_the_antimeridian() -> None:
    view = Viewport(0, 180, 3, 200, 200, 1)
    pixels = path_pixels(view, [(0, 170), (0, -170)])
    assert pixels[1][0] > pixels[0][0]
    assert path_pixels(view, []) == []


def spec(**kw: object) -> MapSpec:
    base: dict[str, object] = {"width": 256, "height": 256, "lat": 0.0, "lng": 0.0, "zoom": 1}
    base.update(kw)
    return MapSpec.model_validate(base)


def test_tiles_decoded_in_any_mode_and_bad_bytes_are_missing() -> None:
    tiles = {
        (0, 0): png((255, 0, 0, 128), "RGBA"),
        (1, 0): png((0, 255, 0)),
        (0, 1): b"not an image",
        (1, 1): png((0, 0, 255), size=512),  # @2x-sized tile is scaled to fit
    }
    rendered = render_map(spec(format=MapFormat.png32), TileSet(zoom=1, tiles=tiles))
    image = Image.open(io.BytesIO(rendered.body)).convert("RGB")
    assert image.getpixel((10, 10))[0] > 200 and image.getpixel((10, 10))[1] > 100  # over beige
    assert image.getpixel((200, 10)) == (0, 255, 0)
    assert image.getpixel((200, 140)) == (0, 0, 255)
    assert "1 of 4 tiles unavailable" in rendered.warnings[0]


def test_anchors_and_sprites() -> None:
    assert draw.anchor_point("center", 20, 40, (10, 40), 1) == (10, 20)
    assert draw.anchor_point("topright", 20, 40, (10, 40), 2) == (20, 0)
    assert draw.anchor_point("left", 20, 40, (10, 40), 1) == (0, 20)
    assert draw.anchor_point("3,4", 20, 40, (10, 40), 2) == (6, 8)
    assert draw.anchor_point("bottom", 20, 40, (10, 40), 1) == (10, 40)
    icon = png((1, 2, 3, 255), "RGBA", size=16)
    sprite, ax, ay = draw.marker_image(Marker(lat=0, lng=0, icon="i"), 2, {"i": icon})
    assert sprite.size == (32, 32) and (ax, ay) == (16, 32)
    # an icon name without bytes falls back to the default pin
    pin, _, _ = draw.marker_image(Marker(lat=0, lng=0, icon="gone", label="Long label"), 1, {})
    assert pin.width > 30
    warm_up()


def test_markers_near_the_edge_and_empty_paths() -> None:
    edge = spec(
        markers=(Marker(lat=0, lng=-179.9), Marker(lat=84, lng=0, size="tiny")),
        paths=(
            MapPath(points=((60, 170), (60, 171)), weight=0),  # off-screen and no width
            MapPath(points=((0, 0), (1, 1)), weight=0, fill="#FF000080"),
        ),
        attribution="",
        format=MapFormat.webp,
    )
    rendered = render_map(edge, TileSet(zoom=1, draw_tiles=False))
    assert rendered.media_type == "image/webp" and rendered.warnings == ()


def test_a_tile_rounded_to_zero_pixels_is_skipped() -> None:
    # the image starts 0.3 px before a tile edge: that sliver rounds away
    lng = (255.7 + 128) / 512 * 360 - 180
    rendered = render_map(
        spec(lng=lng, format=MapFormat.png32),
        TileSet(zoom=1, tiles={(1, 0): png((0, 255, 0)), (1, 1): png((0, 255, 0))}),
    )
    assert rendered.warnings == ()
    image = Image.open(io.BytesIO(rendered.body)).convert("RGB")
    assert image.getpixel((0, 0)) == (0, 255, 0)
