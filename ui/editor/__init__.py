"""The project editor for engineers: canvas, palette, inspector, tags, problems."""
