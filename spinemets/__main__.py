"""``python -m spinemets``."""

from spinemets.cli.app import main

main()
