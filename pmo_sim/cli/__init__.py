"""The ``pmo-sim`` command line.

Commands live in one module each beside this file and register themselves on
:data:`app`. Bad input is handled here, once: an
:class:`~pmo_sim.errors.InputError` from any command becomes one message on
stderr and exit status 2; ``--debug`` adds the traceback.
"""

from __future__ import annotations

import importlib
import sys
import traceback

import typer

from pmo_sim._version import __version__
from pmo_sim.errors import InputError

__all__ = ["app", "main"]

EXIT_INPUT = 2

app = typer.Typer(
    name="pmo-sim",
    help="Assess PMO maturity, simulate portfolio capacity, and produce client reports.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"pmo-sim {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
    debug: bool = typer.Option(False, "--debug", help="Show a traceback on errors."),
) -> None:
    """Assess PMO maturity, simulate portfolio capacity, and produce client reports."""


# One module per command group; each defines register(app).
COMMAND_MODULES = (
    "validate",
    "inspect",
    "assess",
    "report",
    "simulate",
    "business_case",
    "sweep",
    "workshop",
    "calibrate",
)

for _name in COMMAND_MODULES:
    importlib.import_module(f"pmo_sim.cli.{_name}").register(app)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit status.

    The one place bad input becomes a message and status 2. Commands signal
    other failures with ``typer.Exit(code)``; usage errors are typer's (status 2).
    """
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        app(args=args, prog_name="pmo-sim")
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except InputError as exc:
        if debug:
            traceback.print_exc()
        typer.secho(f"error: {exc}", fg="red", err=True)
        return EXIT_INPUT
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
