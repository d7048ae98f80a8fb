"""Entry points: the `adjuvant` console script and `python -m adjuvant_cli`.

Nothing is imported at the top, so that Ctrl-C while Typer and the rest are
still loading ends quietly with 130 too, not with a traceback.
"""

import sys


def main() -> None:
    try:
        from adjuvant_cli.cli import run
    except KeyboardInterrupt:
        sys.exit(130)
    run()


if __name__ == "__main__":
    main()
