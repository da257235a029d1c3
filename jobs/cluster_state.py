"""A local cluster's state (jobs/cluster.py): its directory, `cluster.json` (name, nodes, roles,
heaps, ports), where clusters live by default, the nodes' layout, and free loopback ports.
Stdlib only: it runs before the venv exists."""

from __future__ import annotations

import json
import os
import socket
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DIR_ENV = "HPARKIV_CLUSTER_DIR"

# Heaps: the data nodes hold the shards, the manager-only node only the cluster state.
HEAP_DATA = "512m"
HEAP_MANAGER = "256m"


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


# --- ports ---------------------------------------------------------------------------------


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


def assign_ports(cluster: Cluster) -> None:
    ports = free_ports(2 * len(cluster.nodes))
    for i, node in enumerate(cluster.nodes):
        node.http_port, node.transport_port = ports[2 * i], ports[2 * i + 1]
    cluster.save()

