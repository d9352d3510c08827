"""The build: the book read once, then each format written into a staging folder that becomes the
output folder in one step (pipeline.py); the formats that need no print layout made beside it
(worker.py); no build twice (cache.py)."""
