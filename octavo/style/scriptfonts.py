"""Fonts for the scripts a theme's own fonts do not have: Chinese, Japanese, Korean, Arabic, Hebrew,
Devanagari, Thai and more, and monochrome symbols and emoji.

A theme ships fonts for Latin, Greek and Cyrillic. For everything else Octavo takes Noto (and Symbola
for emoji) by path from the Debian packages `fonts-noto-core`, `fonts-noto-cjk` and `fonts-symbola`,
which `tools/system-deps build` installs, never by asking the machine's fontconfig for "a font that
has this character": the same book gives the same pages on every machine with those packages.

Only the families the book needs are added, chosen by what its characters are and which language
they are in: Han characters are drawn from the Simplified Chinese, Traditional Chinese, Japanese or
Korean face according to the book's `language` and each `lang` attribute. A stylesheet of its own
(`script_stylesheet`) declares them with @font-face and appends them to the theme's font stacks,
so every output honours them alike; the EPUB and the web edition carry them cut down to the
characters the book uses, like the theme's own fonts.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont, TTLibError

from .. import builtin
from ..kept import keep

# Where the Debian packages put their fonts. Each family is looked up by its exact file name.
SYSTEM_FONTS = Path("/usr/share/fonts")
PACKAGE_FOLDERS = {
    "fonts-noto-core": "truetype/noto",
    "fonts-noto-cjk": "opentype/noto",
    "fonts-symbola": "truetype/ancient-scripts",
}
# The stylesheet names each face as a file of this folder; the fetchers map it to the package's file.
FACES_FOLDER = builtin.STYLES / "fonts" / "scripts"

CJK_FACES = ("JP", "KR", "SC", "TC", "HK")  # their order inside Noto's .ttc collections
GENERIC_FAMILIES = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui", "math", "emoji"}


@dataclass(frozen=True)
class Face:
    """One font of a family: a file, and which font inside it when the file is a collection."""

    package: str
    filename: str
    index: int = 0
    weight: str = "normal"

    @property
    def path(self) -> Path:
        return SYSTEM_FONTS / PACKAGE_FOLDERS[self.package] / self.filename

    @property
    def served_name(self) -> str:
        """The face as a file of its own (a collection's member becomes a single OpenType font)."""
        stem, suffix = self.filename.rsplit(".", 1)
        return f"{stem}-{self.index}.otf" if suffix == "ttc" else self.filename


@dataclass(frozen=True)
class Family:
    name: str
    style: str  # "serif", "sans" or "mono": which theme stacks it joins ("any" joins all)
    faces: tuple[Face, ...]
    language: str = ""  # for CJK: the language whose forms this face draws ("ja", "zh-hans"...)

    @property
    def available(self) -> bool:
        return all(face.path.is_file() for face in self.faces)


def pair(package: str, stem: str) -> tuple[Face, ...]:
    return (Face(package, f"{stem}-Regular.ttf"), Face(package, f"{stem}-Bold.ttf", weight="bold"))


def cjk(style: str, name: str, collection: str, index: int, language: str) -> Family:
    faces = (
        Face("fonts-noto-cjk", f"{collection}-Regular.ttc", index),
        Face("fonts-noto-cjk", f"{collection}-Bold.ttc", index, "bold"),
    )
    return Family(name, style, faces, language)


CJK_LANGUAGES = {"JP": "ja", "KR": "ko", "SC": "zh-hans", "TC": "zh-hant", "HK": "zh-hk"}
CJK_FAMILIES = tuple(
    family
    for index, region in enumerate(CJK_FACES)
    for family in (
        cjk("serif", f"Noto Serif CJK {region}", "NotoSerifCJK", index, CJK_LANGUAGES[region]),
        cjk("sans", f"Noto Sans CJK {region}", "NotoSansCJK", index, CJK_LANGUAGES[region]),
        cjk("mono", f"Noto Sans Mono CJK {region}", "NotoSansCJK", index + len(CJK_FACES), CJK_LANGUAGES[region]),
    )
)

# Each script's serif and sans-serif family; symbols last, where any stack may use them.
SCRIPT_FAMILIES = (
    *(
        Family(f"Noto {kind} {script}", style, pair("fonts-noto-core", f"Noto{kind.replace(' ', '')}{script}"))
        for script in ("Hebrew", "Devanagari", "Thai", "Bengali", "Tamil", "Armenian", "Georgian", "Ethiopic")
        for kind, style in (("Serif", "serif"), ("Sans", "sans"))
    ),
    Family("Noto Naskh Arabic", "serif", pair("fonts-noto-core", "NotoNaskhArabic")),
    Family("Noto Sans Arabic", "sans", pair("fonts-noto-core", "NotoSansArabic")),
    Family("Noto Serif", "serif", pair("fonts-noto-core", "NotoSerif")),  # Latin, Greek, Cyrillic in full
    Family("Noto Sans", "sans", pair("fonts-noto-core", "NotoSans")),
    Family("Noto Sans Math", "any", (Face("fonts-noto-core", "NotoSansMath-Regular.ttf"),)),
    Family("Noto Sans Symbols", "any", pair("fonts-noto-core", "NotoSansSymbols")),
    Family("Noto Sans Symbols 2", "any", (Face("fonts-noto-core", "NotoSansSymbols2-Regular.ttf"),)),
    Family("Symbola", "any", (Face("fonts-symbola", "Symbola_hint.ttf"),)),  # emoji, in outline
)


def script_faces() -> tuple[Face, ...]:
    """Every font file the script families may use."""
    return tuple(dict.fromkeys(face for family in (*CJK_FAMILIES, *SCRIPT_FAMILIES) for face in family.faces))


def missing_font_packages() -> list[str]:
    """The font packages whose files are not where their package puts them."""
    faces = script_faces()
    return [package for package in PACKAGE_FOLDERS if any(not f.path.is_file() for f in faces if f.package == package)]


def cjk_region(language: str) -> str:
    """Which of Noto's CJK faces draws Han characters in this language (Simplified Chinese by default)."""
    tag = language.lower().replace("_", "-")
    if tag.startswith("ja"):
        return "JP"
    if tag.startswith("ko"):
        return "KR"
    if tag in ("zh-hk", "zh-mo") or tag.startswith("zh-hant-hk"):
        return "HK"
    if tag.startswith("zh-hant") or tag in ("zh-tw",):
        return "TC"
    return "SC"


def is_cjk_language(language: str) -> bool:
    return language.lower()[:2] in ("zh", "ja", "ko")


@lru_cache(maxsize=256)
def face_characters(path: Path, index: int, mtime: int) -> frozenset[int]:
    """The code points a font (or one font of a collection) maps to glyphs. Reading a font's cmap
    takes up to a tenth of a second, and a book may look through thirty faces for one arrow, so
    what was read is kept on disk (see coverage_file) for the next build."""
    kept = coverage_file(path, index, mtime)
    try:
        return frozenset(unpacked(kept.read_text(encoding="ascii")))
    except (OSError, ValueError):
        pass
    try:
        with TTFont(path, lazy=True, fontNumber=index) as font:
            found = frozenset(font.getBestCmap() or {})
    except (TTLibError, OSError, KeyError):
        return frozenset()
    keep(kept, packed(found))
    return found


def coverage_file(path: Path, index: int, mtime: int) -> Path:
    """Where a face's code points are kept: the user's cache, under a name made of the font's path,
    place in its collection, size and modification time, so a changed font is read anew."""
    try:
        size = path.stat().st_size
    except OSError:
        size = -1
    name = hashlib.sha256(f"{path.resolve()}\0{index}\0{size}\0{mtime}".encode()).hexdigest()[:32]
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "octavo" / "font-coverage" / name


def packed(codes: frozenset[int]) -> str:
    """Code points as ranges, `32-126,160-255`: a CJK face's 40,000 take a few hundred bytes."""
    ranges: list[str] = []
    start = previous = None
    for code in sorted(codes):
        if previous is not None and code == previous + 1:
            previous = code
            continue
        if start is not None:
            ranges.append(f"{start}-{previous}")
        start = previous = code
    if start is not None:
        ranges.append(f"{start}-{previous}")
    return "v1 " + ",".join(ranges)


def unpacked(text: str) -> set[int]:
    version, _, body = text.partition(" ")
    if version != "v1":
        raise ValueError("another version's file")
    codes: set[int] = set()
    for item in filter(None, body.split(",")):
        low, high = item.split("-")
        codes.update(range(int(low), int(high) + 1))
    return codes


def characters_of(face: Face) -> frozenset[int]:
    try:
        mtime = face.path.stat().st_mtime_ns
    except OSError:
        return frozenset()
    return face_characters(face.path, face.index, mtime)


def theme_style(stack: str) -> str:
    """ "serif" or "sans", from the generic family a theme's stack ends with."""
    return "sans" if "sans-serif" in stack else "serif"


@dataclass(frozen=True)
class ScriptFonts:
    """The families a book needs beyond its theme's fonts, for each of its stacks."""

    body: tuple[Family, ...]
    mono: tuple[Family, ...]
    by_language: tuple[tuple[str, Family], ...]  # other CJK languages in the book: their own face first
    book_is_cjk: bool

    @property
    def families(self) -> tuple[Family, ...]:
        return tuple(dict.fromkeys([*self.body, *self.mono, *(family for _, family in self.by_language)]))

    @property
    def faces(self) -> tuple[Face, ...]:
        return tuple(face for family in self.families for face in family.faces)


def needed_fonts(
    characters: str, covered: frozenset[int], language: str, languages: tuple[str, ...], style: str
) -> ScriptFonts | None:
    """The families, in the order of preference, that draw the characters the theme's fonts lack.
    `style` is the theme's, "serif" or "sans" (see `theme_style`)."""
    missing = {ord(c) for c in characters} - covered
    missing = {code for code in missing if code > 0x7F}
    if not missing:
        return None
    region = cjk_region(language) if is_cjk_language(language) else ""
    tagged = tuple(dict.fromkeys(tag for tag in languages if is_cjk_language(tag)))  # CJK lang attributes
    preferred = region or (cjk_region(tagged[0]) if tagged else "SC")  # the face Han characters take

    def chosen(stack_style: str) -> tuple[Family, ...]:
        others_style = "sans" if stack_style == "mono" else stack_style  # code: the monospaced CJK face, then sans
        rest = [f for f in SCRIPT_FAMILIES if f.style in (others_style, "any")]
        return pick([cjk_family(preferred, stack_style), *rest], missing, bool(region))

    body, mono = chosen(style), chosen("mono")
    if not body and not mono:
        return None
    by_language = []
    for tag in tagged:
        family = cjk_family(cjk_region(tag), style)
        if cjk_region(tag) != preferred and family.available:
            by_language.append((tag, family))
    return ScriptFonts(body, mono, tuple(by_language), bool(region))


def cjk_family(region: str, style: str) -> Family:
    return next(f for f in CJK_FAMILIES if f.name.endswith(" " + region) and f.style == style)


CJK_BLOCKS = (
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x2E80, 0x2FDF),  # radicals
    (0x3000, 0x9FFF),  # CJK punctuation, kana, Bopomofo, Hangul compatibility, ideographs
    (0xA960, 0xA97F),
    (0xAC00, 0xD7FF),  # Hangul syllables
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),  # full-width forms
    (0x20000, 0x3FFFF),
)


def in_cjk_block(code: int) -> bool:
    return any(start <= code <= end for start, end in CJK_BLOCKS)


def pick(candidates: list[Family], missing: set[int], cjk_book: bool = False) -> tuple[Family, ...]:
    """The candidates, in order, that draw at least one character no earlier one draws. Outside a
    Chinese, Japanese or Korean book a CJK face draws only CJK characters, not the symbols and
    punctuation it also has, in full-width forms."""
    left = set(missing)
    picked = []
    for family in candidates:
        if not left or not family.available:
            continue
        drawn = left & characters_of(family.faces[0])
        if family in CJK_FAMILIES and not cjk_book:
            drawn = {code for code in drawn if in_cjk_block(code)}
        if drawn:
            picked.append(family)
            left -= drawn
    return tuple(picked)


def quoted(name: str) -> str:
    return f'"{name}"'


def extended_stack(stack: str, families: tuple[Family, ...], first: tuple[Family, ...] = ()) -> str:
    """A theme's font stack with the script families before its generic family (or, for a book in
    Chinese, Japanese or Korean, the CJK face before everything: its punctuation is full width)."""
    names = [name.strip() for name in stack.split(",") if name.strip()]
    generic = [name for name in names if name.strip("\"'").lower() in GENERIC_FAMILIES]
    named = [name for name in names if name not in generic]
    ahead = [quoted(f.name) for f in first]
    after = [quoted(f.name) for f in families if f not in first]
    return ", ".join([*ahead, *named, *after, *generic])


LAST_VALUE = r"--{name}\s*:\s*([^;}}]+)"


def stack_value(css: str, name: str, default: str) -> str:
    """The last literal value the cascade gives a font stack (`var(...)` values are left to CSS)."""
    values = [value.strip() for value in re.findall(LAST_VALUE.format(name=name), css)]
    return values[-1] if values else default


def script_stylesheet(fonts: ScriptFonts, css: str) -> str:
    """@font-face for each family, and the theme's stacks with them appended."""
    rules = []
    for family in fonts.families:
        for face in family.faces:
            rules.append(
                f'@font-face {{ font-family: "{family.name}"; src: url("{face.served_name}"); '
                f"font-weight: {face.weight}; }}"
            )
    body = stack_value(css, "font-body", "serif")
    cjk_first = tuple(f for f in fonts.body if f in CJK_FAMILIES) if fonts.book_is_cjk else ()
    declarations = [f"  --font-body: {extended_stack(body, fonts.body, cjk_first)};"]
    heading = stack_value(css, "font-heading", "var(--font-body)")
    if not heading.startswith("var("):
        declarations.append(f"  --font-heading: {extended_stack(heading, fonts.body, cjk_first)};")
    mono = stack_value(css, "font-mono", "monospace")
    declarations.append(f"  --font-mono: {extended_stack(mono, fonts.mono)};")
    rules.append(":root {\n" + "\n".join(declarations) + "\n}")
    for language, family in fonts.by_language:
        stack = extended_stack(body, tuple(f for f in fonts.body if f not in CJK_FAMILIES), (family,))
        rules.append(f"[lang]:lang({language}) {{ font-family: {stack}; }}")  # its own lang, not its parent's
    return "\n".join(rules) + "\n"


def served_face(path: Path) -> Face | None:
    """The face a stylesheet's url() in FACES_FOLDER stands for."""
    if path.parent != FACES_FOLDER:
        return None
    return next((face for face in script_faces() if face.served_name == path.name), None)
