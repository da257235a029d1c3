"""The Framsikt replica (sample/platforms/framsikt.py) read with plain HTTP the documented way:
publications as their truth, the planted broken blocks, the publication URL's shell, and a
republished snapshot with new text, figures and ETags."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from loopback import fetch

from sample import Truth, serve
from sample.platforms import framsikt
from sample.platforms.answers import Answers
from sample.platforms.einnsyn import visible_text


def framsikt_pages(server, pub: dict) -> list[dict]:
    """Read a publication the documented way: content.html, then each dataId's description.json."""
    base = server.base_url("framsikt")
    content = fetch(base + pub["content_html"])[2].decode()
    pages: list[dict] = []
    for m in re.finditer(r'class="row h([1-6])"[^>]*>([^<]*)</div>|dataId="([^"]+)"|tableId="([^"]+)"', content):
        if m.group(1):
            heading = html.unescape(m.group(2))
            if int(m.group(1)) <= 2:
                pages.append({"heading": heading, "headings": [heading], "text": [], "tables": []})
            else:
                pages[-1]["headings"].append(heading)
        elif m.group(3):
            status, _, body = fetch(f"{base}{pub['path']}/content/text{m.group(3)}/description.json")
            if status != 200:
                continue
            try:
                description = json.loads(body)["description"]
            except json.JSONDecodeError:
                continue
            if description is not None:
                pages[-1]["text"].append(visible_text(description))
        else:
            pages[-1]["tables"].append(json.loads(fetch(f"{base}{pub['path']}/content/table/{m.group(4)}/data.json")[2]))
    return pages


def test_framsikt_publications_read_as_their_truth(kommuner_server, kommuner_answers: Answers) -> None:
    fs = kommuner_answers.framsikt
    assert len(fs["publications"]) == 2 and fs["unverified"]
    for pub in fs["publications"]:
        read = framsikt_pages(kommuner_server, pub)
        truth_pages = pub["pages"]
        assert [p["heading"] for p in read] == [p["heading"] for p in truth_pages]
        for got, want in zip(read, truth_pages, strict=True):
            assert got["headings"] == want["headings"]
            assert got["text"] == want["text"], want["heading"]
            assert got["tables"] == [{k: v for k, v in t.items() if k not in ("id",)} for t in want["tables"]]
        assert "3.1 Oppvekst & utdanning" in [p["heading"] for p in read]
        tree = json.loads(fetch(kommuner_server.base_url("framsikt") + pub["tree_json"])[2])
        assert [n["title"] for n in tree["nodes"]] == [p["heading"] for p in truth_pages if p["level"] == 1]


def test_framsikt_broken_blocks_fail_as_planted(kommuner_server, kommuner_answers: Answers) -> None:
    base = kommuner_server.base_url("framsikt")
    for pub in kommuner_answers.framsikt["publications"]:
        kinds = {}
        for page in pub["pages"]:
            for block in page["blocks"]:
                if block["kind"] != "text":
                    continue
                status, _, body = fetch(f"{base}{pub['path']}/content/text/{block['id']}/description.json")
                kinds[block["broken"]] = kinds.get(block["broken"], 0) + 1
                if block["broken"] == "gone":
                    assert status == 404
                elif block["broken"] == "null":
                    assert json.loads(body) == {"description": None}
                elif block["broken"] == "invalid":
                    with pytest.raises(json.JSONDecodeError):
                        json.loads(body)
                else:
                    assert status == 200 and json.loads(body)["description"]
        assert kinds["gone"] == kinds["null"] == kinds["invalid"] == 1
    gone = kommuner_answers.framsikt["gone_publication"]
    assert fetch(base + gone["path"])[0] == 404


def test_framsikt_publication_url_redirects_to_its_shell(kommuner_server, kommuner_truth: Truth) -> None:
    for doc in (d for d in kommuner_truth.documents if d.platform == "framsikt"):
        status, headers, _ = fetch(kommuner_server.original_url(doc), follow=False)
        assert status == 301 and headers["Location"] == kommuner_server.base_url("framsikt") + doc.final_path
    page = fetch(kommuner_server.base_url("malvik") + framsikt.CMS_PAGE)[2].decode()
    assert "#/" in page and ".pdf" not in page.lower()


def test_framsikt_republished_snapshot_changes_text_figures_and_etags(kommuner_dir: Path,
                                                                      kommuner_answers: Answers) -> None:
    pub = next(p for p in kommuner_answers.framsikt["publications"] if p["key"] == "framsikt-forslag")
    snap = pub["snapshots"]["b"]
    with serve(kommuner_dir) as srv:  # a server of its own: the module's server keeps snapshot a
        base = srv.base_url("framsikt")
        before = {path: fetch(base + path) for path in pub["snapshots"]["a"]}
        changed = framsikt.republish(srv, kommuner_dir)
        assert sorted(changed) == sorted(c["path"] for c in snap["changed"])
        for path, (_, headers, body) in before.items():
            status, _, new = fetch(base + path, {"If-None-Match": headers["ETag"]})
            if path in changed:
                assert status == 200 and new != body, path
            else:
                assert status == 304, path
        read = framsikt_pages(srv, pub)
    assert [p["text"] for p in read] == [p["text"] for p in snap["pages"]]
    assert snap["differs"] and snap["differs"] == [
        n + 1 for n, (a, b) in enumerate(zip(pub["pages"], snap["pages"], strict=True)) if a != b]

    def kulturskole(pages: list[dict]) -> list[int]:
        return next(r["values"] for p in pages for t in p["tables"] for r in t["rows"] if r["label"] == "Kulturskole")

    assert kulturskole(snap["pages"])[2] - kulturskole(pub["pages"])[2] == 300_000
