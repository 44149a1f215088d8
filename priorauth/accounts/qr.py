"""The QR code an authenticator app scans to take the secret: an SVG drawn here, no service."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg


def qr_svg(text: str) -> bytes:
    """Return an SVG image of the text as a QR code (one path, so no inline style is needed)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10, border=4)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()
