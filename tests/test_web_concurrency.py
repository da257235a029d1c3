"""The web answers many clients at once (web/queries.py holds no lock: index reads are thread-safe
by themselves), and `hparkiv serve --workers N` runs page searches in N worker processes
(web/workers.py): the same answers, errors in the user's language, and a worker that dies
costs at most the searches it was running."""

from __future__ import annotations

import os
import signal
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


def _children(pid: int) -> list[int]:
    """The processes `pid` started (Linux /proc)."""
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:  # the thread ended meanwhile
            continue
    return out


def _search_workers(pid: int) -> set[int]:
    """The server's spawned pool workers (search and render), not its resource tracker."""
    found = set()
    for child in _children(pid):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in cmdline:
            found.add(child)
    return found


@pytest.fixture(scope="module")
def served(data_dir) -> Iterator[tuple[subprocess.Popen, str]]:
    """`hparkiv serve --workers 2` in its own process, answering."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "search_cli", "--data-dir", str(data_dir.root), "serve",
                             "--port", str(port), "--workers", "2"], stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        try:
            return httpx.get(base + "/api/status", timeout=10).status_code == 200
        except httpx.TransportError:
            return False

    try:
        _wait_until(answers, "hparkiv serve --workers 2")
        yield proc, base
    finally:
        proc.terminate()
        _out, err = proc.communicate(timeout=60)
    assert "Traceback" not in err, err


def test_search_workers_answer_as_the_server_alone(base_url, served):
    _proc, base = served
    with httpx.Client(base_url=base_url, timeout=120) as alone, httpx.Client(base_url=base, timeout=120) as pooled:
        for url in URLS:
            assert pooled.get(url).json() == alone.get(url).json(), url
        # A query the parser refuses is raised in a worker and shown by the server, translated.
        for url in ["/search?q=%28sykehjem", "/api/search?q=sykehjem+%29", "/search?q=sykehjem+%29",
                    "/api/search?q=type%3Afoo"]:
            a, b = alone.get(url), pooled.get(url)
            assert (b.status_code, b.text) == (a.status_code, a.text) and a.status_code == 400, url
        assert pooled.get("/api/search?q=sykehjem+%29").json()["error"] == "Ugyldig søk: uventet ')'"


def test_a_dead_search_worker_costs_no_server(served):
    proc, base = served
    url = base + "/api/search?q=sykehjem"
    total = httpx.get(url, timeout=60).json()["total"]
    workers = _search_workers(proc.pid)
    assert len(workers) >= 2, workers
    for pid in workers:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    answers = []

    def answered_again() -> bool:
        r = httpx.get(url, timeout=60)
        answers.append(r.status_code)
        assert r.status_code in (200, 503), r.text
        return r.status_code == 200 and r.json()["total"] == total

    _wait_until(answered_again, "a search after its workers were killed")
    assert proc.poll() is None
    assert not workers & _search_workers(proc.pid)  # new workers took the killed ones' place
