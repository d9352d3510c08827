"""The book's site: the web edition (html/), the cover and its thumbnail, then, once every other
format is written, the download page, the OPDS feed, manifest.json and SHA256SUMS (web.py, then downloads.py)."""

from __future__ import annotations

from pathlib import Path

from .. import Format, Job, Written


class SiteFormat(Format):
    name = "site"
    title = "web edition"
    short_title = "web"
    libraries = ("pillow", "fonttools", "pagefind")
    beside_layout = True

    def write(self, job: Job) -> Written:
        from .downloads import write_cover_and_web_edition

        cover, thumb, warnings = write_cover_and_web_edition(job.book, job.env, job.staging)
        return Written(warnings=warnings, carried={"cover": cover, "thumb": thumb})

    def finish(self, job: Job, written: Written, downloads: list[Path]) -> Written:
        from .downloads import write_downloads

        assert job.report is not None  # finish runs in the build's own process, which reports
        with job.report.stage("write downloads"):
            cover, thumb = written.carried["cover"], written.carried["thumb"]
            write_downloads(job.book, job.env, job.staging, downloads, cover, thumb)
        return Written()
