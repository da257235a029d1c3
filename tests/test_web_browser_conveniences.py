"""The conveniences of issue 20 in a real browser (Debian's Chromium through Playwright, against a
real `hparkiv serve`): at phone width the facets fold under "Filtre" so the first hit is on the
first screen; the way back to a search keeps it whole; a page opens our archived copy at that
page and offers a citation that one click selects; a repeated passage shows once with its pages.
Every test saves its screenshot (the 390 px one is looked at by a person, see docs)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from test_web_browser import browser, server  # noqa: F401  (the real server and Chromium, shared)

pytestmark = pytest.mark.slow

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1200, "height": 900}


@pytest.fixture
def shots(tmp_path_factory) -> Path:
    path = tmp_path_factory.getbasetemp() / "screenshots"
    path.mkdir(exist_ok=True)
    return path


def _page(browser, viewport):  # noqa: F811
    context = browser.new_context(locale="nb-NO", extra_http_headers={"Accept-Language": "nb-NO,nb;q=0.9"},
                                  viewport=viewport, accept_downloads=True)
    pg = context.new_page()
    pg.problems = []  # type: ignore[attr-defined]
    pg.on("console", lambda m: m.type == "error" and pg.problems.append(m.text))  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.problems.append(str(e)))  # type: ignore[attr-defined]
    return context, pg


def test_at_phone_width_the_facets_fold_under_filtre_and_the_first_hit_is_on_the_first_screen(
        browser, server, shots):  # noqa: F811
    context, pg = _page(browser, PHONE)
    try:
        pg.goto(server + "/search?q=sykehjem")
        pg.wait_for_selector(".pagehit")
        summary = pg.locator("details.filters > summary")
        assert summary.is_visible() and summary.inner_text().startswith("Filtre")
        assert not pg.locator("nav.facets").is_visible()
        first = pg.locator(".pagehit").first.bounding_box()
        assert first and first["y"] + 40 < PHONE["height"], first  # its page number and snippet start on screen
        pg.screenshot(path=str(shots / "search-390px.png"))
        summary.click()
        pg.wait_for_selector("nav.facets", state="visible")
        facet = pg.locator("nav.facets section").first.locator("a").first
        facet.click()
        pg.wait_for_url(re.compile(r"year="))
        pg.wait_for_selector(".active-filters")
        assert pg.locator("details.filters > summary").inner_text().startswith("Filtre (1)")
        assert not pg.problems, pg.problems
    finally:
        context.close()
    context, pg = _page(browser, DESKTOP)
    try:
        pg.goto(server + "/search?q=sykehjem")
        assert pg.locator("nav.facets").is_visible()  # wide: always open beside the hits
        assert not pg.locator("details.filters > summary").is_visible()
        facets, hits = pg.locator("nav.facets").bounding_box(), pg.locator("ol.hits").bounding_box()
        assert facets["x"] + facets["width"] <= hits["x"]
        pg.screenshot(path=str(shots / "search-1200px.png"))
    finally:
        context.close()


def test_back_to_the_search_returns_to_its_words_filters_sort_and_page(browser, server):  # noqa: F811
    context, pg = _page(browser, DESKTOP)
    try:
        pg.goto(server + "/search?q=kommune&type=vedtak&sort=newest")
        pg.locator('a[rel="next"]').first.click()
        pg.wait_for_url(re.compile(r"page=2"))
        pg.wait_for_selector(".pagehit")
        searched = parse_qs(urlsplit(pg.url).query)
        assert searched["page"] == ["2"] and searched["sort"] == ["newest"] and searched["type"] == ["vedtak"]
        pg.locator(".pagehit").first.click()
        pg.wait_for_url(re.compile(r"/doc/[0-9a-f]{12}\?page=\d+"))
        if pg.locator("#next-hit").count():
            pg.locator("#next-hit").click()
            pg.wait_for_url(re.compile(r"/doc/.*back="))
        pg.locator("#back-to-search").click()
        pg.wait_for_url(re.compile(r"/search\?"))
        assert parse_qs(urlsplit(pg.url).query) == searched
        assert "Side 2 av" in pg.inner_text(".paging")
        assert not pg.problems, pg.problems
    finally:
        context.close()


def test_a_page_opens_our_copy_at_that_page_and_one_click_selects_its_citation(browser, server, shots):  # noqa: F811
    context, pg = _page(browser, DESKTOP)
    try:
        pg.goto(server + "/search?q=sykehjem")
        pg.locator(".pagehit").first.click()
        pg.wait_for_url(re.compile(r"/doc/(?P<doc>[0-9a-f]{12})\?page=(\d+)"))
        doc, page_no = re.search(r"/doc/([0-9a-f]{12})\?page=(\d+)", pg.url).groups()
        ours = pg.locator("#archived-copy")
        assert ours.get_attribute("href") == f"{server}/doc/{doc}/pdf#page={page_no}"
        assert pg.locator("#original").get_attribute("href").endswith(f"#page={page_no}")
        pdf = pg.request.get(f"{server}/doc/{doc}/pdf")
        assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
        assert pdf.headers["content-disposition"].startswith("inline")
        citation = pg.locator("#citation")
        citation.click()
        selected = pg.evaluate("window.getSelection().toString()")
        assert selected.strip() == citation.inner_text().strip()
        assert f"s. {page_no}" in selected and f"/doc/{doc}/pdf#page={page_no}" in selected and "hentet " in selected
        pg.screenshot(path=str(shots / "page-citation.png"), full_page=True)
        assert not pg.problems, pg.problems
    finally:
        context.close()


def test_a_repeated_passage_shows_once_with_its_pages_and_the_rest_of_the_document_is_counted(
        browser, server, shots):  # noqa: F811
    context, pg = _page(browser, DESKTOP)
    try:
        for q in ("barnehage", "demenslandsby", "netto"):
            pg.goto(server + f"/search?q={q}")
            if pg.locator(".samepages").count():
                break
        same = pg.locator(".samepages").first
        assert same.is_visible() and same.inner_text().startswith("Det samme avsnittet på sidene")
        pages = same.locator("a").all_inner_texts()
        assert len(pages) > 1 and pg.locator(".pno", has_text="Sidene " + ", ".join(pages)).count() == 1
        more = pg.locator(".more a").first
        assert re.fullmatch(r"\+\d+ (flere sider|side til)", more.inner_text())
        more.click()
        pg.wait_for_url(re.compile(r"/doc/[0-9a-f]{12}\?q="))
        assert pg.locator(".hitpages a").count() > 1  # every page of it that matches
        pg.screenshot(path=str(shots / "document-hit-pages.png"))
        assert not pg.problems, pg.problems
    finally:
        context.close()
