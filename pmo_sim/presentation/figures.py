r"""Figures as PNG with every label drawn as plain text, whatever the names in it.

Client, group, role and project names come from clients' files. matplotlib
reads text between two ``$`` signs as mathtext, so a fund called
``Fund 50$% - 20$%`` or a group called ``R&D $\undefinedmacro{x}$ team``
would be typeset as formulas or stop the drawing with a parse error.
Every figure of the kit is built inside :func:`plain_text` (texts made there
never parse mathtext, even when laid out before saving) and rendered with
:func:`figure_png` (which also covers tick labels made while drawing).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["figure_png", "plain_text"]

# Any: matplotlib types rc_context keys as a Literal of every rc name.
_NO_MATHTEXT: Any = {"text.parse_math": False}


@contextmanager
def plain_text() -> Iterator[None]:
    """Within the block, matplotlib draws every new text literally: no ``$...$`` mathtext."""
    import matplotlib

    with matplotlib.rc_context(_NO_MATHTEXT):
        yield


def figure_png(fig: Figure, dpi: int = 110, **savefig: Any) -> bytes:
    """The PNG bytes of ``fig``, every text in it drawn literally (``$`` is a dollar sign)."""
    import matplotlib
    from matplotlib.text import Text

    with matplotlib.rc_context(_NO_MATHTEXT):
        # Texts made so far keep the setting they were made with; texts made while
        # drawing (tick labels) follow the rc above.
        for text in fig.findobj(Text):
            text.set_parse_math(False)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, **savefig)
    return buf.getvalue()
