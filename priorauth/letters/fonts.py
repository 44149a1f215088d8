"""The fonts that draw the taglines, and which scripts the PDF draws as text or as pictures.

reportlab's built-in Helvetica knows only Western European letters, and reportlab lays text
out one character after another: it neither joins Arabic letters nor reorders Indic clusters,
and it cannot embed the CJK fonts (PostScript outlines). So:

- Latin and Cyrillic taglines are PDF text in Noto Sans (every accented letter of Vietnamese,
  Romanian, Serbo-Croatian; Cyrillic): searchable, selectable;
- every other script is drawn by Pillow (with libraqm, which shapes and orders the text the
  way a browser does) into a picture at print resolution, placed where the text would be.

The fonts are Noto subsets committed in static/letters/fonts/ (tools/subset_letter_fonts.py
cuts them), so the PDF and the letter page draw the same glyphs on any machine.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, ImageFont

FONT_DIR: Path = Path(__file__).resolve().parents[2] / "static" / "letters" / "fonts"

# Script (ISO 15924) -> font file. Cyrillic shares the Latin font (Noto Sans covers both).
SCRIPT_FONTS: dict[str, str] = {
    "Latn": "tagline-latn.ttf",
    "Cyrl": "tagline-latn.ttf",
    "Arab": "tagline-arab.ttf",
    "Deva": "tagline-deva.ttf",
    "Gujr": "tagline-gujr.ttf",
    "Guru": "tagline-guru.ttf",
    "Ethi": "tagline-ethi.ttf",
    "Mymr": "tagline-mymr.ttf",
    "Thai": "tagline-thai.ttf",
    "Hant": "tagline-hant.otf",
    "Jpan": "tagline-jpan.otf",
    "Kore": "tagline-kore.otf",
}
# Scripts reportlab can set as text: no shaping, TrueType outlines.
TEXT_SCRIPTS = frozenset({"Latn", "Cyrl"})
# Characters that change how text is laid out but draw nothing: no glyph needed.
INVISIBLE = frozenset("\u200c\u200d\u200e\u200f")


def font_path(script: str) -> Path:
    """Return the font file that draws a script; KeyError for a script we hold no font for."""
    return FONT_DIR / SCRIPT_FONTS[script]


@cache
def _cmap(script: str) -> frozenset[int]:
    with TTFont(font_path(script), lazy=True) as font:
        return frozenset(font.getBestCmap())


def missing_glyphs(script: str, text: str) -> str:
    """Return the characters of the text that the script's font has no glyph for (empty: all drawn)."""
    cmap = _cmap(script)
    return "".join(sorted({c for c in text if ord(c) not in cmap and c not in INVISIBLE and c != "\n"}))


# Pictures are drawn at print resolution; CJK lines break between any two characters, the
# others at spaces.
DPI = 200
BREAK_ANYWHERE = frozenset({"Hant", "Jpan"})


# The taglines are fixed text: each picture is drawn once per process (about 40 ms each), not
# once per letter.
@lru_cache(maxsize=256)
def tagline_picture(
    text: str, *, script: str, lang: str, rtl: bool, width_pt: float, size_pt: float, ink: int
) -> tuple[bytes, float, float]:
    """Return a tagline drawn as a grayscale PNG (shaped by libraqm), its width and height in points.

    The lines fill `width_pt`; right-to-left text is set right-aligned, as it is read; `ink` is the
    gray level of the letters (0 black).
    """
    scale = DPI / 72
    size = round(size_pt * scale)
    font = ImageFont.truetype(str(font_path(script)), size, layout_engine=ImageFont.Layout.RAQM)
    direction = "rtl" if rtl else "ltr"
    width = round(width_pt * scale)
    lines = _wrap(text, script, lambda line: font.getlength(line, direction=direction, language=lang), width)
    ascent, descent = font.getmetrics()
    line_height = ascent + descent
    # Grayscale: the ink is one dark colour, and a third of RGB's bytes go into the PDF.
    image = Image.new("L", (width, line_height * len(lines) + descent), "white")
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        x, anchor = (width - 1, "ra") if rtl else (0, "la")
        draw.text(
            (x, number * line_height),
            line,
            font=font,
            fill=ink,
            direction=direction,
            language=lang,
            anchor=anchor,
        )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue(), width_pt, image.height / scale


def _wrap(text: str, script: str, length: Callable[[str], float], width: int) -> list[str]:
    """Return the text broken into lines no longer than `width` (a longer single word stands alone)."""
    tokens = list(text) if script in BREAK_ANYWHERE else [word + " " for word in text.split(" ")]
    lines: list[str] = []
    line = ""
    for token in tokens:
        if line and length((line + token).rstrip()) > width:
            lines.append(line.rstrip())
            line = token.lstrip() if script in BREAK_ANYWHERE else token
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines
