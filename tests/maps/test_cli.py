"""``chartographer tiles pack`` and ``tiles info``."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from chartographer.cli import main
from chartographer.maps.tiles import read_metadata
from tests.maps.conftest import tile_png


def make_tree(root: Path, zooms: range) -> None:
    for z in zooms:
        for x in range(2**z):
            for y in range(2**z):
                path = root / str(z) / str(x) / f"{y}.png"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(tile_png(z, x, y))


def test_pack_then_info(tmp_path: Path) -> None:
    tree = tmp_path / "tiles"
    make_tree(tree, range(0, 3))
    (tree / "README").write_text("ignored")
    (tree / "2" / "0" / "notes.txt").write_text("ignored")
    (tree / "1" / "9").mkdir()
    (tree / "1" / "9" / "0.png").write_bytes(b"out of range")
    out = tmp_path / "world.mbtiles"
    runner = CliRunner()
    result = runner.invoke(main, ["tiles", "pack", str(tree), str(out), "--attribution", "© Me"])
    assert result.exit_code == 0, result.output
    assert "21 tiles, zoom 0–2" in result.output
    meta = read_metadata(out)
    assert (meta["format"], meta["minzoom"], meta["maxzoom"], meta["attribution"]) == (
        "png",
        "0",
        "2",
        "© Me",
    )
    info = runner.invoke(main, ["tiles", "info", str(out)])
    assert info.exit_code == 0
    assert "zoom 2: 16 tiles" in info.output and "total: 21 tiles" in info.output
    again = runner.invoke(main, ["tiles", "pack", str(tree), str(out)])
    assert again.exit_code != 0 and "--force" in again.output
    forced = runner.invoke(main, ["tiles", "pack", str(tree), str(out), "--force", "--tms"])
    assert forced.exit_code == 0


def test_pack_refuses_empty_or_mixed(tmp_path: Path) -> None:
    runner = CliRunner()
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(main, ["tiles", "pack", str(empty), str(tmp_path / "o.mbtiles")])
    assert result.exit_code != 0 and "no z/x/y tiles" in result.output
    mixed = tmp_path / "mixed"
    make_tree(mixed, range(0, 1))
    (mixed / "0" / "0" / "0.jpg").write_bytes(b"jpeg")
    result = runner.invoke(main, ["tiles", "pack", str(mixed), str(tmp_path / "m.mbtiles")])
    assert result.exit_code != 0 and "mixed" in result.output


def test_info_on_a_non_mbtiles_file(tmp_path: Path) -> None:
    junk = tmp_path / "junk.mbtiles"
    junk.write_bytes(b"junk" * 100)
    result = CliRunner().invoke(main, ["tiles", "info", str(junk)])
    assert result.exit_code != 0 and "not a readable MBTiles" in result.output
