"""A per-worker pool of reusable ``Figure`` + ``Axes`` pairs.

Building an ``Axes`` (spines, axis objects, their first ticks, title texts)
costs more than drawing a small chart. A render worker draws thousands of
charts of a few sizes, so it keeps one figure per (size, scale)
and, after each render, takes it back to the exact state of a new one: every
artist a render added is removed and every Axes/Figure property a renderer may
change is reset. ``tests/charts/test_figures.py`` renders random charts in
sequence on reused figures and requires the very bytes a fresh figure gives.

A figure is taken out of the pool while in use, so two threads never draw on
the same one.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from matplotlib import rcParams
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

DPI = 100.0
POOL_SIZE = 12


@dataclass
class PooledFigure:
    figure: Figure
    axes: Axes
    permanent: set[Artist] = field(default_factory=set)


_pool: dict[tuple[int, int, float], list[PooledFigure]] = {}
_order: list[tuple[int, int, float]] = []
_lock = threading.Lock()


def new_figure(width: int, height: int, scale: float) -> PooledFigure:
    fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI * scale)
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    pooled = PooledFigure(fig, ax)
    pooled.permanent = set(ax.get_children())
    return pooled


@contextmanager
def borrowed_figure(width: int, height: int, scale: float) -> Iterator[PooledFigure]:
    """A clean figure of this size; returned to the pool, reset, afterwards."""
    key = (width, height, float(scale))
    with _lock:
        free = _pool.get(key)
        pooled = free.pop() if free else None
    if pooled is None:
        pooled = new_figure(width, height, scale)
    yield pooled  # if the render raises, the figure is dropped, never reused
    if reset_figure(pooled):
        _give_back(key, pooled)


def _give_back(key: tuple[int, int, float], pooled: PooledFigure) -> None:
    with _lock:
        _pool.setdefault(key, []).append(pooled)
        if key in _order:
            _order.remove(key)
        _order.append(key)
        while len(_order) > POOL_SIZE:
            _pool.pop(_order.pop(0), None)


def reset_figure(pooled: PooledFigure) -> bool:
    """Return the figure to its as-new state; False if it cannot be (then drop it)."""
    fig, ax = pooled.figure, pooled.axes
    if fig.axes != [ax]:
        return False  # a renderer added axes (twins, insets): not worth undoing
    for artist in [*fig.texts, *fig.legends, *fig.lines, *fig.patches, *fig.images, *fig.artists]:
        artist.remove()
    fig.patch.set_facecolor(rcParams["figure.facecolor"])
    for child in ax.get_children():
        if child not in pooled.permanent:
            child.remove()
    ax.containers.clear()
    ax.legend_ = None
    ax.dataLim.set(Bbox.null())
    ax.ignore_existing_data_limits = True
    ax.set_autoscale_on(True)
    ax.set_xmargin(rcParams["axes.xmargin"])
    ax.set_ymargin(rcParams["axes.ymargin"])
    ax.use_sticky_edges = True
    ax.set_axis_on()
    ax.xaxis.set_visible(True)
    ax.yaxis.set_visible(True)
    for spine in ax.spines.values():
        spine.set_visible(True)
    ax.set_facecolor(rcParams["axes.facecolor"])
    ax.set_aspect("auto")
    if ax.get_xscale() != "linear" or ax.get_yscale() != "linear":
        return False
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_autoscale_on(True)
    return True
