"""Static maps: Google Static Maps compatible and native, with offline tiles."""
