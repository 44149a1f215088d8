"""The determination letter as a PDF, drawn from the same `Letter` the HTML page shows.

reportlab's built-in Helvetica needs no font files or system libraries and draws English and
Spanish. The taglines at the end need other fonts: see `letters/fonts.py` (Latin and Cyrillic
as text in Noto Sans, other scripts as shaped pictures). Every string goes through `escape`
because reportlab paragraphs read a small XML markup: a reason that says "ECOG < 2" must print
as written, not break the page.
"""

from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from priorauth import limits
from priorauth.letters import fonts
from priorauth.letters.assistance import LanguageAssistance
from priorauth.letters.content import Fact, Letter, Section
from priorauth.letters.text import words
from priorauth.letters.text.taglines import Tagline

# Streams are written as binary (zlib only), not also ASCII85-encoded: that 7-bit transport
# encoding, done in pure Python, took most of a letter's time once the tagline pictures came.
rl_config.useA85 = 0

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
RULE = colors.HexColor("#cbd2d9")
ADVERSE = colors.HexColor("#fdecea")
FAVOURABLE = colors.HexColor("#e6f4ea")
IMPORTANT = colors.HexColor("#fff4e5")
SECTION_BREAK = 1.5 * inch
TAGLINE_FONT = "NotoSansTagline"
TAGLINE_SIZE = 9
PAGE_MARGIN = 0.9 * inch
LONG_WORD = re.compile(rf"\S{{{limits.LETTER_WORD + 1},}}")


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()["BodyText"]
    body = ParagraphStyle(
        "body", parent=base, fontName="Helvetica", fontSize=10.5, leading=14.5, textColor=INK
    )
    return {
        "body": body,
        "tagline": ParagraphStyle(
            "tagline", parent=body, fontName=_tagline_font(), fontSize=TAGLINE_SIZE, leading=12, spaceAfter=3
        ),
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, textColor=MUTED),
        "label": ParagraphStyle(
            "label", parent=body, fontName="Helvetica-Bold", fontSize=9.5, textColor=MUTED
        ),
        "sender": ParagraphStyle("sender", parent=body, fontName="Helvetica-Bold", fontSize=12, leading=15),
        "title": ParagraphStyle("title", parent=body, fontName="Helvetica-Bold", fontSize=17, leading=21),
        "headline": ParagraphStyle(
            "headline", parent=body, fontName="Helvetica-Bold", fontSize=13, leading=17
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=body,
            fontName="Helvetica-Bold",
            fontSize=12.5,
            leading=16,
            spaceBefore=12,
            spaceAfter=4,
            alignment=TA_LEFT,
        ),
    }


def render_pdf(letter: Letter) -> bytes:
    """Return the letter as PDF bytes (US Letter, one column, page numbers in the footer)."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=PAGE_MARGIN,
        rightMargin=PAGE_MARGIN,
        topMargin=0.8 * inch,
        bottomMargin=0.8 * inch,
        # The document's metadata is readable without opening it: the request number only, no PHI.
        title=f"Prior authorization decision {letter.request_number}",
        author=letter.sender,
    )

    w = words(letter.language)

    def footer(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(doc.leftMargin, 0.5 * inch, w("footer.request", number=letter.request_number))
        canvas.drawRightString(LETTER[0] - doc.rightMargin, 0.5 * inch, w("footer.page", page=doc.page))
        canvas.restoreState()

    document.build(_story(letter, _styles()), onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def breakable(text: str) -> str:
    """Return the text with a space every LETTER_WORD characters of any longer word.

    reportlab splits a word wider than the line one character at a time, re-measuring the rest
    of the word each time: the cost grows with the square of the word's length (100,000
    characters took 13.5 s). Broken into pieces no wider than a line, a word lays out in
    linear time; a word that long is a pasted code or address, not prose.
    """
    return LONG_WORD.sub(lambda word: " ".join(_pieces(word.group())), text)


def _pieces(word: str) -> list[str]:
    most = limits.LETTER_WORD
    return [word[start : start + most] for start in range(0, len(word), most)]


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(breakable(text)).replace("\n", "<br/>"), style)


def _story(letter: Letter, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    story: list[Flowable] = [
        _p(letter.sender, styles["sender"]),
        _p(letter.letter_date, styles["small"]),
        Spacer(1, 10),
        _p(letter.title, styles["title"]),
        Spacer(1, 6),
        _p(letter.to_label, styles["label"]),
        *[_p(recipient, styles["body"]) for recipient in letter.recipients],
        Spacer(1, 8),
        _facts(letter.about, styles),
        Spacer(1, 12),
        _boxed(_p(letter.headline, styles["headline"]), ADVERSE if letter.is_adverse else FAVOURABLE),
    ]
    for section in letter.sections:
        story += _section(section, styles)
    return story + _assistance(letter.assistance, styles)


def _tagline_font() -> str:
    """Return the name of the font for Latin and Cyrillic taglines, registering it once."""
    if TAGLINE_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(TAGLINE_FONT, str(fonts.font_path("Latn"))))
    return TAGLINE_FONT


def _assistance(assistance: LanguageAssistance, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Return the closing part every notice has: language help with its taglines, then non-discrimination."""
    language = Section(
        slug="language-assistance",
        heading=assistance.heading,
        paragraphs=(assistance.offer, assistance.taglines_intro),
    )
    nondiscrimination = Section(
        slug="nondiscrimination",
        heading=assistance.nondiscrimination_heading,
        paragraphs=(*assistance.nondiscrimination, assistance.ocr_intro),
        facts=assistance.ocr,
    )
    taglines = [_tagline(tagline, styles["tagline"]) for tagline in assistance.taglines]
    return [*_section(language, styles), Spacer(1, 4), *taglines, *_section(nondiscrimination, styles)]


def _tagline(tagline: Tagline, style: ParagraphStyle) -> Flowable:
    if tagline.script in fonts.TEXT_SCRIPTS:
        return Paragraph(escape(tagline.text), style)
    return TaglinePicture(tagline)


class TaglinePicture(Flowable):
    """A tagline in a script reportlab cannot shape, drawn as a picture as wide as the column."""

    def __init__(self, tagline: Tagline) -> None:
        super().__init__()
        self.tagline = tagline
        self.spaceAfter = 3
        self._image: Image | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        png, width, height = fonts.tagline_picture(
            self.tagline.text,
            script=self.tagline.script,
            lang=self.tagline.lang,
            rtl=self.tagline.rtl,
            width_pt=availWidth,
            size_pt=TAGLINE_SIZE,
            ink=round(255 * (0.299 * INK.red + 0.587 * INK.green + 0.114 * INK.blue)),
        )
        self._image = Image(io.BytesIO(png), width=width, height=height)
        self.width, self.height = width, height
        return width, height

    def draw(self) -> None:
        assert self._image is not None  # reportlab always wraps before it draws
        self._image.drawOn(self.canv, 0, 0)


def _facts(facts: tuple[Fact, ...], styles: dict[str, ParagraphStyle]) -> Table:
    rows = [[_p(fact.label, styles["label"]), _p(fact.value, styles["body"])] for fact in facts]
    table = Table(rows, colWidths=[2.1 * inch, None], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _boxed(content: Flowable | list[Flowable], background: colors.Color) -> Table:
    box = Table([[content]], colWidths=[None], hAlign="LEFT")
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), background),
                ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
            ]
        )
    )
    return box


def _section(section: Section, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    body: list[Flowable] = [_p(text, styles["body"]) for text in section.paragraphs]
    if section.facts:
        body += [Spacer(1, 4)] if body else []
        body.append(_facts(section.facts, styles))
    if section.steps:
        steps = [ListItem(_step(step, styles["body"]), leftIndent=16) for step in section.steps]
        body.append(ListFlowable(steps, bulletType="1", leftIndent=16, spaceBefore=4))
    if section.closing:
        body += [Spacer(1, 6), *(_p(text, styles["body"]) for text in section.closing)]
    if section.note:
        body += [Spacer(1, 4), _p(section.note, styles["small"])]
    heading = _p(section.heading, styles["heading"])
    # No section starts in the last SECTION_BREAK of a page, and a heading stays with what follows.
    if section.important:
        return [CondPageBreak(SECTION_BREAK), _boxed([heading, *body], IMPORTANT)]
    return [CondPageBreak(SECTION_BREAK), KeepTogether([heading, body[0]]), *body[1:]]


def _step(step: Fact, style: ParagraphStyle) -> Paragraph:
    return Paragraph(f"<b>{escape(breakable(step.label))}.</b> {escape(breakable(step.value))}", style)
