"""Another package's additions to Octavo: a plain-text edition of a book (each chapter's text under
its title, for a screen reader, a diff or a word count), the smallest whole format; and a transform
that prints each chapter's reading time under its title."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

import lxml.html

from octavo.formats import Format, Job, Written
from octavo.model import Book


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


WORDS_A_MINUTE = 230


def reading_time(book: Book) -> Book:
    """A transform: "4 min read" under each chapter's title, as blogs print it."""
    chapters = []
    for chapter in book.chapters:
        words = len(lxml.html.fragment_fromstring(chapter.html, create_parent="div").text_content().split())
        note = f'<p class="reading-time">{max(1, round(words / WORDS_A_MINUTE))} min read</p>'
        heading_end = chapter.html.index("</h1>") + len("</h1>") if "</h1>" in chapter.html else 0
        html = chapter.html[:heading_end] + "\n" + note + chapter.html[heading_end:]
        chapters.append(replace(chapter, html=html))
    return replace(book, chapters=chapters)
