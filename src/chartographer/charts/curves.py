"""Smooth curves through points (Google ``cht=rs``: radar lines as splines).

A Catmull–Rom spline passes through every point, so markers placed at the
data points stay on the curve; a closed curve wraps round to its first point.
"""

from __future__ import annotations

import numpy as np

#: curve samples between two neighbouring points
STEPS = 16


def spline(xs: np.ndarray, ys: np.ndarray, *, closed: bool) -> tuple[np.ndarray, np.ndarray]:
    """Points on a Catmull–Rom curve through (``xs``, ``ys``); gaps (NaN) stay gaps."""
    points = np.column_stack([xs, ys]).astype(float)
    if len(points) < 3 or np.isnan(points).any():
        if closed and len(points) and not np.isnan(points).any():
            points = np.vstack([points, points[:1]])
        return points[:, 0], points[:, 1]
    if closed:
        padded = np.vstack([points[-1:], points, points[:2]])
        segments = len(points)
    else:  # the ends repeat, so the curve starts and stops at the first and last points
        padded = np.vstack([points[:1], points, points[-1:]])
        segments = len(points) - 1
    t = np.linspace(0.0, 1.0, STEPS, endpoint=False)[:, None]
    t2, t3 = t * t, t * t * t
    out = []
    for k in range(segments):
        p0, p1, p2, p3 = padded[k], padded[k + 1], padded[k + 2], padded[k + 3]
        out.append(
            0.5
            * (
                2 * p1
                + (p2 - p0) * t
                + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t2
                + (3 * p1 - p0 - 3 * p2 + p3) * t3
            )
        )
    out.append(padded[segments + 1][None, :])
    curve = np.vstack(out)
    return curve[:, 0], curve[:, 1]
