"""Charts: the spec, its parsers (native and Google) and the pure renderer."""
