#!/usr/bin/env python3
"""Build the news site: `python build.py --help`."""

import sys

from newsdigest.cli import main

if __name__ == "__main__":
    sys.exit(main())
