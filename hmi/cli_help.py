"""The help of every `hmi` command ends with examples one can type as they are."""

from __future__ import annotations

import argparse
from typing import Any

HEADING = "examples:"


class HelpFormatter(argparse.HelpFormatter):
    """Wraps text as argparse does, but keeps indented lines (the examples) as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(
            indent + line
            if line.startswith("  ")
            else super(HelpFormatter, self)._fill_text(line, width, indent)
            for line in text.splitlines()
        )


def examples(*lines: str) -> dict[str, Any]:
    """`add_parser` keyword arguments that end a command's --help with these example command lines."""
    return {
        "epilog": "\n".join([HEADING, *(f"  {line}" for line in lines)]),
        "formatter_class": HelpFormatter,
    }
