"""Run `hparkiv` as a real process (as a user would), kill it, compare archives.

The CLI runs in its own process group (`start_new_session=True`) so that a kill -9 of the
group also takes the crawler child and the extraction workers with it, as a power cut or
an OOM kill of the whole job would.
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sample.server import SampleServer

REPO = Path(__file__).resolve().parent.parent  # tests/ is one level below the repo
VOLATILE = {"first_seen", "last_seen", "score"}  # differ between two correct runs


def env_for(data_dir: Path) -> dict[str, str]:
    """The environment of a child `hparkiv`: our code importable, no debug tracebacks, English."""
    env = {**os.environ, "HPARKIV_DATA_DIR": str(data_dir), "COLUMNS": "120",
           "PYTHONPATH": str(REPO), "LANG": "C.UTF-8"}
    for var in ("HPARKIV_DEBUG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):  # English unless a test says --lang
        env.pop(var, None)
    return env


def hparkiv(data_dir: Path, *args: str, check: bool = False, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run `python -m search_cli ARGS` on a data dir and wait for it (killed after timeout).

    With `check`, a non-zero exit fails the test with the end of stderr.
    """
    proc = start(data_dir, *args)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        out, err = proc.communicate()
        raise AssertionError(f"hparkiv {' '.join(args)} hung for {timeout} s:\n{err[-2000:]}") from None
    if check and proc.returncode != 0:
        raise AssertionError(f"hparkiv {' '.join(args)} exited {proc.returncode}:\n{err[-3000:]}")
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def start(data_dir: Path, *args: str) -> subprocess.Popen[str]:
    """Start `hparkiv ARGS` in its own process group (so kill_group reaches its children)."""
    return subprocess.Popen([sys.executable, "-m", "search_cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env_for(data_dir), cwd=data_dir.parent,
                            start_new_session=True)


def kill_group(proc: subprocess.Popen[str], wait: float = 10) -> None:
    """kill -9 the whole process group, and wait until none of it is left."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.02)
    raise AssertionError(f"process group {proc.pid} survived kill -9")


def update_args(server: SampleServer) -> list[str]:
    """`update` against a running sample server, with no politeness delay."""
    portal_host = server.portal_url.split("://", 1)[1]
    return ["update", "--start-url", server.landing_url, "--allow-host", portal_host,
            "--wayback", server.wayback_url, "--delay", "0"]


def _path_of(url: str | None) -> str | None:
    """A URL without scheme, host and port (they change with every server instance)."""
    if not url:
        return url
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def normalized_list(data_dir: Path) -> list[dict[str, Any]]:
    """`hparkiv list --all-versions --format json`, sorted, with volatile fields dropped."""
    proc = hparkiv(data_dir, "list", "--all-versions", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    rows = []
    for row in json.loads(proc.stdout):
        row = {k: v for k, v in row.items() if k not in VOLATILE}
        row["url"] = _path_of(row["url"])
        rows.append(row)
    return sorted(rows, key=lambda r: r["sha256"])


def normalized_search(data_dir: Path, query: str) -> dict[str, Any]:
    """`hparkiv search QUERY --format json` as (total, facets, the set of hit keys)."""
    proc = hparkiv(data_dir, "search", query, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    hits = sorted((h["doc_id"], h["page"], _path_of(h["url"]), h["title"]) for h in result["hits"])
    return {"total": result["total"], "facets": result["facets"], "hits": hits}


# --- `hparkiv serve` on a port of its own ---------------------------------------------------------

PORT_SLICE = 1000  # ports per xdist worker


def free_port() -> int:
    """A free loopback port for a server a test starts next, as a separate process.

    It is drawn below the kernel's ephemeral range (which bind(0) and every client socket
    draw from, so nothing else on the machine takes it between now and the server's own
    bind) and from this xdist worker's own slice (so no other worker draws it).
    """
    try:
        ephemeral_low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        ephemeral_low = 32768
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    n = int(worker[2:]) if worker[2:].isdigit() else 0
    low = 10000 + n * PORT_SLICE
    if low + PORT_SLICE > ephemeral_low:  # more workers than slices: the kernel's choice, as before
        return _kernel_port()
    for port in random.sample(range(low, low + PORT_SLICE), PORT_SLICE):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    return _kernel_port()


def _kernel_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_serve(data_dir: Path, *args: str, host: str = "127.0.0.1", attempts: int = 5,
                wait: float = 120) -> tuple[subprocess.Popen[str], str]:
    """`hparkiv serve` in its own process on a free port, once it answers: (process, base URL).

    A server that exits before it answers (its port was taken after all) is started again
    on another port. Readiness is a state: our process is alive and answers /status.
    """
    import httpx

    for _ in range(attempts):
        port = free_port()
        proc = subprocess.Popen([sys.executable, "-m", "search_cli", "--data-dir", str(data_dir), "serve",
                                 "--host", host, "--port", str(port), *args],
                                stderr=subprocess.PIPE, text=True, env=env_for(data_dir))
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + wait
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                if httpx.get(base + "/status", timeout=10).status_code == 200 and proc.poll() is None:
                    return proc, base
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        if proc.poll() is None:
            stop_serve(proc)
            raise AssertionError(f"hparkiv serve did not answer within {wait} s")
        err = proc.stderr.read() if proc.stderr else ""
        if "address already in use" not in err.lower():
            raise AssertionError(f"hparkiv serve exited {proc.returncode}:\n{err[-2000:]}")
    raise AssertionError(f"hparkiv serve found no free port in {attempts} attempts")


def stop_serve(proc: subprocess.Popen[str]) -> str:
    """Stop a server started by start_serve (SIGTERM: it shuts down cleanly); returns its stderr."""
    proc.terminate()
    try:
        _out, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        _out, err = proc.communicate()
    return err or ""
