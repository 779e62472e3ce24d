"""Logging for the command line and the app: readable lines, without asyncua's reconnect noise."""

from __future__ import annotations

import logging


class AsyncuaNoise(logging.Filter):
    """asyncua logs INFO chatter and a traceback a second while a server is down; our state line says it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith("asyncua"):
            return True
        if record.levelno < logging.WARNING or "retrying" in record.getMessage():
            return False
        record.exc_info = None
        record.exc_text = None
        return True


def configure(verbose: bool = False) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%H:%M:%S"))
    if not verbose:
        handler.addFilter(AsyncuaNoise())
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, handlers=[handler], force=True)
