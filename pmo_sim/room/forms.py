"""What a participant's browser may send, validated before anything touches the answer file.

Three messages: joining (code, name or anonymous, group), an answer (question
id and level 0-4, or none for "don't know") and a comment on a dimension.
Each is a strict pydantic model; anything else, or anything too long, is
refused with a message the page shows as it is.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

__all__ = [
    "MAX_BODY_BYTES",
    "MAX_COMMENT",
    "MAX_NAME",
    "AnswerIn",
    "CommentIn",
    "JoinForm",
    "messages",
]

#: Longest participant name or id.
MAX_NAME = 60
#: Longest comment on a dimension.
MAX_COMMENT = 2000
#: Largest request body the server reads (a comment of MAX_COMMENT characters fits easily).
MAX_BODY_BYTES = 16_384

_Text = Annotated[str, StringConstraints(strip_whitespace=True)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class JoinForm(_Strict):
    """The join form: the room's code, a name (unless anonymous) and a group."""

    code: Annotated[_Text, Field(min_length=1, max_length=32)]
    name: Annotated[_Text, Field(max_length=MAX_NAME)] = ""
    anonymous: bool = False
    group: Annotated[_Text, Field(min_length=1, max_length=60)]

    def checked_name(self) -> str | None:
        """The name to join with (None when anonymous), or ValueError saying what is wrong."""
        if self.anonymous:
            return None
        if not self.name:
            raise ValueError("type your name, or tick 'stay anonymous'")
        if any(unicodedata.category(ch).startswith("C") for ch in self.name):
            raise ValueError("the name contains control characters")
        return self.name


class AnswerIn(_Strict):
    """One answer: the question id and the level chosen (0-4), or None for "don't know"."""

    question: Annotated[str, Field(min_length=1, max_length=64)]
    level: Annotated[int, Field(ge=0, le=4)] | None


class CommentIn(_Strict):
    """A participant's comment on one dimension (replaces their previous one)."""

    dimension: Annotated[str, Field(min_length=1, max_length=64)]
    comment: Annotated[str, Field(max_length=MAX_COMMENT)]


def messages(exc: ValidationError) -> list[str]:
    """Readable messages of a validation error: ``"level: Input should be ..."``."""
    out = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "request"
        out.append(f"{where}: {err['msg']}")
    return out
