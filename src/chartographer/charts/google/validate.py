"""``chof=validate``: an HTML page listing what is wrong with a chart URL, as Google had.

The query is parsed exactly as for an image (``plan_chart``); a fatal problem
and every warning (a parameter ignored or corrected) are listed. Nothing is
drawn, so problems only a render can find (a QR text too long for its size, a
DOT graph GraphViz rejects) are not reported here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from html import escape

from chartographer.charts.google.build import GoogleOptions, plan_chart
from chartographer.charts.google.query import GoogleQuery
from chartographer.errors import ChartographerError


def validation_page(query: GoogleQuery, options: GoogleOptions) -> str:
    """The page: the parameters as received, then the problems found (or that there are none)."""
    fatal: ChartographerError | None = None
    params = {k: v for k, v in query.params.items() if k != "chof"}
    try:
        plan_chart(dataclasses.replace(query, params=params), options)  # same warnings list
    except ChartographerError as exc:
        fatal = exc
    rows = "".join(
        f"<tr><th>{escape(name)}</th><td><code>{escape(value[:500])}</code></td></tr>"
        for name, value in sorted(query.params.items())
        if name != "chof"
    )
    items: list[str] = []
    if fatal is not None:
        where = f" (<code>{escape(fatal.param)}</code>)" if fatal.param else ""
        items.append(f'<li class="error">Error{where}: {escape(fatal.detail)}</li>')
    items += [f'<li class="warning">Warning: {escape(w)}</li>' for w in query.warnings]
    verdict = (
        "<p>The chart cannot be drawn.</p>"
        if fatal is not None
        else "<p>The chart can be drawn.</p>"
        + ("" if query.warnings else "<p>No problems found.</p>")
    )
    return _page(rows, items, verdict)


def _page(rows: str, items: Sequence[str], verdict: str) -> str:
    problems = f"<ul>{''.join(items)}</ul>" if items else ""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>Chart URL validation</title>"
        "<style>body{font:14px sans-serif;margin:1.5em}th{text-align:left;padding-right:1em}"
        ".error{color:#b00020}.warning{color:#8a5a00}</style></head><body>"
        f"<h1>Chart URL validation</h1>{verdict}{problems}"
        f"<h2>Parameters received</h2><table>{rows}</table></body></html>"
    )
