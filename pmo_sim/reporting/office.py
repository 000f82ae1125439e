"""What decks and workbooks share: Office files that come out the same, byte for byte.

An Office file is a zip of XML parts. Both python-pptx and openpyxl stamp
the time of saving into the zip entries and the document properties; the
kit fixes both, so the same results give the same ``.pptx`` and ``.xlsx``.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

__all__ = ["FIXED_DATE", "reproducible_zip"]

#: Document date written into every deck and workbook, so the same inputs give the same bytes.
FIXED_DATE = datetime(2000, 1, 1)

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def reproducible_zip(data: bytes) -> bytes:
    """The same Office file with every zip entry dated 1980-01-01 (same content, same bytes)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()
