"""`python -m ogd` runs the command line."""

from ogd.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
