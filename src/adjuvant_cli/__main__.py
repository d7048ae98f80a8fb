"""Entry points: the `adjuvant` console script and `python -m adjuvant_cli`.

Nothing is imported at the top, so that Ctrl-C while Typer and the rest are
still loading, or while Typer builds the command (before the CLI's own
boundary is reached), ends quietly with 130 too, not with a traceback.
"""

import sys


def main() -> None:
    try:
        from adjuvant_cli.cli import run

        run()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
