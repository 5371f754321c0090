#!/usr/bin/env python3
"""Build, check, preview or deploy the site: `python build.py [build|check|serve|deploy] …`."""

import sys

from sitegen.commands.cli import main

if __name__ == "__main__":
    sys.exit(main())
