"""``python -m corridor``."""

from corridor.cli.main import main

main()
