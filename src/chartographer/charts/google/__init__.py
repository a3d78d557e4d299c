"""Google Image Charts front door: ``/chart`` query strings → the shared chart spec.

``data`` decodes ``chd``/``chds``; ``query`` holds the raw parameters and the
warnings; ``styles`` and ``axes`` parse the styling parameters; ``build`` turns
a whole query into a spec and the function that renders it.
"""
