"""The artist renderer: matplotlib ``Figure``/``Axes`` and artists, pooled per worker.

The fallback of ``charts.render.render_chart`` for what ``charts.draw`` does not
draw yet, and home of the layout helpers both renderers share (``decorations.plot_area``,
``guides.Guide``). New drawing code goes into ``charts.draw``.
"""
