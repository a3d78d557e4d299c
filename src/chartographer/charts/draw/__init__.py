"""Charts drawn straight on a canvas (:mod:`.canvas`), without matplotlib's artists.

:func:`supports` says whether a spec can be drawn here completely; the
renderer (``charts.render``) falls back to the artist renderer otherwise.
"""
