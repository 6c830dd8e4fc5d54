"""Build the dossier in content/ into site/. Run `python build.py --help` for the options."""

import sys

from dossier.cli import main

if __name__ == "__main__":
    sys.exit(main())
