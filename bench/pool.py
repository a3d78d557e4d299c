"""The render pool's own cost: this tree's pool beside an earlier commit's, one process.

Both pools run 2 worker processes; rounds alternate between them. Per pool:
a no-op task (the readiness probe) and a native bar 400×300 one after another
(ms per call), and the same bar from 8 concurrent callers (renders per second).
Prints medians with min–max and the ratios.

Run: ``python -m bench.pool --base-rev 81577b2`` (the commit before the socket
pool; its ``renderpool.py`` needs ``pebble`` importable in this venv:
``pip install pebble==5.2.3``).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.revisions import module_at
from chartographer.charts.native.params import ChartQuery, Limits, spec_from_query
from chartographer.charts.render import render_chart
from chartographer.charts.spec import ChartKind
from chartographer.config import Settings
from chartographer.renderpool import RenderPool, probe

HERE = Path(__file__).resolve().parent.parent


def pool_of(rev: str, workdir: Path) -> type[Any]:
    """``RenderPool`` as it was at ``rev`` (loaded under another module name)."""
    sys.path.insert(0, str(workdir))  # its workers unpickle it by this name
    module = module_at(rev, "src/chartographer/renderpool.py", "base_renderpool", workdir)
    pool: type[Any] = module.RenderPool
    return pool


async def per_call(pool: Any, fn: Callable[..., Any], *args: Any, count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        await pool.run(fn, *args)
    return (time.perf_counter() - started) / count * 1000


async def concurrent(pool: Any, fn: Callable[..., Any], *args: Any, count: int) -> float:
    async def caller() -> None:
        for _ in range(count // 8):
            await pool.run(fn, *args)

    started = time.perf_counter()
    await asyncio.gather(*(caller() for _ in range(8)))
    return count / (time.perf_counter() - started)


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} [{min(values):.3f}–{max(values):.3f}]"


async def measure(pools: dict[str, Any], rounds: int) -> dict[tuple[str, str], list[float]]:
    query = ChartQuery(values=["3,7,5,9"], labels="a,b,c,d", width=400, height=300)
    spec = spec_from_query(ChartKind("bar"), query, Limits.from_settings(Settings()))
    for pool in pools.values():  # warm: first renders of fresh workers
        for _ in range(20):
            await pool.run(render_chart, spec)
            await pool.run(probe)
    found: dict[tuple[str, str], list[float]] = {}
    for round_ in range(rounds):
        names = list(pools) if round_ % 2 == 0 else list(reversed(pools))
        for name in names:
            pool = pools[name]
            found.setdefault((name, "no-op ms"), []).append(await per_call(pool, probe, count=200))
            found.setdefault((name, "bar ms"), []).append(
                await per_call(pool, render_chart, spec, count=100)
            )
            found.setdefault((name, "bar c=8 per s"), []).append(
                await concurrent(pool, render_chart, spec, count=400)
            )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-rev", required=True, help="the earlier commit to compare")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cg-bench-pool-") as workdir:
        base = pool_of(args.base_rev, Path(workdir))
        pools = {"ours": RenderPool(2, 10, 64), "base": base(2, 10, 64)}
        try:
            found = asyncio.run(measure(pools, args.rounds))
        finally:
            for pool in pools.values():
                pool.close()
    print(f"render pool, ours vs {args.base_rev}; medians [min–max] over {args.rounds} rounds")
    for figure in ("no-op ms", "bar ms", "bar c=8 per s"):
        ours, base_ = found["ours", figure], found["base", figure]
        ratio = statistics.median(ours) / statistics.median(base_)
        print(f"{figure:14} ours {spread(ours)}  base {spread(base_)}  ratio {ratio:.2f}×")


if __name__ == "__main__":
    main()
