"""Google's dynamic icons (``chst=…``): pins, bubbles, notes and outlined text, drawn locally."""
