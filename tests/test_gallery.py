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

Image *bytes* are not compared: matplotlib's own FreeType and DejaVu are
pinned, but the Noto fonts (CJK, Arabic, emoji fallbacks) come from the
system's Debian packages, so the same URL can differ by a few antialiased
pixels between machines. Instead each committed raster image must look like
today's render — same size, mean difference under a few levels per channel —
so an image left stale by a renderer change (a moved axis, new labels) fails,
while font hinting differences do not. SVGs must carry the same text.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from chartographer.gallery import EXTENSIONS, image_name, request_url
from chartographer.gallery.__main__ import main
from chartographer.gallery.entries import ENTRIES, Entry

DOCS = Path(__file__).resolve().parent.parent / "docs"
COMMITTED = DOCS / "img" / "gallery"
#: mean absolute difference per channel (0–255) that font hinting may cause
LOOKS_THE_SAME = 3.0


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
        assert re.search(rf"!\[{entry.name}\]\(img/gallery/{entry.name}\.\w+\)", committed)


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
    a, b = (Image.open(io.BytesIO(p.read_bytes())) for p in (old, new))
    assert a.size == b.size and a.mode == b.mode
    assert 400 <= a.width <= 600 or max(a.size) < 400, "keep gallery images 400–600 px wide"
    pixels = [np.asarray(im.convert("RGBA"), dtype=np.int16) for im in (a, b)]
    diff = np.abs(pixels[0] - pixels[1]).mean()
    assert diff < LOOKS_THE_SAME, f"{old.name} is stale (mean difference {diff:.1f}): make gallery"
