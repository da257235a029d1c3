"""The web UI in a real browser: Debian's headless Chromium driven by Playwright (no browser
download) against a real `hparkiv serve` on loopback. A failing test saves a screenshot."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from processes import hparkiv, start_serve, stop_serve

pytestmark = pytest.mark.slow

ATOM = "{http://www.w3.org/2005/Atom}"
DOCS = Path(__file__).parents[1] / "docs"


@pytest.fixture(scope="module")
def server(archive) -> Iterator[str]:
    proc, base = start_serve(Path(archive[0]))
    yield base
    stop_serve(proc)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("Debian's chromium is missing: run `sudo make system-deps` (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield b
        b.close()


@pytest.fixture
def page(browser, request, tmp_path_factory):
    """A fresh page in Norwegian; CSP violations and script errors are collected; a failing
    test leaves a screenshot (its path is printed)."""
    context = browser.new_context(locale="nb-NO", extra_http_headers={"Accept-Language": "nb-NO,nb;q=0.9"},
                                  accept_downloads=True, viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    pg.problems = []  # type: ignore[attr-defined]
    pg.on("console", lambda m: m.type == "error" and pg.problems.append(m.text))  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.problems.append(str(e)))  # type: ignore[attr-defined]
    pg.dialogs = []  # type: ignore[attr-defined]
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
    yield pg
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        shots = tmp_path_factory.getbasetemp() / "screenshots"
        shots.mkdir(exist_ok=True)
        path = shots / f"{request.node.name}.png"
        pg.screenshot(path=str(path), full_page=True)
        print(f"screenshot of the failure: {path}")
    context.close()


def _total(pg) -> int:
    return int(re.search(r"(\d+) sider treffer", pg.inner_text("#total")).group(1))


def test_type_a_query(page, server):
    page.goto(server + "/")
    page.fill("#q", "sykehjem")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"/search\?q=sykehjem"))
    assert page.locator(".pagehit").count() == 20
    marks = page.locator(".snippet mark").all_inner_texts()
    assert marks and all("sykehjem" in m.lower() for m in marks)
    page.wait_for_function("() => { const i = document.querySelector('img.thumb');"
                           " return i && i.complete && i.naturalWidth > 0; }")
    assert not page.problems, page.problems
    if os.environ.get("HPARKIV_DOCS_SCREENSHOT"):  # README's picture, taken on purpose
        from PIL import Image

        page.set_viewport_size({"width": 1100, "height": 760})
        page.wait_for_function("() => [...document.querySelectorAll('img.thumb')].slice(0, 4)"
                               ".every(i => i.complete && i.naturalWidth > 0)")
        path = DOCS / "web-search.png"
        page.screenshot(path=str(path))
        Image.open(path).convert("RGB").quantize(colors=64).save(path, optimize=True)


def test_click_a_facet_and_remove_it(page, server):
    page.goto(server + "/search?q=sykehjem")
    before = _total(page)
    facet = page.locator("nav.facets section").first.locator("a").first
    value = facet.inner_text()
    facet.click()
    page.wait_for_function(f"() => document.querySelector('#total').innerText.indexOf('{before} ') !== 0")
    narrowed = _total(page)
    assert 0 < narrowed < before and "year=" in page.url
    chip = page.locator(".active-filters a.chip")
    assert chip.count() == 1 and value in chip.inner_text()
    chip.click()
    page.wait_for_function("() => !document.querySelector('.active-filters')")
    assert _total(page) == before and "year=" not in page.url
    assert not page.problems, page.problems


def test_open_a_hit_and_see_the_highlighted_page_image(page, server):
    page.goto(server + "/search?q=sykehjem")
    page.locator(".pagehit").first.click()
    page.wait_for_url(re.compile(r"/doc/[0-9a-f]{12}\?page=\d+&q=sykehjem"))
    boxes = page.locator("svg rect.hl")
    assert boxes.count() > 0
    box = boxes.first.bounding_box()
    assert box and box["width"] > 5 and box["height"] > 3  # drawn at the word, not a dot
    href = page.locator("svg image").get_attribute("href")
    image = page.request.get(server + href)
    assert image.status == 200 and image.headers["content-type"] == "image/webp"
    assert page.locator(".pagetext mark").count() >= boxes.count() > 0
    assert not page.problems, page.problems


def test_step_to_the_next_hit(page, server):
    page.goto(server + "/search?q=sykehjem")
    page.locator(".pagehit").first.click()
    page.wait_for_url(re.compile(r"/doc/[0-9a-f]{12}\?page=\d+&q=sykehjem"))  # the page loaded, not a moment later
    first = int(re.search(r"page=(\d+)", page.url).group(1))
    nxt = page.locator("#next-hit")
    assert nxt.count() == 1
    nxt.click()
    page.wait_for_url(re.compile(rf"page=(?!{first}&)\d+"))
    assert int(re.search(r"page=(\d+)", page.url).group(1)) > first
    assert page.locator("svg rect.hl").count() > 0 and page.locator("#prev-hit").count() == 1


def test_download_the_csv_and_compare_it_with_the_cli(page, server, archive):
    page.goto(server + "/search?q=barnehage")
    with page.expect_download() as got:
        page.locator(".exports a", has_text="CSV").first.click()
    download = got.value
    assert download.suggested_filename == "search.csv"
    web_rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    cli = hparkiv(Path(archive[0]), "search", "barnehage", "--format", "csv")
    assert web_rows == list(csv.reader(io.StringIO(cli.stdout))) and len(web_rows) > 21


def test_fetch_the_atom_feed_and_parse_it(page, server):
    page.goto(server + "/search?q=sykehjem")
    href = page.locator('link[rel="alternate"][type="application/atom+xml"]').get_attribute("href")
    r = page.request.get(server + href)
    assert r.status == 200
    feed = ET.fromstring(r.body())
    entries = feed.findall(f"{ATOM}entry")
    assert entries and feed.find(f"{ATOM}title").text == "hparkiv: sykehjem"
    link = entries[0].find(f"{ATOM}link").get("href")
    page.goto(link)
    assert page.locator("svg rect.hl").count() > 0


def _tab_to(page, selector: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement && document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_the_whole_search_with_the_keyboard_only(page, server):
    page.goto(server + "/")
    _tab_to(page, "#q")
    page.keyboard.type("sykehjem")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=sykehjem"))
    before = _total(page)
    _tab_to(page, "nav.facets a")
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.querySelector('#total').innerText.indexOf('{before} ') !== 0")
    assert _total(page) < before
    _tab_to(page, "a.pagehit")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # the focus is visible
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/doc/[0-9a-f]{12}\?page=\d+"))
    assert page.locator("svg rect.hl").count() > 0
    _tab_to(page, "a")  # the skip link comes first
    assert page.evaluate("document.activeElement.className") == "skip"
    assert not page.problems, page.problems


def test_a_hostile_documents_text_does_not_execute(page, hostile_update):
    proc, base = start_serve(hostile_update["data"])
    try:
        import httpx

        docs = httpx.get(base + "/api/documents").json()
        escapes = next(d for d in docs if d["url"].endswith("/escapes.pdf"))
        for url in ("/search?q=script", "/status", f"/doc/{escapes['doc_id']}",
                    f"/doc/{escapes['doc_id']}?page=1&q=fet"):
            page.goto(base + url)
            page.wait_for_load_state("networkidle")
            assert page.evaluate("typeof window.pwned") == "undefined"
            assert page.locator("main script, main b").count() == 0
        assert "<script>alert(1)</script>" in page.inner_text(".pagetext")
        assert page.dialogs == [], page.dialogs
    finally:
        stop_serve(proc)


def test_the_budget_process_page(page, server, archive, sample_truth):
    """/prosess/{period} as a journalist uses it: from the home page to the process, the timeline's seven
    steps, the changes with their bars and words, a stage document's link back, the CSV download."""
    bp = next(bp for bp in sample_truth.budget_processes if bp["decisions"])
    page.goto(server + "/")
    page.click(f'a[href="/prosess/{bp["period"]}"]')
    page.wait_for_url(re.compile(rf"/prosess/{bp['period']}$"))
    assert page.locator(".timeline > li").count() == 7
    assert page.locator(".timeline > li.empty").count() == len(bp["missing_steps"])
    rows = page.locator("table.changes tbody tr")
    assert rows.count() > 20
    first = page.locator("table.changes").first
    assert first.locator(".changebar rect.up").count() and first.locator(".changebar rect.down").count()
    words = set(first.locator(".dir").all_inner_texts())
    assert words == {"opp", "ned"}  # colour is never the only cue
    assert "Budsjettforslaget fra H, V og Frp" in page.inner_text("table.changes")
    assert page.locator("ins").count() and page.locator("del").count()
    with page.expect_download() as dl:
        page.click(f'a[href="/api/endringer/{bp["period"]}?format=csv"]')
    text = Path(dl.value.path()).read_text(encoding="utf-8")
    assert text == hparkiv(Path(archive[0]), "endringer", bp["period"], "--format", "csv", check=True).stdout
    assert not page.problems, page.problems
    if os.environ.get("HPARKIV_DOCS_SCREENSHOT"):  # README's picture, taken on purpose
        from PIL import Image

        page.set_viewport_size({"width": 1100, "height": 900})
        page.locator("#changes").scroll_into_view_if_needed()
        page.evaluate("() => document.querySelector('#changes').scrollIntoView()")
        page.evaluate("() => window.scrollBy(0, -60)")
        path = DOCS / "web-prosess.png"
        page.screenshot(path=str(path))
        Image.open(path).convert("RGB").quantize(colors=64).save(path, optimize=True)
    first_doc = page.locator(".timeline a").first
    first_doc.click()
    page.wait_for_url(re.compile(r"/doc/"))
    assert page.locator(f'a[href="/prosess/{bp["period"]}?kommune=3201"]').count() == 1  # its municipality's
