"""``python -m cutover_kit`` runs the command line."""

import sys

from cutover_kit.cli import main

sys.exit(main())
