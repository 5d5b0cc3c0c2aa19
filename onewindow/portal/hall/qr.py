"""A QR code as inline SVG (segno), like the case notices: no image file, no external service."""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str, *, scale: int = 3) -> SafeString:
    return mark_safe(
        str(segno.make(url, error="m").svg_inline(scale=scale, border=2, title=url, omitsize=True))
    )
