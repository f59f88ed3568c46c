"""L4 command-line interface (typer + rich)."""
