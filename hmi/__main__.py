"""`python -m hmi` is the `hmi` command."""

import sys

from .cli import main

sys.exit(main())
