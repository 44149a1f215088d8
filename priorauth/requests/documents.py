"""Open each uploaded document the way a reader would, within limits, before it is accepted.

The first bytes only say which kind a file claims to be. A PDF is opened with pypdf and refused
when it cannot be read, is encrypted (no reviewer could open it), has too many pages or
objects, or its streams inflate past PDF_DECOMPRESSED_BYTES (a "zip bomb" that would hang the
reviewer's viewer); the inflating is counted in bounded steps, so a bomb costs this check at
most the limit. An image is opened with Pillow, which reads only its header, and refused over
IMAGE_PIXELS (a small PNG may claim 100,000 x 100,000 pixels: 40 GB once decoded).
"""

from __future__ import annotations

import warnings
import zlib
from typing import IO

import pypdf
from PIL import Image
from pypdf.errors import DependencyError
from pypdf.generic import IndirectObject, StreamObject

from priorauth import limits

# Pillow refuses, on its own, images over twice this (and warns over it) wherever it opens one.
Image.MAX_IMAGE_PIXELS = limits.IMAGE_PIXELS
FLATE = frozenset({"/FlateDecode", "/Fl"})
INFLATE_STEP = 1024 * 1024
ENCRYPTED = "is protected with a password or encrypted: please attach an unprotected copy."


class Refused(Exception):
    """The document is readable but over a limit; the message finishes a sentence about it."""


def document_problem(file: IO[bytes], content_type: str, name: str) -> str:
    """Return why the document is refused ("" if it is accepted); the file is left at its start."""
    file.seek(0)
    try:
        if content_type == "application/pdf":
            _check_pdf(file)
        else:
            _check_image(file)
    except Refused as refused:
        return f"{name} {refused}"
    except Exception:
        # A malformed file raises whatever its parser meets first (pypdf and Pillow use many kinds).
        kind = "a PDF" if content_type == "application/pdf" else "an image"
        return f"{name} could not be opened as {kind}: it may be damaged. Please save it again and retry."
    finally:
        file.seek(0)
    return ""


def _check_pdf(file: IO[bytes]) -> None:
    try:
        reader = pypdf.PdfReader(file, strict=False)
    except DependencyError as error:
        # Only an AES-encrypted file needs a library to open that is not installed (cryptography).
        raise Refused(ENCRYPTED) from error
    if reader.is_encrypted:
        raise Refused(ENCRYPTED)
    if len(reader.pages) > limits.PDF_PAGES:
        raise Refused(
            f"has more than {limits.PDF_PAGES:,} pages: please split it or send the relevant pages."
        )
    left = limits.PDF_DECOMPRESSED_BYTES
    seen = 0
    for generation, numbers in reader.xref.items():
        for number in numbers:
            seen += 1
            if seen > limits.PDF_OBJECTS:
                raise Refused("has too many parts to open safely: please print it to a new PDF.")
            found = reader.get_object(IndirectObject(number, generation, reader))
            if isinstance(found, StreamObject):
                left -= _stream_size(found, left)
                if left < 0:
                    raise Refused(
                        f"expands to more than {limits.megabytes(limits.PDF_DECOMPRESSED_BYTES)} when "
                        "opened: please print it to a new PDF or send a smaller file."
                    )


def _stream_size(stream: StreamObject, budget: int) -> int:
    """Return the stream's size once its first filter is undone, counting at most budget + 1 bytes."""
    if _value(stream, "/Subtype") == "/Image":
        pixels = int(_value(stream, "/Width") or 0) * int(_value(stream, "/Height") or 0)
        if pixels > limits.IMAGE_PIXELS:
            raise Refused(
                f"holds an image of {pixels:,} pixels; at most {limits.IMAGE_PIXELS:,} are accepted."
            )
    raw = stream._data
    filters = _value(stream, "/Filter")
    first = filters[0] if isinstance(filters, list) and filters else filters
    if first not in FLATE:
        return len(raw)
    return _inflated_size(raw, budget + 1)


def _value(stream: StreamObject, key: str) -> object:
    found = stream.get(key)
    return found.get_object() if found is not None and hasattr(found, "get_object") else found


def _inflated_size(raw: bytes, most: int) -> int:
    """Return how many bytes the zlib data inflates to, stopping once past `most`."""
    inflater = zlib.decompressobj()
    size, rest = 0, raw
    try:
        while rest and size <= most:
            size += len(inflater.decompress(rest, INFLATE_STEP))
            rest = inflater.unconsumed_tail
    except zlib.error:
        # A damaged stream inflates no further than where it breaks: viewers show what they can.
        pass
    return size


def _check_image(file: IO[bytes]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(file)
        except Image.DecompressionBombError:
            image = None
        width, height = image.size if image is not None else (0, 0)
        if image is None or width * height > limits.IMAGE_PIXELS:
            raise Refused(
                f"is larger than {limits.IMAGE_PIXELS // 1_000_000} megapixels: "
                "please scale it down or send a PDF."
            )
        with image:
            # Reads the image's structure (chunks and checksums) without decoding its pixels.
            image.verify()
