"""The participant link as a QR code, in SVG (no image library needed).

Phones' camera apps open the link straight away; the link carries the join
code, so scanning is all a participant does before typing their name.
"""

from __future__ import annotations

import qrcode
import qrcode.image.svg

__all__ = ["qr_svg"]


def qr_svg(link: str) -> str:
    """An SVG QR code of ``link``, scaled by its container (error correction M)."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
        image_factory=qrcode.image.svg.SvgPathImage,
    )
    code.add_data(link)
    code.make(fit=True)
    svg = code.make_image().to_string(encoding="unicode")
    # Fixed millimetre sizes would stop the page from scaling it to the projector.
    head, rest = svg.split(">", 1)
    head = head.replace('width="', 'data-w="').replace('height="', 'data-h="')
    return f'{head} class="qr" role="img" aria-label="QR code of the participant link">{rest}'
