"""``python -m chartographer.gallery [DOCS_DIR]``: regenerate the gallery (``make gallery``)."""

from __future__ import annotations

import sys
from pathlib import Path

from chartographer.gallery import build


def main(argv: list[str]) -> int:
    root = Path(argv[0] if argv else "docs")
    pictures = build(root)
    print(f"{len(pictures)} images in {root / 'img' / 'gallery'}, page {root / 'gallery.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
