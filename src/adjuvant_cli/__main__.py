"""Entry point for ``python -m adjuvant_cli``."""

from adjuvant_cli.cli import main

if __name__ == "__main__":
    main()
