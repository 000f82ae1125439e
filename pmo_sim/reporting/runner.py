"""Run one report notebook through papermill and return what it produced.

Parameters reach the notebook only through papermill's injection (a
``parameters``-tagged cell overridden by an injected one), never through code
built from strings. Paths are absolute, since papermill's ``cwd`` changes the
working directory of the whole process.

:func:`execute_report` runs in a worker (a local process or a Dask worker)
and returns the report and its files as bytes, so nothing depends on a
shared filesystem; :func:`publish` then writes them in the caller, each under
a temporary name renamed into place, the HTML last.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pmo_sim.bundled import bundled
from pmo_sim.files import atomic_write_bytes, atomic_write_text

__all__ = [
    "KERNEL_NAME",
    "NOTEBOOKS",
    "ReportRun",
    "execute_report",
    "publish",
]

KERNEL_NAME = "pmo-sim"
#: The bundled report notebooks (copies of those in ``notebooks/``).
NOTEBOOKS: Path = bundled("notebooks")
EXECUTION_TIMEOUT = 900  # seconds per cell


@dataclass
class ReportRun:
    """What one notebook run produced: the HTML and result files, or the error."""

    ok: bool
    html: str = ""
    files: dict[str, bytes] = field(default_factory=dict)
    error: str = ""
    executed_notebook: bytes | None = None
    seconds: float = 0.0
    attempts: int = 1


def _cell_error(exc: Exception) -> str:
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        return f"cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
    return f"{type(exc).__name__}: {exc}"


def _kernel_never_ran(exc: Exception, executed: Path) -> bool:
    """True when the kernel failed before running any cell (a start-up collision)."""
    from nbclient.exceptions import CellTimeoutError
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError | CellTimeoutError):
        return False
    if not executed.exists():
        return True
    import nbformat

    try:
        nb = nbformat.read(str(executed), as_version=4)
    except Exception:
        return True
    return not any(c.get("execution_count") for c in nb.cells if c.cell_type == "code")


def _ipc_kernel_manager(folder: Path) -> type:
    """A kernel manager talking to its kernel over Unix sockets in ``folder``.

    Parallel kernels on TCP can collide on ports and the kernel warns about
    unencrypted TCP on every start; sockets in a private folder avoid both.
    The kernel is this interpreter (``sys.executable``), whatever kernels are
    installed: a report runs the same pmo_sim as the command that asked for
    it, and a plain ``pip install`` needs no ``ipykernel install`` step.
    """
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import AsyncKernelManager

    spec = KernelSpec(
        argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        display_name="pmo-sim (Python 3)",
        language="python",
        name=KERNEL_NAME,
    )

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs: Any) -> None:
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", str(folder / "kernel"))
            super().__init__(**kwargs)

        @property
        def kernel_spec(self) -> KernelSpec:
            return spec

        async def _async_interrupt_kernel(self) -> None:
            # jupyter_client interrupts every kernel before shutting it down; an idle
            # report kernel then logs "KeyboardInterrupt caught in kernel" for nothing.
            # A busy one (a cell past its timeout) is still stopped: by the shutdown
            # request, then SIGTERM.
            if self.shutting_down:
                return
            await super()._async_interrupt_kernel()

    return IPCKernelManager


def execute_report(
    notebook: str | Path,
    parameters: dict[str, Any],
    title: str,
    timeout: int = EXECUTION_TIMEOUT,
) -> ReportRun:
    """Execute ``notebook`` with ``parameters`` and export it as report HTML.

    The notebook also receives ``output_dir``, a scratch folder: whatever it
    writes there (results JSON, CSVs) comes back in ``ReportRun.files``.
    A failure at kernel start is retried once.
    """
    import papermill as pm

    from pmo_sim.reporting.html import notebook_to_html

    start = time.perf_counter()
    source = Path(notebook)
    if not source.is_absolute():
        source = NOTEBOOKS / source
    work = Path(tempfile.mkdtemp(prefix="pmo-sim-report-"))
    executed = work / "executed.ipynb"
    files_dir = work / "files"
    files_dir.mkdir()
    params = {**parameters, "output_dir": str(files_dir)}
    attempts = 0
    try:
        while True:
            attempts += 1
            try:
                pm.execute_notebook(
                    str(source.resolve()),
                    str(executed),
                    parameters=params,
                    kernel_name=KERNEL_NAME,
                    progress_bar=False,
                    # saved after each cell, so a failure's notebook shows how far it got
                    request_save_on_cell_execute=True,
                    execution_timeout=timeout,
                    start_timeout=120,
                    kernel_manager_class=_ipc_kernel_manager(work),
                )
                break
            except Exception as exc:
                # Parallel kernels can collide on ports at start-up: retry that once.
                if attempts == 1 and _kernel_never_ran(exc, executed):
                    executed.unlink(missing_ok=True)
                    continue
                return ReportRun(
                    ok=False,
                    error=_cell_error(exc),
                    executed_notebook=executed.read_bytes() if executed.exists() else None,
                    seconds=time.perf_counter() - start,
                    attempts=attempts,
                )
        html = notebook_to_html(executed, title=title)
        files = {p.name: p.read_bytes() for p in sorted(files_dir.iterdir()) if p.is_file()}
        return ReportRun(
            ok=True,
            html=html,
            files=files,
            seconds=time.perf_counter() - start,
            attempts=attempts,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def publish(run: ReportRun, dest_dir: Path, stem: str) -> Path:
    """Write a successful run's files, then its HTML, into ``dest_dir``; return the HTML path."""
    if not run.ok:
        raise ValueError("only a successful run can be published")
    for name, data in run.files.items():
        atomic_write_bytes(dest_dir / name, data)
    html_path = dest_dir / f"{stem}.html"
    atomic_write_text(html_path, run.html)
    return html_path
