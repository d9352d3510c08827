"""A plain-text edition of a book: each chapter's text under its title, for a screen reader, a
diff or a word count. The smallest whole Octavo format."""

from __future__ import annotations

from typing import ClassVar

import lxml.html

from octavo.formats import Format, Job, Written


class PlainText(Format):
    name = "txt"
    title = "plain text"
    media_types: ClassVar[dict[str, tuple[str, str]]] = {".txt": ("Plain text", "text/plain")}
    libraries = ("lxml",)

    def write(self, job: Job) -> Written:
        blocks = [job.book.meta.title.upper()]
        for chapter in job.book.chapters:
            root = lxml.html.fragment_fromstring(chapter.html, create_parent="div")
            paragraphs = (" ".join(block.text_content().split()) for block in root.iter("h1", "h2", "h3", "p", "li"))
            blocks.extend(paragraph for paragraph in paragraphs if paragraph)
        target = job.staging.path(f"{job.stem}.txt")
        target.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
        return Written([target])
