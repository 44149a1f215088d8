"""Regenerate the tagline fonts in static/letters/fonts/ from Noto fonts (run after a tagline changes).

The taglines are fixed text, so each font is cut down to the characters they use (a few KB
instead of megabytes) and committed: the PDF and the letter page then draw every script on any
machine, whatever fonts it has. The sources are Debian's fonts-noto-core and fonts-noto-cjk
(SIL Open Font License 1.1, static/letters/fonts/OFL.txt); OpenType layout tables are kept so
that Arabic joins and Indic clusters still shape. fontTools (in requirements.txt, which the
tests also use to check glyph coverage) does the cutting:

    apt-get download fonts-noto-core fonts-noto-cjk && for d in fonts-noto-*.deb; do dpkg-deb -x $d noto; done
    python tools/subset_letter_fonts.py noto/usr/share/fonts

`tests/letters/test_letter_fonts.py` fails when a tagline uses a character its font lacks.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import django
from fontTools import subset
from fontTools.merge import Merger
from fontTools.ttLib import TTCollection, TTFont

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "priorauth.settings")
django.setup()  # the taglines' package reads the app's labels

from priorauth.letters.fonts import FONT_DIR, SCRIPT_FONTS  # noqa: E402
from priorauth.letters.text.taglines import TAGLINES  # noqa: E402

# Where each committed font comes from: a file under the Noto folders, and for a collection
# the family name of the face to take.
SOURCES: dict[str, tuple[str, str]] = {
    "Latn": ("truetype/noto/NotoSans-Regular.ttf", ""),
    "Arab": ("truetype/noto/NotoSansArabic-Regular.ttf", ""),
    "Deva": ("truetype/noto/NotoSansDevanagari-Regular.ttf", ""),
    "Gujr": ("truetype/noto/NotoSansGujarati-Regular.ttf", ""),
    "Guru": ("truetype/noto/NotoSansGurmukhi-Regular.ttf", ""),
    "Ethi": ("truetype/noto/NotoSansEthiopic-Regular.ttf", ""),
    "Mymr": ("truetype/noto/NotoSansMyanmar-Regular.ttf", ""),
    "Thai": ("truetype/noto/NotoSansThai-Regular.ttf", ""),
    "Hant": ("opentype/noto/NotoSansCJK-Regular.ttc", "Noto Sans CJK TC"),
    "Jpan": ("opentype/noto/NotoSansCJK-Regular.ttc", "Noto Sans CJK JP"),
    "Kore": ("opentype/noto/NotoSansCJK-Regular.ttc", "Noto Sans CJK KR"),
}
ALWAYS = "".join(chr(c) for c in range(0x20, 0x7F)) + "\u00a0"


def characters(script: str) -> str:
    """Return every character the taglines drawn with this script's font use, plus ASCII."""
    scripts = {"Latn", "Cyrl"} if script == "Latn" else {script}
    used = {char for t in TAGLINES.values() if t.script in scripts for char in t.text}
    return "".join(sorted(used | set(ALWAYS)))


def load(root: Path, relative: str, family: str) -> TTFont:
    path = root / relative
    if not family:
        return TTFont(path)
    for font in TTCollection(path).fonts:
        if font["name"].getDebugName(1) == family:
            return font
    raise SystemExit(f"{family} not found in {path}")


def cut(font: TTFont, text: str) -> TTFont:
    """Return the font cut down to the text's characters, its layout tables kept."""
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    return font


def main(root: Path) -> None:
    latin_source, _ = SOURCES["Latn"]
    for script, (relative, family) in SOURCES.items():
        text = characters(script)
        font = cut(load(root, relative, family), text)
        target = FONT_DIR / SCRIPT_FONTS[script]
        font.save(target)
        # A script font lacks the Latin letters, digits and brackets of "(TTY: 711)": merge in
        # those glyphs from Noto Sans (same units per em), so one font draws the whole tagline.
        lacking = "".join(c for c in text if ord(c) not in font.getBestCmap())
        if lacking.strip():
            cut(load(root, latin_source, ""), lacking).save(target.with_suffix(".latin.ttf"))
            Merger().merge([str(target), str(target.with_suffix(".latin.ttf"))]).save(target)
            target.with_suffix(".latin.ttf").unlink()
        print(f"{target.name}: {target.stat().st_size} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
