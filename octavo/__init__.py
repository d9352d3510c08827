"""Octavo: Markdown chapters in; a print-quality PDF, a valid and accessible EPUB 3 and a web
edition out. The stages are packages: read/, style/, formats/, build/, commands/ (see
docs/architecture.md)."""
