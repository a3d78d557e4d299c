"""The chart gallery (``docs/gallery.md``), drawn by the service itself.

``python -m chartographer.gallery`` (``make gallery``) builds the real app
in-process, requests every URL of :data:`~chartographer.gallery.entries.ENTRIES`
through it — routing, validation, the gateway and the renderer, exactly as a
client would — writes each image under ``docs/img/gallery/`` and writes
``docs/gallery.md`` listing every image with its URL and caption.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from starlette.testclient import TestClient

from chartographer.app import create_app
from chartographer.config import Settings
from chartographer.gallery.entries import ENTRIES, Entry

#: characters a URL may keep as written; spaces, non-ASCII text, ``\``, ``{}``,
#: ``<>``, ``^`` and ``#`` are percent-encoded so the URL can be copied as it is
_URL_SAFE = "/?&=,:|;%$.+-_!*'()~@"

EXTENSIONS = {
    "image/png": "png",
    "image/svg+xml": "svg",
    "image/webp": "webp",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "application/pdf": "pdf",
}


@dataclass(frozen=True)
class Picture:
    entry: Entry
    media_type: str
    body: bytes

    @property
    def file_name(self) -> str:
        return image_name(self.entry, self.media_type)


def request_url(entry: Entry) -> str:
    """The entry's URL as a client sends it (and as the page shows it)."""
    return quote(entry.url, safe=_URL_SAFE)


def image_name(entry: Entry, media_type: str) -> str:
    return f"{entry.name}.{EXTENSIONS[media_type]}"


@contextmanager
def gallery_client() -> Iterator[TestClient]:
    """The real app, in this process, with its state in a temporary directory."""
    with tempfile.TemporaryDirectory(prefix="chartographer-gallery-") as state:
        settings = Settings(
            render_processes=0,
            database_url=f"sqlite:///{Path(state) / 'gallery.db'}",
            open_limits=[],
            usage_journal_dir=str(Path(state) / "usage-journal"),
            redis_url=None,
        )
        with TestClient(create_app(settings)) as client:
            yield client


def render(client: TestClient, entry: Entry) -> Picture:
    """One entry through the service; anything but an image is an error naming the entry."""
    response = client.get(request_url(entry))
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    if response.status_code != 200 or media_type not in EXTENSIONS:
        raise GalleryError(
            f"{entry.name}: {response.status_code} {media_type}: {response.text[:300]}"
        )
    return Picture(entry, media_type, response.content)


class GalleryError(RuntimeError):
    """An entry did not render as an image."""


def markdown(pictures: Iterable[Picture], image_dir: str = "img/gallery") -> str:
    """``docs/gallery.md``: every picture under its section, with its URL and caption."""
    lines = [
        "# Gallery",
        "",
        "Every chart kind and design feature, drawn by the service itself: "
        "`make gallery` (`python -m chartographer.gallery`) sends each URL below to the "
        "app in-process and saves what it answers. Entries live in "
        "`src/chartographer/gallery/entries.py`; `tests/test_gallery.py` keeps this "
        "page, the images and the list in step. Generated — do not edit by hand.",
    ]
    section = None
    for picture in pictures:
        entry = picture.entry
        if entry.section != section:
            section = entry.section
            lines += ["", f"## {section}"]
        lines += [
            "",
            f"### {entry.name}",
            "",
            _picture(picture, image_dir),
            "",
            entry.caption,
            "",
            "```",
            request_url(entry),
            "```",
        ]
    return "\n".join(lines) + "\n"


def _picture(picture: Picture, image_dir: str) -> str:
    """The image, shown; a PDF, which Markdown cannot show, as a link to it."""
    target = f"{image_dir}/{picture.file_name}"
    if picture.media_type == "application/pdf":
        return f"[{picture.file_name}]({target}) (a PDF: open it to see the page)"
    return f"![{picture.entry.name}]({target})"


def build(root: Path, entries: Iterable[Entry] = ENTRIES) -> list[Picture]:
    """Render every entry, write its image and the page under ``root`` (``docs/``)."""
    image_dir = root / "img" / "gallery"
    image_dir.mkdir(parents=True, exist_ok=True)
    with gallery_client() as client:
        pictures = [render(client, entry) for entry in entries]
    written = {picture.file_name for picture in pictures}
    for stale in image_dir.iterdir():
        if stale.is_file() and stale.name not in written:
            stale.unlink()
    for picture in pictures:
        (image_dir / picture.file_name).write_bytes(picture.body)
    (root / "gallery.md").write_text(markdown(pictures), encoding="utf-8")
    return pictures
