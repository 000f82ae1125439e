"""What decks and workbooks share: Office files that come out the same, byte for byte.

An Office file is a zip of XML parts. Both python-pptx and openpyxl stamp
the time of saving into the zip entries and the document properties; the
kit fixes both, so the same results give the same ``.pptx`` and ``.xlsx``.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

__all__ = ["FIXED_DATE", "reproducible_zip"]

#: Document date written into every deck and workbook, so the same inputs give the same bytes.
FIXED_DATE = datetime(2000, 1, 1)

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_CORE_DATE = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _member(name: str, data: bytes) -> bytes:
    if name.endswith(".xlsx"):  # a chart's embedded workbook (XlsxWriter dates it too)
        return reproducible_zip(data)
    if name == "docProps/core.xml":
        stamp = FIXED_DATE.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
        return _CORE_DATE.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
    return data


def reproducible_zip(data: bytes) -> bytes:
    """The same Office file with fixed dates: zip entries, document properties, embedded files."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, _member(item.filename, src.read(item.filename)))
    return out.getvalue()
