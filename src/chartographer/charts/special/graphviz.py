"""GraphViz graphs (Google ``cht=gv``) through the system ``dot`` binary.

``dot`` runs without a shell, with a time limit, fed only the request's DOT
text on stdin. Attributes that make GraphViz read files (images, shape files,
font and style paths, ``<IMG SRC>`` in HTML-like labels) are refused, as are
``dpi``/``resolution`` that would blow up the output. DOT can spell a name
many ways (``"image"``, ``"ima" + "ge"``, a quoted line continuation), so the
check runs twice: on the text as sent, and on the graph as GraphViz itself
parsed it (``-Tcanon``, which is then what gets drawn). ``SERVER_NAME`` also
puts GraphViz in its web-server mode, where it will not open image files
outside ``GV_FILE_PATH``.

SVG output is served from the API's origin, so links (``URL``, ``href``,
``edgeURL``…, ``HREF`` in HTML labels: ``xlink:href`` in the SVG) are removed
from it; ``serve_image`` adds ``nosniff`` and a Content-Security-Policy.
"""

from __future__ import annotations

import hashlib
import io
import re
import resource
import shutil
import subprocess

from PIL import Image
from pydantic import BaseModel, ConfigDict

from chartographer.errors import ChartographerError, GoogleChartError, LimitExceeded
from chartographer.formats import ImageFormat, Rendered, encode_raster

ENGINES = ("dot", "neato", "twopi", "circo", "fdp")
MAX_DOT = 20_000
MAX_OUTPUT = 20 * 1024 * 1024
# an attribute name, bare or quoted, followed by "="
_FORBIDDEN = re.compile(
    r"(?<![\w.])[\"']?(image|imagepath|shapefile|fontpath|fontnames|stylesheet|dpi|resolution)"
    r"[\"']?\s*=",
    re.IGNORECASE,
)
# an image element in an HTML-like label: <IMG SRC="file"/>
_HTML_IMAGE = re.compile(r"<\s*img\b", re.IGNORECASE)
_TAG = re.compile(rb"<[^<>]*>")
_LINK = re.compile(rb"""\s(?:xlink:href|href|target)\s*=\s*(?:"[^"]*"|'[^']*')""", re.IGNORECASE)


class GraphSpec(BaseModel):
    """A DOT graph, its layout engine and output."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    dot: str
    engine: str = "dot"
    width: int | None = None
    height: int | None = None
    format: ImageFormat = ImageFormat.png
    dot_path: str = "dot"
    timeout: float = 5.0
    max_side: int = 1000

    def cache_key(self) -> str:
        body = self.model_dump_json(exclude={"dot_path", "timeout"})
        return "gv" + hashlib.sha256(body.encode()).hexdigest()[:30]


def check_graph(dot: str | None, engine: str) -> tuple[str, str]:
    """Refuse missing or dangerous DOT text and unknown engines (``cht=gv:neato``)."""
    engine = engine or "dot"
    if engine not in ENGINES:
        raise GoogleChartError(
            f"cht: gv engine {engine[:10]!r} is not one of {', '.join(ENGINES)}", param="cht"
        )
    if not dot or not dot.strip():
        raise GoogleChartError("chl: the DOT graph is missing, e.g. chl=digraph{A->B}", param="chl")
    if len(dot) > MAX_DOT:
        raise GoogleChartError(
            f"chl: {len(dot)} characters exceeds the DOT limit of {MAX_DOT}",
            param="chl",
            status=413,
        )
    _refuse_file_attributes(dot)
    return dot, engine


def _refuse_file_attributes(dot: str) -> None:
    found = _FORBIDDEN.search(dot)
    if found:
        raise GoogleChartError(
            f"chl: the attribute {found.group(1)!r} is not allowed here (it reads files or "
            "changes the output size)",
            param="chl",
        )
    if _HTML_IMAGE.search(dot):
        raise GoogleChartError(
            "chl: <IMG> in an HTML-like label is not allowed here (it reads files)", param="chl"
        )


def _limit_child() -> None:  # pragma: no cover - runs in the child process
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def render_graph(spec: GraphSpec) -> Rendered:
    """Lay the graph out with GraphViz; fit a raster into ``chs`` when given."""
    executable = shutil.which(spec.dot_path)
    if executable is None:
        raise ChartographerError(
            "cht=gv needs GraphViz, which is not installed on this server",
            param="cht",
            status=501,
            type="not-installed",
            title="Not installed",
        )
    canonical = _run(executable, ["-Tcanon"], spec.dot.encode(), spec)
    _refuse_file_attributes(canonical.decode("utf-8", errors="replace"))
    vector = spec.format is ImageFormat.svg
    drawn = _run(executable, [f"-K{spec.engine}", "-Tsvg" if vector else "-Tpng"], canonical, spec)
    if len(drawn) > MAX_OUTPUT:
        raise LimitExceeded("chl: the drawn graph is larger than 20 MB", param="chl")
    if vector:
        return Rendered(strip_links(drawn), spec.format.media_type)
    return Rendered(_fit(drawn, spec), spec.format.media_type)


def _run(executable: str, args: list[str], dot: bytes, spec: GraphSpec) -> bytes:
    """One sandboxed ``dot`` run: its output, or the error that names ``chl``."""
    try:
        done = subprocess.run(  # noqa: S603 - fixed argv, no shell, DOT on stdin
            [executable, *args],
            input=dot,
            capture_output=True,
            timeout=spec.timeout,
            env={
                "PATH": "/usr/bin:/bin",
                "SERVER_NAME": "chartographer",
                "GV_FILE_PATH": "/nonexistent",
            },
            preexec_fn=_limit_child,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise LimitExceeded(
            f"chl: the graph layout took longer than the limit of {spec.timeout:g} s",
            param="chl",
        ) from None
    if done.returncode != 0 or not done.stdout:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        reason = message[0][:200] if message else "no output"
        raise GoogleChartError(f"chl: GraphViz could not draw the graph: {reason}", param="chl")
    return done.stdout


def strip_links(svg: bytes) -> bytes:
    """The SVG without any ``href``/``xlink:href``/``target`` (GraphViz's ``<a>`` links).

    GraphViz escapes ``<``, ``>`` and ``"`` in everything it copies from the
    graph, so in its output a ``<…>`` run is exactly one tag and an attribute
    value never holds a raw quote.
    """
    return _TAG.sub(lambda tag: _LINK.sub(b"", tag.group(0)), svg)


def _fit(png: bytes, spec: GraphSpec) -> bytes:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    box = (spec.width or spec.max_side, spec.height or spec.max_side)
    if image.width > box[0] or image.height > box[1]:
        image.thumbnail(box, Image.Resampling.LANCZOS)
    if spec.width and spec.height:
        canvas = Image.new("RGB", (spec.width, spec.height), "white")
        canvas.paste(image, ((spec.width - image.width) // 2, (spec.height - image.height) // 2))
        image = canvas
    return encode_raster(image, spec.format)
