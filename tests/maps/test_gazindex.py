"""The gazetteer's on-disk index: built once (atomically, one builder at a time), then reused."""

from __future__ import annotations

import os
import sqlite3
import tempfile
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from chartographer.cli import main
from chartographer.maps import gazindex
from chartographer.maps.gazetteer import Gazetteer
from chartographer.maps.gazindex import GazetteerIndex, ensure_index, index_path
from chartographer.maps.geo import haversine

#: the smallest GeoNames file (cities of 15 000 people or more) builds in seconds
POP = 15000


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ensure_index(tmp_path_factory.mktemp("gaz"), POP)


def test_the_index_answers_by_normalised_name(built: Path) -> None:
    index = GazetteerIndex(built)
    austins = index.cities("austin")
    assert any(country == "US" and admin1 == "TX" for _, _, country, admin1, _, _ in austins)
    assert index.cities("austin") is austins  # the second look-up is served from memory
    assert index.cities("xyzzyville") == []
    assert ("US", "TX") in index.qualifiers["tx"]
    assert ("FR", None) in index.qualifiers["france"]
    index.close()
    # the file is complete and names what it was built from
    with sqlite3.connect(built) as db:
        meta = dict(db.execute("SELECT name, value FROM meta").fetchall())
    assert built.name == f"gazetteer-{POP}-{meta['fingerprint']}.sqlite"
    assert int(meta["cities"]) > 20_000


def test_a_built_index_is_reused_not_rebuilt(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_build(path: Path, min_population: int) -> None:
        raise AssertionError("rebuilt")

    monkeypatch.setattr(gazindex, "build_index", no_build)
    assert ensure_index(built.parent, POP) == built
    place = Gazetteer(POP, built.parent).lookup("Pune, Maharashtra")
    assert place is not None and haversine((place.lat, place.lng), (18.52, 73.86)) < 10_000


def test_concurrent_builders_wait_for_one_build_and_stale_files_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = tmp_path / f"gazetteer-{POP}-0000000000000000.sqlite"
    stale.write_bytes(b"an index of an older release")
    builds: list[Path] = []
    real_build = gazindex.build_index

    def counting(path: Path, min_population: int) -> None:
        builds.append(path)
        real_build(path, min_population)

    monkeypatch.setattr(gazindex, "build_index", counting)
    results: list[Path] = []
    threads = [
        threading.Thread(target=lambda: results.append(ensure_index(tmp_path, POP)))
        for _ in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(builds) == 1 and results == [index_path(tmp_path, POP)] * 3
    assert not stale.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".build.lock", results[0].name]


def test_an_unwritable_directory_falls_back_and_a_broken_file_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("in the way")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    fallback = tmp_path / "tmp" / f"chartographer-gazetteer-{os.getuid()}"
    fallback.mkdir(parents=True)
    broken = index_path(fallback, POP)
    broken.write_bytes(b"not a database")  # e.g. a copy cut short
    path = ensure_index(not_a_dir / "gazetteer", POP)
    assert path == broken and "not usable" in caplog.text
    rebuilt = GazetteerIndex(path)
    assert rebuilt.cities("paris")  # rebuilt: a real index now
    rebuilt.close()


def test_cli_builds_the_configured_index(built: Path) -> None:
    env = {
        "CHARTOGRAPHER_GAZETTEER_DIR": str(built.parent),
        "CHARTOGRAPHER_GEOCODER_MIN_POPULATION": str(POP),
    }
    result = CliRunner().invoke(main, ["gazetteer", "build"], env=env)
    assert result.exit_code == 0, result.output
    assert f"{built}: ready" in result.output
    bad = CliRunner().invoke(
        main, ["gazetteer", "build"], env={"CHARTOGRAPHER_GEOCODER_MIN_POPULATION": "lots"}
    )
    assert bad.exit_code == 1 and "GEOCODER_MIN_POPULATION" in bad.output
