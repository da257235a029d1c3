"""The web answers many clients at once (web/queries.py holds no lock: index reads are thread-safe
by themselves), and `hparkiv serve --workers N` runs N server processes on one port."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from catalog import DataDir
from web import create_app

CLIENTS = 8
ROUNDS = 6
URLS = ["/api/search?q=sykehjem", "/api/search?q=barnehage&year=2021", "/api/search?q=%22Carpe+Diem%22",
        "/api/trend?q=budsjett", "/api/vedtak?q=budsjett", "/api/vedtak?party=Ap&outcome=falt",
        "/api/search?q=skole+OR+helse&sort=newest"]


@pytest.fixture(scope="module")
def data_dir(archive) -> DataDir:
    return DataDir(Path(archive[0]))


def _wait_until(ready, what: str, limit: float = 120) -> None:
    """Wait for a state (the server listening), with a limit that only a hung server reaches."""
    deadline = time.monotonic() + limit
    while not ready():
        assert time.monotonic() < deadline, f"{what} never became ready"
        time.sleep(0.05)


@pytest.fixture(scope="module")
def base_url(data_dir) -> Iterator[str]:
    """The app under uvicorn in this process (a thread), as `hparkiv serve` runs it."""
    server = uvicorn.Server(uvicorn.Config(create_app(data_dir), host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    _wait_until(lambda: server.started, "uvicorn")
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=60)


def test_many_clients_at_once_get_what_one_client_alone_gets(base_url):
    with httpx.Client(base_url=base_url, timeout=120) as alone:
        expected = {u: alone.get(u).json() for u in URLS}
    assert all(e.get("total") or e.get("years") for e in expected.values())
    start = threading.Barrier(CLIENTS)
    failures: list[str] = []

    def client(n: int) -> None:
        with httpx.Client(base_url=base_url, timeout=120) as c:
            start.wait()
            for i in range(ROUNDS):
                url = URLS[(n + i) % len(URLS)]
                r = c.get(url)
                if r.status_code != 200 or r.json() != expected[url]:
                    failures.append(f"client {n}: {url}: {r.status_code} {r.text[:200]}")

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, "\n".join(failures[:5])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_with_several_worker_processes(data_dir):
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "search_cli", "--data-dir", str(data_dir.root), "serve",
                             "--port", str(port), "--workers", "2"], stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/api/search?q=sykehjem"

    def answers() -> bool:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        try:
            return httpx.get(url, timeout=10).status_code == 200
        except httpx.TransportError:
            return False

    try:
        _wait_until(answers, "hparkiv serve --workers 2")
        totals = {httpx.get(url, timeout=60).json()["total"] for _ in range(8)}  # connections land on either process
        assert len(totals) == 1 and totals.pop() > 0
    finally:
        proc.terminate()
        _out, err = proc.communicate(timeout=60)
    assert "Traceback" not in err, err
