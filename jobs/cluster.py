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

Here: the commands (`up`, `down`, `status`, `running_urls`) and the command line; the state
(`Cluster`, `cluster.json`, the layout, ports) is jobs/cluster_state.py, the nodes' processes
(artifacts, JVM command, start, stop, health) jobs/cluster_nodes.py. All three are stdlib only.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from jobs.cluster_nodes import fetch, health, log_tail, pid_of, start_node, stop_node, wait_for
from jobs.cluster_state import (
    DIR_ENV,
    HEAP_DATA,
    HEAP_MANAGER,
    Cluster,
    ClusterError,
    assign_ports,
    default_dir,
    layout,
    port_free,
)

URL_ENV = "HPARKIV_OPENSEARCH_URL"


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
