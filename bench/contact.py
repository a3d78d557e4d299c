"""Before/after contact sheets: the native gallery and the Google examples, old beside new.

Each tree renders the same URLs through its own app (``TestClient``, in-process
rendering) in its own venv; this script lays the pairs out as
``before | after | difference`` rows (differing pixels in magenta) and prints,
per image, how many pixels differ. Run:
``python -m bench.contact --base PATH`` → ``docs/img/contact-native.png`` and
``docs/img/contact-google.png``.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import numpy as np
from PIL import Image, ImageDraw

from bench.charts import SUITE

HERE = Path(__file__).resolve().parent.parent
SAMPLES = HERE / "tests" / "charts" / "samples" / "google-image-charts-urls.txt"

RENDER = """
import json, sys, tempfile
from pathlib import Path
from fastapi.testclient import TestClient
from chartographer.app import create_app
from chartographer.config import Settings
urls, out = json.loads(sys.argv[1]), Path(sys.argv[2])
db = Path(tempfile.mkdtemp()) / "c.db"
settings = Settings(render_processes=0, open_limits=[], database_url=f"sqlite:///{db}")
with TestClient(create_app(settings)) as client:
    for i, url in enumerate(urls):
        response = client.get(url)
        assert response.status_code == 200, (url, response.text)
        (out / f"{i}.png").write_bytes(response.content)
"""


def native_urls() -> list[tuple[str, str]]:
    out = []
    for name, kind, query in SUITE:
        pairs = []
        for key, value in query.items():
            for item in value if isinstance(value, list) else [value]:
                pairs.append((key, str(item).lower() if isinstance(item, bool) else str(item)))
        out.append((name, f"/v1/charts/{kind}?{urlencode(pairs)}"))
    return out


def google_urls() -> list[tuple[str, str]]:
    out, comment = [], ""
    for line in SAMPLES.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("# ["):
            comment = line[2:40]
        elif line and not line.startswith("#"):
            out.append((comment, "/chart?" + line))
    return out


def render(tree: Path, urls: list[str]) -> list[Image.Image]:
    out = Path(tempfile.mkdtemp(prefix="cg-contact-"))
    python = tree / ".venv" / "bin" / "python"
    subprocess.run([str(python), "-c", RENDER, json.dumps(urls), str(out)], cwd=tree, check=True)
    return [
        Image.open(io.BytesIO((out / f"{i}.png").read_bytes())).convert("RGB")
        for i in range(len(urls))
    ]


def sheet(
    title: str, names: list[str], before: list[Image.Image], after: list[Image.Image]
) -> Image.Image:
    pad, label = 8, 16
    widths = [max(b.width, a.width) for b, a in zip(before, after, strict=True)]
    heights = [max(b.height, a.height) for b, a in zip(before, after, strict=True)]
    cell = max(widths)
    canvas = Image.new(
        "RGB", (3 * cell + 4 * pad, sum(heights) + len(names) * (label + pad) + 30 + pad), "white"
    )
    draw = ImageDraw.Draw(canvas)
    draw.text(
        (pad, 8), f"{title}: before (1ec397e) | after | differing pixels in magenta", fill="black"
    )
    y = 30
    for name, b, a, h in zip(names, before, after, heights, strict=True):
        if b.size == a.size:
            diff = np.any(np.asarray(b) != np.asarray(a), axis=-1)
            changed = int(diff.sum())
            marked = np.asarray(a).copy() // 3 + 170
            marked[diff] = (255, 0, 255)
            third = Image.fromarray(marked.astype(np.uint8))
        else:
            changed = -1
            third = Image.new("RGB", a.size, (255, 0, 255))
        draw.text((pad, y), f"{name}  {b.size[0]}x{b.size[1]}  changed px: {changed}", fill="black")
        y += label
        for column, image in enumerate((b, a, third)):
            canvas.paste(image, (pad + column * (cell + pad), y))
        y += h + pad
        print(f"{title:7} {name:40} {b.size} -> {a.size}  differing pixels: {changed}")
    return canvas


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=HERE / "docs" / "img")
    args = parser.parse_args()
    for title, cases in (("native", native_urls()), ("google", google_urls())):
        names = [n for n, _ in cases]
        urls = [u for _, u in cases]
        before, after = render(args.base, urls), render(HERE, urls)
        image = sheet(title, names, before, after)
        image.save(args.out / f"contact-{title}.png", optimize=True)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
