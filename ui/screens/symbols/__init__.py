"""The symbol library: one module per family, sharing the drawing helpers in `draw`."""
