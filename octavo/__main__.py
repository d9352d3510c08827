"""`python -m octavo ...` is the `octavo` command."""

from .cli import run

if __name__ == "__main__":
    run()
