"""``chartographer tiles …`` (inspect and pack MBTiles) and ``chartographer gazetteer build``."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click

from chartographer.config import ConfigError, load_settings
from chartographer.maps.gazindex import ensure_index
from chartographer.maps.tiles import read_metadata
from chartographer.usertext import is_digits

_FORMATS = {".png": "png", ".jpg": "jpg", ".jpeg": "jpg", ".webp": "webp"}


@click.group()
def tiles() -> None:
    """Offline tiles: inspect and build MBTiles files."""


@tiles.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def info(file: Path) -> None:
    """Show an MBTiles file's metadata and how many tiles it holds per zoom."""
    try:
        meta = read_metadata(file)
        with sqlite3.connect(f"file:{file}?mode=ro", uri=True) as db:
            counts = db.execute(
                "SELECT zoom_level, COUNT(*) FROM tiles GROUP BY zoom_level ORDER BY zoom_level"
            ).fetchall()
    except (ValueError, sqlite3.DatabaseError) as exc:
        raise click.ClickException(f"{file}: not a readable MBTiles file ({exc})") from None
    for name in sorted(meta):
        click.echo(f"{name}: {meta[name]}")
    total = 0
    for zoom, count in counts:
        click.echo(f"zoom {zoom}: {count} tiles")
        total += count
    click.echo(f"total: {total} tiles")


@tiles.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--name", default=None, help="tileset name (default: the directory name)")
@click.option("--attribution", default="", help="attribution drawn on every map")
@click.option("--tms", is_flag=True, help="the directory rows are TMS (bottom-up), not XYZ")
@click.option("--force", is_flag=True, help="replace OUTPUT if it exists")
def pack(
    directory: Path, output: Path, name: str | None, attribution: str, tms: bool, force: bool
) -> None:
    """Pack a DIRECTORY of z/x/y.png tiles (XYZ rows) into an MBTiles file."""
    if output.exists():
        if not force:
            raise click.ClickException(f"{output} exists; pass --force to replace it")
        output.unlink()
    found = []
    for path in sorted(directory.glob("*/*/*")):
        fmt = _FORMATS.get(path.suffix.lower())
        z, x, y = path.parent.parent.name, path.parent.name, path.stem.removesuffix("@2x")
        if fmt is None or not (is_digits(z) and is_digits(x) and is_digits(y)):
            continue
        zi, xi, yi = int(z), int(x), int(y)
        if zi > 30 or xi >= 2**zi or yi >= 2**zi:
            continue
        found.append((zi, xi, yi if tms else (2**zi - 1) - yi, fmt, path))
    if not found:
        raise click.ClickException(f"no z/x/y tiles (png, jpg, webp) found under {directory}")
    formats = {f[3] for f in found}
    if len(formats) > 1:
        raise click.ClickException(f"mixed tile formats {sorted(formats)}; use one format")
    zooms = [f[0] for f in found]
    with sqlite3.connect(output) as db:
        db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
        db.execute(
            "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, "
            "tile_data BLOB)"
        )
        db.execute("CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)")
        meta = {
            "name": name or directory.name,
            "format": formats.pop(),
            "type": "baselayer",
            "minzoom": str(min(zooms)),
            "maxzoom": str(max(zooms)),
            "attribution": attribution,
        }
        db.executemany("INSERT INTO metadata VALUES (?, ?)", sorted(meta.items()))
        db.executemany(
            "INSERT OR REPLACE INTO tiles VALUES (?, ?, ?, ?)",
            ((z, x, row, path.read_bytes()) for z, x, row, _, path in found),
        )
    click.echo(f"wrote {output}: {len(found)} tiles, zoom {min(zooms)}–{max(zooms)}")


@click.group()
def gazetteer() -> None:
    """The offline gazetteer's on-disk index."""


@gazetteer.command()
def build() -> None:
    """Build the index into CHARTOGRAPHER_GAZETTEER_DIR now, so no server waits for it."""
    try:
        settings = load_settings()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    path = ensure_index(Path(settings.gazetteer_dir), settings.geocoder_min_population)
    click.echo(f"{path}: ready, {path.stat().st_size // 1024} KiB")
