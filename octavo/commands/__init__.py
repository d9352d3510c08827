"""The commands: build (cli.py), new, check and serve."""
