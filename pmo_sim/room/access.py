"""Who gets into the room: the join code, the facilitator's secret, participants' tokens.

Picture the projector showing a QR code and ``K7P-4XM``: anyone in the room
may join with that code, nobody outside it can read or write a thing. A
participant who joins gets a token (a cookie) naming their respondent id,
signed with the room's key, so they see and change only their own answers
and reopening the link on the same phone resumes. The facilitator's page
needs its own, much longer secret, printed in the terminal and never shown
on the projector.

The code, the secret and the signing key are kept beside the answer file
(``acme.sqlite.room.json``, readable by its owner only), so a restarted
server keeps the same code and everyone's token stays valid. Deleting that
file issues a new code and logs everyone out; their answers stay.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from pmo_sim.errors import InputError

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "RoomKeys",
    "checked_code",
    "keys_path",
    "load_keys",
    "normalise_code",
    "remember_link",
]

#: Letters and digits a person reads off a projector without confusing them (no 0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
#: Characters in a join code (shown as two groups of three: ``K7P-4XM``); 31**6 is about 9e8.
CODE_LENGTH = 6

_KEYS_FORMAT = "pmo-sim room keys"


def normalise_code(text: str) -> str:
    """A typed join code as stored: upper case, no spaces or dashes (``k7p 4xm`` → ``K7P4XM``)."""
    return "".join(ch for ch in str(text).upper() if ch.isalnum())


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class RoomKeys:
    """The join code, the facilitator's secret and the key that signs participants' tokens."""

    #: What participants type (``CODE_LENGTH`` characters of ``CODE_ALPHABET``).
    code: str
    #: What the facilitator's link carries (``/facilitator?key=...``).
    facilitator_secret: str
    #: Signs participants' and the facilitator's cookies (bytes, never shown).
    signing_key: bytes
    #: The participant link the last server printed (for the notebook's panel), or "".
    participant_link: str = ""

    @property
    def display_code(self) -> str:
        """The code as shown on the projector: ``K7P-4XM``."""
        half = len(self.code) // 2
        return f"{self.code[:half]}-{self.code[half:]}"

    def code_matches(self, typed: str) -> bool:
        """Whether ``typed`` is this room's code (any case, spaces or dashes; constant time)."""
        return hmac.compare_digest(normalise_code(typed).encode(), self.code.encode())

    def secret_matches(self, typed: str) -> bool:
        """Whether ``typed`` is the facilitator's secret (constant time)."""
        return hmac.compare_digest(str(typed).encode(), self.facilitator_secret.encode())

    def _mac(self, purpose: str, subject: str) -> str:
        message = f"{purpose}\0{self.code}\0{subject}".encode()
        return _b64(hmac.new(self.signing_key, message, hashlib.sha256).digest()[:18])

    def participant_token(self, respondent: str) -> str:
        """The cookie value that lets its holder act as ``respondent`` (and nobody else)."""
        return f"{_b64(respondent.encode())}.{self._mac('participant', respondent)}"

    def respondent_of(self, token: str | None) -> str | None:
        """The respondent a token was issued for, or None for a missing, forged or old token."""
        if not token or token.count(".") != 1:
            return None
        encoded, mac = token.split(".")
        try:
            respondent = _unb64(encoded).decode()
        except (ValueError, UnicodeDecodeError):
            return None
        expected = self._mac("participant", respondent)
        return respondent if hmac.compare_digest(mac.encode(), expected.encode()) else None

    def facilitator_token(self) -> str:
        """The cookie value of a facilitator who gave the secret."""
        return self._mac("facilitator", self.facilitator_secret)

    def is_facilitator(self, token: str | None) -> bool:
        """Whether a cookie value is the facilitator's."""
        return bool(token) and hmac.compare_digest(
            str(token).encode(), self.facilitator_token().encode()
        )


def checked_code(code: str) -> str:
    """A join code chosen with ``--code``, normalised, or :class:`InputError` saying why not."""
    wanted = normalise_code(code)
    bad = sorted({ch for ch in wanted if ch not in CODE_ALPHABET})
    if len(wanted) < 4 or bad:
        raise InputError(
            "--code",
            f"{code!r} is not a join code: use 4-12 of {CODE_ALPHABET}"
            + (f" (not {', '.join(bad)})" if bad else ""),
        )
    if len(wanted) > 12:
        raise InputError("--code", f"{code!r} is too long to type: use 4-12 characters")
    return wanted


def keys_path(database: str | Path) -> Path:
    """Where the room's keys of an answer file live: ``acme.sqlite`` → ``acme.sqlite.room.json``."""
    database = Path(database)
    return database.with_name(database.name + ".room.json")


def load_keys(database: str | Path, *, code: str | None = None) -> RoomKeys:
    """The room keys of ``database``, created on first use and kept for later runs.

    ``code`` sets the join code (for instance one already printed on slides);
    changing it logs every participant out, since tokens are tied to the code.
    """
    path = keys_path(database)
    wanted = checked_code(code) if code is not None else None
    keys = _read(path) if path.exists() else None
    if keys is None or (wanted is not None and keys.code != wanted):
        keys = RoomKeys(
            code=wanted or (keys.code if keys else _new_code()),
            facilitator_secret=keys.facilitator_secret if keys else secrets.token_urlsafe(18),
            signing_key=keys.signing_key if keys else secrets.token_bytes(32),
            participant_link=keys.participant_link if keys else "",
        )
        _write(path, keys)
    return keys


def remember_link(database: str | Path, keys: RoomKeys, link: str) -> RoomKeys:
    """Keep the participant link a server prints, so the notebook's panel can show it too."""
    if keys.participant_link == link:
        return keys
    keys = dataclasses.replace(keys, participant_link=link)
    _write(keys_path(database), keys)
    return keys


def _read(path: Path) -> RoomKeys:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("format") != _KEYS_FORMAT:
            raise ValueError("not a room keys file")
        return RoomKeys(
            code=str(doc["code"]),
            facilitator_secret=str(doc["facilitator_secret"]),
            signing_key=_unb64(str(doc["signing_key"])),
            participant_link=str(doc.get("participant_link", "")),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(
            path, f"cannot read the room keys ({exc}); delete the file to issue a new join code"
        ) from None


def _write(path: Path, keys: RoomKeys) -> None:
    doc = {
        "format": _KEYS_FORMAT,
        "code": keys.code,
        "facilitator_secret": keys.facilitator_secret,
        "signing_key": _b64(keys.signing_key),
        "participant_link": keys.participant_link,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    # Owner-only from the first byte: the file holds the facilitator's secret.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, indent=2)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
