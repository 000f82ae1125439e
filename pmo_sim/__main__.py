"""``python -m pmo_sim`` runs the CLI."""

import sys

from pmo_sim.cli import main

sys.exit(main())
