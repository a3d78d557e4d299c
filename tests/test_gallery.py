"""``docs/gallery.md`` stays in step with the service that draws it.

The gallery is regenerated here, into a temporary directory, by the same
``python -m chartographer.gallery`` entry point ``make gallery`` runs. Then:

- every entry rendered ``200`` with an image content type the entry's URL asks
  for (the generator refuses anything else);
- the page is byte-for-byte what the generator writes now — the markdown does
  not depend on the machine, so a new entry, a changed URL or caption, or a
  hand edit fails here until ``make gallery`` is run;
- every entry has its committed image, in the format served, at the size
  served, and no image is committed that no entry names.

Image *bytes* are not compared. matplotlib's FreeType and DejaVu come pinned
with its wheel, but the Noto fonts (CJK, Arabic, Hebrew, emoji fallbacks) and
GraphViz's ``dot`` come from the system's Debian packages, so the same URL can
draw a few glyphs or a graph edge differently on another machine. Each
committed raster image must instead be the same size and mode as today's
render and look like it: fewer than 1 % of its pixels may differ strongly.
That fails an image left stale by a real change (another scale, chart or
layout) and tolerates font and GraphViz versions; a change of one short label
can pass, so run ``make gallery`` whenever the drawing changes. SVGs must
carry the same text at the same px size; PDFs one page of the same size with
the same text.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

from chartographer.gallery import EXTENSIONS, GalleryError, build, image_name, request_url
from chartographer.gallery.__main__ import main
from chartographer.gallery.entries import ENTRIES, Entry
from chartographer.gallery.entries import GOOGLE as GOOGLE_SECTION

DOCS = Path(__file__).resolve().parent.parent / "docs"
COMMITTED = DOCS / "img" / "gallery"
#: share of pixels that may differ by more than ``STRONG`` in a channel (font versions)
LOOKS_THE_SAME, STRONG = 0.01, 48


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("gallery")
    assert main([str(root)]) == 0
    return root


def _served_type(path: Path) -> str:
    return {ext: media for media, ext in EXTENSIONS.items()}[path.suffix[1:]]


def test_every_entry_has_a_unique_name_and_a_caption() -> None:
    names = [e.name for e in ENTRIES]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]*", n) for n in names)
    assert all(e.caption.strip() and "\n" not in e.caption for e in ENTRIES)


def test_the_page_is_what_the_service_draws_today(fresh: Path) -> None:
    committed = (DOCS / "gallery.md").read_text(encoding="utf-8")
    assert committed == (fresh / "gallery.md").read_text(encoding="utf-8"), (
        "docs/gallery.md is stale: run `make gallery`"
    )
    for entry in ENTRIES:  # every entry is listed with its image and its URL
        assert f"### {entry.name}\n" in committed
        assert f"\n{request_url(entry)}\n" in committed
        shown = rf"(!\[{entry.name}\]|\[{entry.name}\.pdf\])"  # a PDF is a link
        assert re.search(rf"{shown}\(img/gallery/{entry.name}\.\w+\)", committed)


def expected_type(entry: Entry) -> str:
    """The content type the entry's URL asks for (``format=`` or ``chof=``, else PNG)."""
    query = parse_qs(urlsplit(request_url(entry)).query)
    fmt = (query.get("format") or query.get("chof") or ["png"])[0]
    return {
        "png": "image/png",
        "svg": "image/svg+xml",
        "webp": "image/webp",
        "pdf": "application/pdf",
    }[fmt]


def test_every_entry_was_served_in_the_format_it_asks_for(fresh: Path) -> None:
    for entry in ENTRIES:
        (image,) = (fresh / "img" / "gallery").glob(f"{entry.name}.*")
        assert _served_type(image) == expected_type(entry), entry.name
    assert {expected_type(e) for e in ENTRIES} >= {"image/png", "image/svg+xml"}


def test_an_entry_that_is_not_an_image_stops_the_build(tmp_path: Path) -> None:
    bad = Entry(GOOGLE_SECTION, "bad", "/chart?cht=nope&chs=100x100", "refused")
    with pytest.raises(GalleryError, match="bad: 400"):
        build(tmp_path, [bad])


def test_a_rebuild_removes_images_no_entry_names(tmp_path: Path) -> None:
    stale = tmp_path / "img" / "gallery" / "gone.png"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    (picture,) = build(tmp_path, ENTRIES[:1])
    assert not stale.exists()
    assert (tmp_path / "img" / "gallery" / picture.file_name).exists()
    assert f"![{ENTRIES[0].name}]" in (tmp_path / "gallery.md").read_text(encoding="utf-8")


def test_every_entry_has_its_committed_image_and_nothing_else(fresh: Path) -> None:
    served = {p.name for p in (fresh / "img" / "gallery").iterdir()}
    assert len(served) == len(ENTRIES)
    committed = {p.name for p in COMMITTED.iterdir()}
    assert committed == served, "images differ from the entries: run `make gallery`"


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
def test_each_committed_image_looks_like_todays_render(entry: Entry, fresh: Path) -> None:
    (new,) = (fresh / "img" / "gallery").glob(f"{entry.name}.*")
    old = COMMITTED / new.name
    assert old.exists(), f"{old} missing: run `make gallery`"
    assert new.name == image_name(entry, _served_type(new))
    if new.suffix == ".svg":
        texts = re.compile(r"<text[^>]*>([^<]*)</text>")
        fresh_svg, old_svg = new.read_text(), old.read_text()
        assert texts.findall(old_svg) == texts.findall(fresh_svg)
        size = re.compile(r'<svg[^>]* width="([^"]+)" height="([^"]+)"')
        old_size, fresh_size = size.search(old_svg), size.search(fresh_svg)
        assert old_size and fresh_size and old_size.groups() == fresh_size.groups()
        return
    if new.suffix == ".pdf":  # one page of the same size carrying the same text
        pages = [PdfReader(io.BytesIO(p.read_bytes())).pages for p in (old, new)]
        assert [len(p) for p in pages] == [1, 1]
        assert pages[0][0].mediabox == pages[1][0].mediabox
        assert pages[0][0].extract_text() == pages[1][0].extract_text()
        return
    a, b = (Image.open(io.BytesIO(p.read_bytes())) for p in (old, new))
    assert a.size == b.size and a.mode == b.mode
    assert 400 <= a.width <= 600 or max(a.size) < 400, "keep gallery images 400–600 px wide"
    pixels = [np.asarray(im.convert("RGBA"), dtype=np.int16) for im in (a, b)]
    differ = float((np.abs(pixels[0] - pixels[1]).max(axis=-1) > STRONG).mean())
    assert differ < LOOKS_THE_SAME, f"{old.name} is stale ({differ:.1%} differs): make gallery"
