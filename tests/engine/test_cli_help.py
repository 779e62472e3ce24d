"""Every `hmi` command and sub-command has --help ending with examples, and each example is a command
line the parser takes as it is; `hmi --version` and `-v` before or after the command work."""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Iterator

import pytest

from hmi import __version__
from hmi.cli import COMMANDS, build_parser, main
from hmi.cli_help import HEADING


def commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every (sub-)command parser under `parser`, with the words that call it."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*path, name), sub
                yield from commands(sub, (*path, name))


PARSER = build_parser()
ALL = dict(commands(PARSER))


def examples_of(parser: argparse.ArgumentParser) -> list[str]:
    lines = parser.format_help().splitlines()
    assert HEADING in lines, parser.prog
    return [line.strip() for line in lines[lines.index(HEADING) + 1 :] if line.startswith("  hmi")]


def test_the_commands_are_the_ones_main_knows():
    assert {path[0] for path in ALL} == set(COMMANDS)


@pytest.mark.parametrize("path", sorted(ALL), ids=" ".join)
def test_every_command_help_ends_with_examples_that_parse(path: tuple[str, ...]):
    found = examples_of(ALL[path])
    assert found, f"hmi {' '.join(path)} --help has no example"
    for line in found:
        words = shlex.split(line.split(" | ")[-1])[1:]  # after a pipe: the hmi command it feeds
        if words != ["COMMAND", "--help"]:
            args = build_parser().parse_args(words)
            assert args.func is not None, line


def test_the_top_help_has_examples_too():
    assert "hmi check my-plant" in examples_of(PARSER)


def test_version_and_verbose(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out.strip() == f"OpenHMI {__version__}"
    assert build_parser().parse_args(["-v", "check"]).verbose is True
    assert build_parser().parse_args(["check", "-v"]).verbose is True
    assert build_parser().parse_args(["check"]).verbose is False
