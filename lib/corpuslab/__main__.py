"""``python -m corpuslab`` runs the command line."""

import sys

from corpuslab.cli import main

sys.exit(main())
