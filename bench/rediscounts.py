"""The Redis rate-limit counters' own cost: this tree's beside an earlier commit's, one process.

Both count against one real ``redis-server`` on loopback (started here), from 8
concurrent callers on uvloop, as a server's event loop does under load; rounds
alternate between them. Per implementation: calls per second and CPU time of
this process per call (the event loop's cost, which is what a keyed request
pays on a saturated server), medians with min–max, and the ratios.

Run: ``python -m bench.rediscounts [--base-rev f13a190]`` (f13a190: redis-py's
pooled connection, one read per reply; after it, the module's own link).
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import uvloop

from bench.revisions import module_at
from chartographer.access.rediscounts import RedisCounters

HERE = Path(__file__).resolve().parent.parent
CALLERS = 8


def counters_of(rev: str, workdir: Path) -> type[Any]:
    """``RedisCounters`` as it was at ``rev`` (loaded under another module name)."""
    module = module_at(rev, "src/chartographer/access/rediscounts.py", "base_rediscounts", workdir)
    found: type[Any] = module.RedisCounters
    return found


async def sample(counters: Any, seconds: float) -> tuple[float, float]:
    """(calls per second, µs of this process's CPU per call) from ``CALLERS`` callers."""
    keys, amounts = [("bench/s/1", 2), ("bench/d/1", 86400)], [10**12, 10**12]
    done = 0
    stop = time.monotonic() + seconds

    async def caller() -> None:
        nonlocal done
        while time.monotonic() < stop:
            await counters.count(keys, amounts)
            done += 1

    before, started = resource.getrusage(resource.RUSAGE_SELF), time.monotonic()
    await asyncio.gather(*(caller() for _ in range(CALLERS)))
    after, elapsed = resource.getrusage(resource.RUSAGE_SELF), time.monotonic() - started
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return done / elapsed, cpu * 1e6 / done


async def measure(
    kinds: dict[str, type[Any]], url: str, rounds: int, seconds: float
) -> dict[str, list[tuple[float, float]]]:
    counters = {name: kind(url, 5.0) for name, kind in kinds.items()}
    found: dict[str, list[tuple[float, float]]] = {name: [] for name in kinds}
    try:
        for name in kinds:  # warm: connect, load the script
            await sample(counters[name], 0.3)
        for round_ in range(rounds):
            names = list(kinds) if round_ % 2 == 0 else list(reversed(kinds))
            for name in names:
                found[name].append(await sample(counters[name], seconds))
    finally:
        for each in counters.values():
            await each.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-rev", default="f13a190")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=1.0)
    args = parser.parse_args()
    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("redis-server is not installed (Debian package: redis-server)")
    sys.path.insert(0, str(HERE))
    from tests.services import RedisServer

    workdir = Path(tempfile.mkdtemp(prefix="cg-bench-redis-"))
    server = RedisServer(binary, workdir)
    server.start()
    try:
        kinds = {"ours": RedisCounters, args.base_rev: counters_of(args.base_rev, workdir)}
        found = uvloop.run(measure(kinds, server.url, args.rounds, args.seconds))
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"{CALLERS} concurrent callers, {args.rounds} alternating rounds of {args.seconds:g} s")
    print(f"{'counters':10} {'calls/s median [min–max]':>30} {'CPU µs/call median [min–max]':>34}")
    for name, samples in found.items():
        rates, cpus = [s[0] for s in samples], [s[1] for s in samples]
        print(
            f"{name:10} {statistics.median(rates):12.0f} [{min(rates):6.0f}–{max(rates):6.0f}]"
            f"     {statistics.median(cpus):10.1f} [{min(cpus):5.1f}–{max(cpus):5.1f}]"
        )
    ours, base = found["ours"], found[args.base_rev]
    rate = statistics.median(s[0] for s in ours) / statistics.median(s[0] for s in base)
    cpu = statistics.median(s[1] for s in ours) / statistics.median(s[1] for s in base)
    print(f"ours vs {args.base_rev}: {rate:.2f}× the calls/s, {cpu:.2f}× the CPU per call")


if __name__ == "__main__":
    main()
