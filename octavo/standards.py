"""The PDF standards a book can be built to (`[pdf] variant`, `--pdf-variant`).

WeasyPrint 70's own list (weasyprint.pdf.VARIANTS; a test keeps the two equal), written out so
that reading the command line does not load WeasyPrint: a build with nothing to do stays instant.
"""

PDF_VARIANTS = (
    *("pdf/a-1a", "pdf/a-1b", "pdf/a-2a", "pdf/a-2b", "pdf/a-2u", "pdf/a-3a", "pdf/a-3b", "pdf/a-3u"),
    *("pdf/a-4e", "pdf/a-4f", "pdf/a-4u", "pdf/ua-1", "pdf/ua-2"),
    *("pdf/x-1a", "pdf/x-3", "pdf/x-4", "pdf/x-5g"),
)
