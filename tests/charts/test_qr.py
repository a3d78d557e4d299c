"""QR codes at /chart: they scan, at every level and encoding, and bad input is a 400."""

from __future__ import annotations

import io

import numpy as np
import pytest
import segno
import segno.encoder as encoder
import zxingcpp
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from chartographer.charts.google.errors import GoogleChartError
from chartographer.charts.special import qrmask
from chartographer.charts.special.qr import qr_spec, render_qr
from chartographer.formats import ImageFormat
from tests.charts.googlecheck import encode_raw, fetch


def scan(image: Image.Image) -> str:
    found = zxingcpp.read_barcodes(image)
    assert found, "no QR code found in the image"
    return str(found[0].text)


@pytest.mark.parametrize("level", ["L", "M", "Q", "H"])
def test_qr_scans_back_at_every_level(client: TestClient, level: str) -> None:
    image, _ = fetch(client, f"cht=qr&chs=250x250&chl=Hello+world&chld={level}|2")
    assert image.size == (250, 250)
    assert scan(image) == "Hello world"


def test_real_world_url_payload_scans(client: TestClient) -> None:
    text = "https://example.com/path?q=1&x=y"
    response = client.get("/chart", params={"cht": "qr", "chs": "300x300", "chl": text})
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert scan(Image.open(io.BytesIO(response.content))) == text


def test_unicode_and_shift_jis(client: TestClient) -> None:
    image, _ = fetch(client, "cht=qr&chs=200x200&chl=%E6%97%A5%E6%9C%AC%E8%AA%9E")
    assert scan(image) == "日本語"
    image, _ = fetch(client, "cht=qr&chs=200x200&choe=Shift_JIS&chl=%E6%97%A5%E6%9C%AC")
    assert scan(image) == "日本"
    image, _ = fetch(client, "cht=qr&chs=200x200&choe=ISO-8859-1&chl=caf%C3%A9")
    assert scan(image) == "café"


def test_code_is_centred_with_the_requested_margin(client: TestClient) -> None:
    image, _ = fetch(client, "cht=qr&chs=210x150&chl=A&chld=L|0")
    assert image.size == (210, 150)
    grey = image.convert("L")
    assert grey.getpixel((0, 0)) == 255  # the code is centred: white around it
    assert grey.getpixel((105, 75)) in (0, 255)
    box = grey.point(lambda v: 255 - v).getbbox()
    assert box is not None
    left, top, right, bottom = box
    assert abs(left - (210 - right)) <= 1 and abs(top - (150 - bottom)) <= 1


def test_svg_output(client: TestClient) -> None:
    response = client.get("/chart?" + encode_raw("cht=qr&chs=100x100&chl=x&chof=svg"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert b"<svg" in response.content


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("cht=qr&chs=100x100", "chl"),
        ("cht=qr&chs=100x100&chl=x&chld=Z", "chld"),
        ("cht=qr&chs=100x100&chl=x&chld=L|x", "chld"),
        ("cht=qr&chs=100x100&chl=x&chld=L|99", "chld"),
        ("cht=qr&chs=100x100&chl=x&choe=EBCDIC", "choe"),
        ("cht=qr&chs=20x20&chl=hello+world+hello+world", "chs"),
        ("cht=qr&chs=100x100&chl=%E6%97%A5&choe=ISO-8859-1", "chl"),
        ("cht=qr&chl=x", "chs"),
    ],
)
def test_unusable_qr_requests_name_the_parameter(
    client: TestClient, query: str, param: str
) -> None:
    response = client.get("/chart?" + encode_raw(query))
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["param"] == param


def test_too_long_text() -> None:
    with pytest.raises(GoogleChartError) as caught:
        qr_spec("x" * 5000, None, None, (500, 500), ImageFormat.png)
    assert caught.value.status == 413
    spec = qr_spec("x" * 4000, "H", None, (500, 500), ImageFormat.png)
    with pytest.raises(GoogleChartError):  # fits level L, never level H
        render_qr(spec)


_TEXTS = st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=400)


@settings(max_examples=40, deadline=None)
@given(text=_TEXTS, level=st.sampled_from("LMQH"))
def test_the_numpy_mask_choice_is_segnos(text: str, level: str) -> None:
    """The same mask and the same masked matrix as segno's own module-by-module evaluation."""
    seen: list[tuple[tuple[bytearray, ...], int, int]] = []

    def record(
        matrix: tuple[bytearray, ...], width: int, height: int, mask: int | None = None
    ) -> tuple[int, tuple[bytearray, ...]]:
        seen.append((tuple(bytearray(row) for row in matrix), width, height))
        return qrmask.best_mask(matrix, width, height, mask)

    encoder.find_and_apply_best_mask = record
    try:
        code = segno.make(text, error=level, micro=False, boost_error=False)
    finally:
        qrmask.install()
    ((matrix, width, height),) = seen
    ours = qrmask.best_mask(tuple(bytearray(r) for r in matrix), width, height)
    segnos = qrmask.ORIGINAL(tuple(bytearray(r) for r in matrix), width, height)
    assert ours[0] == segnos[0] == code.mask
    assert [bytes(r) for r in ours[1]] == [bytes(r) for r in segnos[1]]
    assert qrmask.best_mask(tuple(bytearray(r) for r in matrix), width, height, 3)[0] == 3


def test_qr_codes_are_made_with_the_numpy_mask_choice() -> None:
    assert encoder.find_and_apply_best_mask is qrmask.best_mask
    image = Image.open(
        io.BytesIO(render_qr(qr_spec("Hi", None, None, (100, 100), ImageFormat.png)).body)
    )
    assert scan(image) == "Hi"


@settings(max_examples=25, deadline=None)
@given(text=_TEXTS, level=st.sampled_from("LMQH"))
def test_every_masks_penalty_is_segnos(text: str, level: str) -> None:
    """All eight penalties, not only the winner: N1–N4 counted as segno counts them."""
    seen: list[tuple[tuple[bytearray, ...], int]] = []

    def record(
        matrix: tuple[bytearray, ...], width: int, height: int, mask: int | None = None
    ) -> tuple[int, tuple[bytearray, ...]]:
        seen.append((tuple(bytearray(row) for row in matrix), width))
        return qrmask.best_mask(matrix, width, height, mask)

    encoder.find_and_apply_best_mask = record
    try:
        segno.make(text, error=level, micro=False, boost_error=False)
    finally:
        qrmask.install()
    ((matrix, size),) = seen
    base = np.frombuffer(b"".join(matrix), dtype=np.uint8).reshape(size, size)
    candidates = base ^ qrmask._masks(size)
    theirs = [
        encoder.evaluate_mask(tuple(bytearray(row.tobytes()) for row in masked), size, size)
        for masked in candidates
    ]
    assert qrmask._scores(candidates) == theirs
