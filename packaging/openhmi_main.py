"""Entry point of the frozen app: the same `hmi` command line as the installed package."""

from __future__ import annotations

import sys

from hmi.cli import main

if __name__ == "__main__":
    sys.exit(main())
