"""``python -m logai`` runs the command line."""

from logai.cli import main

main()
