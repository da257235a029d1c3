"""A document in the web (web/documents.py, web/render.py), in process over the real sample
archive: its page with metadata, provenance and versions, our copy of the file, one page with the
query's words marked, its tables as the CLI's CSV, and page images cached (and checked) as WebP."""

from __future__ import annotations

import hashlib
import re

from markupsafe import escape
from processes import hparkiv
from starlette.testclient import TestClient
from webpage import EN, NB, cli_json, parsed

import catalog
from catalog import DataDir
from i18n import translations
from present.labels import provenance
from web import create_app


def test_document_page_metadata_provenance_links_versions_thumbnails(client, data_dir, a_hit):
    r = client.get(f"/doc/{a_hit['doc_id']}", headers=NB)
    assert r.status_code == 200
    shown = cli_json(data_dir, "show", a_hit["doc_id"], "--format", "json")
    assert shown["provenance"]
    for how in shown["provenance"].values():  # in the page's language, its quoted evidence as found
        assert str(escape(provenance(how, translations("nb").gettext))) in r.text
    assert "Hvordan det ble bestemt" in r.text
    page = parsed(r.text)
    assert shown["url"] in page.hrefs
    assert any(link["source_page"] in page.hrefs for link in shown["links"])
    thumbs = [s for s in page.srcs if re.fullmatch(rf"/doc/{a_hit['doc_id']}/page/\d+\.webp\?w=200", s)]
    assert len(thumbs) == shown["pages"]
    assert f"/doc/{a_hit['doc_id']}/file" in page.hrefs and "gjeldende versjon" in r.text


def test_superseded_versions_are_listed_and_marked(archive, tmp_path, a_hit):
    """A changed file at the same URL (recorded as the crawler records it) supersedes the old one;
    both pages show the history, the old one marked."""
    import shutil

    data = DataDir(tmp_path / "data")
    shutil.copytree(archive[0], data.root, symlinks=True)
    conn = catalog.connect(data)
    old = catalog.find_version(conn, a_hit["doc_id"])
    body = data.file_path(old.sha256).read_bytes() + b"\n% changed by the municipality\n"
    new_sha = data.store_bytes(body)
    assert catalog.record_version(conn, url=old.url, sha256=new_sha, size=len(body), media_type="pdf",
                                  content_type="application/pdf", etag=None, last_modified=None,
                                  meta={}, provenance={}) == "changed"
    conn.close()
    c = TestClient(create_app(data))
    r_old = c.get(f"/doc/{old.doc_id}", headers=NB)
    assert "erstattet" in r_old.text and f"/doc/{new_sha[:12]}" in parsed(r_old.text).hrefs
    r_new = c.get(f"/doc/{new_sha[:12]}", headers=NB)
    assert f"/doc/{old.doc_id}" in parsed(r_new.text).hrefs and "gjeldende versjon" in r_new.text


def test_download_our_copy_has_the_bytes_type_and_a_clean_name(client, data_dir, a_hit):
    r = client.get(f"/doc/{a_hit['doc_id']}/file")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(r.content).hexdigest().startswith(a_hit["doc_id"])
    name = re.search(r'filename="([^"]+)"', r.headers["content-disposition"]).group(1)
    assert re.fullmatch(r"[A-Za-z0-9._-]+\.pdf", name) and a_hit["doc_id"] in name


def test_page_view_highlights_the_matched_words_on_the_image_and_in_the_text(client, a_hit):
    r = client.get(f"/doc/{a_hit['doc_id']}", params={"page": a_hit["page"], "q": "sykehjem"}, headers=NB)
    assert r.status_code == 200
    rects = re.findall(r'<rect class="hl" [^>]*><title>([^<]+)</title>', r.text)
    assert rects and all("sykehjem" in w.lower() for w in rects)
    marks = parsed(r.text).marks
    assert {w.lower() for w in rects} <= {m.lower() for m in marks}
    # Compound parts count, as in the search: "sykehjemsplasser" is marked for "sykehjem".
    assert any(m.lower() != "sykehjem" for m in marks)
    assert f"/doc/{a_hit['doc_id']}/page/{a_hit['page']}.webp?w=1000" in r.text
    assert f"{a_hit['url']}#page={a_hit['page']}" in parsed(r.text).hrefs


def test_page_view_steps_between_hits_in_the_document(client, data_dir, a_hit):
    pages = sorted({h["page"] for h in cli_json(data_dir, "search", "sykehjem", "--format", "json")["hits"]
                    if h["doc_id"] == a_hit["doc_id"]})
    assert len(pages) > 1
    r = client.get(f"/doc/{a_hit['doc_id']}", params={"page": pages[0], "q": "sykehjem"})
    nxt = re.search(r'id="next-hit" href="([^"]+)"', r.text).group(1).replace("&amp;", "&")
    assert f"page={pages[1]}&" in nxt
    r2 = client.get(nxt)
    prev = re.search(r'id="prev-hit" href="([^"]+)"', r2.text).group(1).replace("&amp;", "&")
    assert f"page={pages[0]}&" in prev


def test_page_tables_as_html_and_csv_equal_to_the_cli(client, data_dir):
    conn = catalog.connect_readonly(data_dir)
    row = conn.execute("SELECT v.doc_id, t.page FROM tables t JOIN versions v USING (sha256) "
                       "WHERE t.caption IS NOT NULL AND t.unit IS NOT NULL LIMIT 1").fetchone()
    conn.close()
    r = client.get(f"/doc/{row['doc_id']}", params={"page": row["page"]}, headers=EN)
    assert '<table class="data">' in r.text
    captions = re.findall(r"<caption>(.*?)</caption>", r.text, re.S)
    conn = catalog.connect_readonly(data_dir)
    found = catalog.tables_of(conn, catalog.find_version(conn, row["doc_id"]).sha256, row["page"])
    conn.close()
    assert found and len(captions) == len(found)
    for t, caption in zip(found, captions, strict=True):  # numbered as the CSV, with caption and unit
        # ours, or the document's own of the same number ("Tabell 1 Hovedtall"), never both
        assert caption.startswith((f"Table {t.index + 1}", f"Tabell {t.index + 1} ")), caption
        assert not caption.startswith(f"Table {t.index + 1}: Tabell {t.index + 1} ")
        for part in (t.caption, t.unit):
            assert part is None or str(escape(part)) in caption
    if any(v is not None for t in found for row in t.values for v in row):
        assert '<td class="num">' in r.text  # amounts right-aligned
    web = client.get(f"/doc/{row['doc_id']}/tables.csv", params={"page": row["page"]})
    assert web.headers["content-type"].startswith("text/csv")
    proc = hparkiv(data_dir.root, "tables", row["doc_id"], "--page", str(row["page"]), "--format", "csv")
    assert web.text.replace("\r\n", "\n") == proc.stdout.replace("\r\n", "\n") != ""


def test_page_images_are_cached_webp_and_thumbnails_small(client, data_dir, a_hit):
    url = f"/doc/{a_hit['doc_id']}/page/{a_hit['page']}.webp"
    r = client.get(url, params={"w": 200})
    assert r.status_code == 200 and r.headers["content-type"] == "image/webp"
    assert r.content[:4] == b"RIFF" and r.content[8:12] == b"WEBP" and len(r.content) < 30_000
    # this document's page (the worker's archive is shared: other modules render other pages)
    cached = list(data_dir.renders.rglob(f"{a_hit['doc_id']}*-{a_hit['page']}-200.webp"))
    assert cached and cached[0].read_bytes() == r.content
    assert client.get(url, params={"w": 1000}).status_code == 200


def test_check_knows_the_render_cache_and_repair_cleans_it(archive, tmp_path, a_hit):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(archive[0], data, symlinks=True)
    c = TestClient(create_app(DataDir(data)))
    assert c.get(f"/doc/{a_hit['doc_id']}/page/1.webp").status_code == 200
    kept = next(DataDir(data).renders.rglob("*.webp"))
    orphan = DataDir(data).renders / "ff" / ("f" * 64 + "-1-200.webp")
    orphan.parent.mkdir(parents=True, exist_ok=True)  # other modules may have rendered pages there
    orphan.write_bytes(b"RIFF")
    proc = hparkiv(data, "check")
    assert proc.returncode == 1 and "stray page image:" in proc.stdout, proc.stdout
    proc = hparkiv(data, "check", "--repair")
    assert "(repaired)" in proc.stdout and not orphan.exists() and kept.exists()
    assert hparkiv(data, "check").returncode == 0
