"""The one exception family of the engine; every message is meant for an operator or engineer."""

from __future__ import annotations

from typing import Any

from pydantic_core import InitErrorDetails, PydanticCustomError


class HmiError(Exception):
    """Base of every error the engine raises on purpose."""


class ProjectError(HmiError):
    """A project folder could not be loaded or saved; `problems` lists every finding."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class CommError(HmiError):
    """A server could not be reached or answered with an error."""


class WriteRefused(HmiError):
    """A write was not sent, or the server did not take it; the message says why."""


def error_at(loc: tuple[str | int, ...], message: str, given: Any) -> InitErrorDetails:
    """One validation error at `loc` of a model, worded as given (a nested model's message passes
    unchanged), for `ValidationError.from_exception_data`."""
    message = message.removeprefix("Value error, ")
    error = PydanticCustomError("source", "{message}", {"message": message})
    return InitErrorDetails(type=error, loc=loc, input=given)
