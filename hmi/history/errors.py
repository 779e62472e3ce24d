"""Errors of the historian; subclasses of HmiError so the app reports them like any other engine error."""

from __future__ import annotations

from ..errors import HmiError


class HistoryError(HmiError):
    """The history database could not be used as asked; the message names the file or tag and why."""


class NoHistory(HistoryError):
    """Nothing was logged yet: no history file, or no history in the database."""


class HistoryDamaged(HistoryError):
    """The history file failed SQLite's own check; the message says which file and how to recover."""
