"""--scheduler: a bad address, a silent port or something that is not Dask exit 2 within seconds."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from pmo_sim.cli import main
from pmo_sim.cluster import parse_scheduler_address
from pmo_sim.errors import InputError


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("tcp://10.0.0.5:8786", ("tcp", "10.0.0.5", 8786)),
        ("10.0.0.5:8786", ("tcp", "10.0.0.5", 8786)),
        ("tls://sched.example.com:8786", ("tls", "sched.example.com", 8786)),
        ("tcp://[::1]:8786", ("tcp", "::1", 8786)),
    ],
)
def test_scheduler_addresses_that_are_accepted(text, parsed):
    assert parse_scheduler_address(text) == parsed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("notaurl", "needs a port"),
        ("tcp://127.0.0.1", "needs a port"),
        ("http://127.0.0.1:8787", "not http://"),
        ("tcp://127.0.0.1:99999", "from 1 to 65535"),
        ("tcp://127.0.0.1:port", "not a number"),
        ("tcp://a b:1", "expected an address"),
    ],
)
def test_scheduler_addresses_that_are_refused(text, message):
    with pytest.raises(InputError, match=message) as info:
        parse_scheduler_address(text)
    assert info.value.path == f"--scheduler {text}"


class _Server:
    """A TCP port that accepts and then says nothing, or answers garbage."""

    def __init__(self, reply: bytes | None) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.reply = reply
        self.conns: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)
            if self.reply is not None:
                conn.sendall(self.reply)

    def close(self) -> None:
        for c in [*self.conns, self.sock]:
            c.close()


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (None, "accepted the connection but did not answer as a Dask scheduler within 5 s"),
        (b"\xff" * 64 + b"HTTP/1.1 200 OK\r\n\r\n" * 8, "is not a Dask scheduler"),
    ],
    ids=["silent", "garbage"],
)
def test_a_port_that_is_not_dask_exits_2_within_seconds(root, capsys, reply, message):
    server = _Server(reply)
    try:
        address = f"tcp://127.0.0.1:{server.port}"
        start = time.perf_counter()
        args = ["simulate", str(root / "scenarios/baseline.yaml"), "-n", "2"]
        assert main([*args, "--scheduler", address]) == 2
        assert time.perf_counter() - start < 9
    finally:
        server.close()
    err = capsys.readouterr().err
    assert f"--scheduler {address}" in err and message in err and "Traceback" not in err


def test_nothing_listening_is_named_at_once(root, capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens on it
    start = time.perf_counter()
    assert main(["simulate", str(root / "scenarios/baseline.yaml"), "--scheduler",
                 f"tcp://127.0.0.1:{port}"]) == 2  # fmt: skip
    assert time.perf_counter() - start < 3
    assert "nothing is listening there" in capsys.readouterr().err
