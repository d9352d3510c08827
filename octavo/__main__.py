"""`python -m octavo ...` is the `octavo` command."""

from .commands.cli import run

if __name__ == "__main__":
    run()
