"""``pmo-sim workshop serve``: the room's participant pages and the facilitator's board.

Prints the participant link (with the join code, for the QR code), the code
itself and the facilitator's link, then serves until Ctrl-C. Every answer goes
into the answer file given, which ``pmo-sim assess`` scores afterwards.
"""

from __future__ import annotations

from pathlib import Path

import typer

from pmo_sim.errors import InputError

workshop_app = typer.Typer(
    help="Run a maturity workshop: participants answer on their phones.", no_args_is_help=True
)


@workshop_app.command("serve")
def serve_command(
    database: Path = typer.Argument(
        ..., help="The engagement's answer file (.sqlite), created when missing."
    ),
    questionnaire: Path | None = typer.Option(
        None, "--questionnaire", "-q", help="Questionnaire YAML. Default: the bundled one."
    ),
    host: str = typer.Option(
        "127.0.0.1",
        "--host",
        help="Address to listen on. 127.0.0.1: this laptop only; 0.0.0.0: the room's network.",
    ),
    port: int = typer.Option(8800, "--port", min=1, max=65535, help="Port to listen on."),
    code: str | None = typer.Option(
        None, "--code", help="Join code to use (default: kept from the last run, else new)."
    ),
    public_url: str | None = typer.Option(
        None,
        "--public-url",
        help="Base address participants use, e.g. http://10.0.0.5:8800 (default: found).",
    ),
    group: list[str] | None = typer.Option(
        None, "--group", help="A group offered on the join page (repeat; default: the five)."
    ),
    client: str | None = typer.Option(None, "--client", help="Client name shown on the pages."),
) -> None:
    """Serve the participant pages and the facilitator's board on an answer file."""
    from pmo_sim.assessment.questionnaire import load_questionnaire
    from pmo_sim.room.server import RoomLinks, serve

    if database.suffix.lower() not in (".sqlite", ".db"):
        raise InputError(database, "the answer file must end in .sqlite or .db")
    loaded = load_questionnaire(questionnaire)
    groups = tuple(g.strip() for g in group or () if g.strip())
    if public_url is not None and not public_url.startswith(("http://", "https://")):
        raise InputError("--public-url", f"{public_url!r} must start with http:// or https://")

    def announce(links: RoomLinks) -> None:
        typer.echo(f"Workshop answers: {database}")
        typer.echo(f"Participants:     {links.participant}")
        typer.echo(f"Join code:        {links.code}")
        typer.echo(f"Facilitator:      {links.facilitator}")
        typer.echo("  (keep the facilitator link to yourself; Ctrl-C stops the server)")
        if host in ("127.0.0.1", "localhost", "::1"):
            typer.echo(
                "  Serving this laptop only: add --host 0.0.0.0 (make: WORKSHOP_IP=0.0.0.0)"
                " for the room's network."
            )

    serve(
        database,
        loaded,
        host=host,
        port=port,
        code=code,
        public_url=public_url,
        groups=groups or None,
        title=client or "",
        announce=announce,
    )


def register(app: typer.Typer) -> None:
    """Add ``pmo-sim workshop`` to the CLI."""
    app.add_typer(workshop_app, name="workshop")
