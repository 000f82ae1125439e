"""Start the room: take the file's lock, load the keys, print the links, serve with uvicorn.

One process serves the whole room (uvicorn, one event loop). By default it
listens on 127.0.0.1 only, so nobody else on the network can reach it; for a
room of phones the facilitator says ``--host 0.0.0.0`` (every interface) or
the laptop's address on the room's Wi-Fi, and the printed participant link
uses that address.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pmo_sim.assessment.groups import STANDARD_GROUPS
from pmo_sim.assessment.questionnaire import Questionnaire
from pmo_sim.assessment.store import AnswerStore
from pmo_sim.errors import InputError
from pmo_sim.room.access import checked_code, load_keys, remember_link
from pmo_sim.room.lock import ServerLock

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "RoomLinks", "lan_address", "serve"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8800


@dataclass(frozen=True)
class RoomLinks:
    """What the facilitator needs from the terminal: the links and the code."""

    participant: str
    facilitator: str
    code: str


def lan_address() -> str:
    """This machine's address on its default network (no packet is sent), else 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: routing is looked up, nothing sent
            return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def _public_base(host: str, port: int, public_url: str | None) -> str:
    if public_url:
        return public_url.rstrip("/")
    shown = host
    try:
        if ipaddress.ip_address(host).is_unspecified:
            shown = lan_address()
    except ValueError:
        pass  # a host name: participants use it as given
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def _local_base(host: str, port: int) -> str:
    """Where the facilitator's own browser reaches the server."""
    try:
        local = ipaddress.ip_address(host)
        if local.is_unspecified or local.is_loopback:
            return f"http://127.0.0.1:{port}"
        return f"http://[{host}]:{port}" if local.version == 6 else f"http://{host}:{port}"
    except ValueError:
        return f"http://{host}:{port}"


def _check_port(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise InputError(
                "--port", f"cannot listen on {host}:{port} ({exc.strerror}); choose another --port"
            ) from None


def serve(
    database: str | Path,
    questionnaire: Questionnaire,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    code: str | None = None,
    public_url: str | None = None,
    groups: tuple[str, ...] | None = None,
    title: str = "",
    announce: Callable[[RoomLinks], None] | None = None,
) -> None:
    """Serve the room on ``database`` until interrupted (Ctrl-C stops it cleanly).

    Raises :class:`~pmo_sim.errors.InputError` when another server holds the file,
    the file is not a workshop database, or the code is not typable.
    """
    import uvicorn

    from pmo_sim.room.app import RoomConfig, create_app

    database = Path(database)
    if code is not None:
        checked_code(code)  # before anything is created beside the answer file
    _check_port(host, port)
    # A file that is not a workshop database is refused before anything is put beside it.
    AnswerStore(database, questionnaire).close()
    with ServerLock(database):
        keys = load_keys(database, code=code)
        base = _public_base(host, port, public_url)
        config = RoomConfig(
            database=database,
            questionnaire=questionnaire,
            keys=keys,
            public_url=base,
            groups=groups or STANDARD_GROUPS,
            title=title,
        )
        remember_link(database, keys, config.participant_link)
        app = create_app(config)
        links = RoomLinks(
            participant=config.participant_link,
            facilitator=f"{_local_base(host, port)}/facilitator?key={keys.facilitator_secret}",
            code=keys.display_code,
        )
        if announce is not None:
            announce(links)
        uvicorn.run(
            app,
            host=host,
            port=port,
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=3,
        )
