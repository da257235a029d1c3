"""Hostile input: a site serving traversal URLs, poisoned headers, fake PDFs and parser bombs.

`hparkiv update` must finish in bounded time, write nothing outside its data dir, record
every document (with a reason when it failed), and never let a control character from the
web reach the terminal through `search`, `show` or `list`.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from processes import hparkiv

from sample.hostile import HOSTILE

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
FAILS = {"html-as-pdf", "zip-as-pdf", "exe-as-pdf", "cyclic"}  # recorded as failed, with a reason
MAYBE_EMPTY = {"nested"}  # no text, or failed: either way recorded


@pytest.fixture(scope="module")
def hostile_archive(hostile_update: dict) -> dict:
    """The hostile site's update (run once per test run, conftest.hostile_update)."""
    return hostile_update


def test_update_completes(hostile_archive: dict) -> None:
    """It ends by itself (`hparkiv` fails the test past its timeout) and says nothing to a user's face."""
    proc = hostile_archive["proc"]
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr


def test_nothing_written_outside_the_data_dir(hostile_archive: dict) -> None:
    assert hostile_archive["after"] == hostile_archive["before"]
    assert not Path("/tmp/hparkiv-evil.pdf").exists()
    data = hostile_archive["shared"]
    for path in data.rglob("*"):
        assert path.resolve().is_relative_to(data.resolve()), path
        assert "evil" not in path.name and "passwd" not in path.name and "shadow" not in path.name
    names = {p.name for p in (data / "files").rglob("*") if p.is_file()}
    assert {hashlib.sha256(h.body).hexdigest() for h in HOSTILE} <= names  # stored, so there is something to check
    assert all(re.fullmatch(r"[0-9a-f]{64}", n) for n in names), names


def test_every_hostile_document_is_recorded_with_a_reason(hostile_archive: dict) -> None:
    data = hostile_archive["data"]
    rows = {r["sha256"]: r for r in json.loads(hparkiv(data, "list", "--format", "json").stdout)}
    for h in HOSTILE:
        sha = hashlib.sha256(h.body).hexdigest()
        assert sha in rows, f"{h.name} not recorded"
        row = rows[sha]
        if h.name in FAILS:
            assert row["status"] == "failed" and row["error"], (h.name, row)
        elif h.name in MAYBE_EMPTY:
            assert row["status"] in ("no_text", "failed") and row["error"], (h.name, row)
        else:
            assert row["status"] == "ok", (h.name, row)
            assert row["pages"] == 1, (h.name, row)  # a /Count of ten million is not believed


@pytest.mark.parametrize("args", [
    ("search", "sykehjem"), ("search", "sykehjem", "--format", "csv"), ("search", "sykehjem", "--format", "jsonl"),
    ("search", "pwned"), ("search", "script"), ("list",), ("status",), ("trend", "sykehjem"),
])
def test_no_control_characters_reach_the_terminal(hostile_archive: dict, args: tuple[str, ...]) -> None:
    proc = hparkiv(hostile_archive["data"], *args)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.replace("\r\n", "\n") if "csv" in args else proc.stdout
    assert out.strip(), "something was printed to check"
    assert not CONTROL.search(out), repr(CONTROL.findall(out))
    assert not CONTROL.search(proc.stderr)


def test_show_of_every_document_is_clean(hostile_archive: dict) -> None:
    data = hostile_archive["data"]
    for row in json.loads(hparkiv(data, "list", "--format", "json").stdout):
        args = ("show", row["doc_id"]) + (("--page", "1") if row["pages"] else ())
        proc = hparkiv(data, *args)
        assert proc.returncode == 0, proc.stderr
        assert not CONTROL.search(proc.stdout), (row["doc_id"], repr(CONTROL.findall(proc.stdout)))
        assert "pwned" not in row["title"] and "\x1b" not in row["title"]


def test_check_passes_after_hostile_input(hostile_archive: dict) -> None:
    proc = hparkiv(hostile_archive["data"], "check")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_control_characters_in_pdf_text_are_dropped_not_kept_as_cid(hostile_archive: dict) -> None:
    data = hostile_archive["data"]
    rows = json.loads(hparkiv(data, "list", "--format", "json").stdout)
    escapes = next(r for r in rows if r["url"].endswith("/escapes.pdf"))
    shown = json.loads(hparkiv(data, "show", escapes["doc_id"], "--page", "1", "--format", "json").stdout)
    text = shown["pages_text"][0]["text"]
    assert "(cid:" not in text and "<script>" in text, text
