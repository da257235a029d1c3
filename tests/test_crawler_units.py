"""Fast tests of the crawler's parts on hand-written snippets: context, classification, ACOS, scope."""

from __future__ import annotations

import re

import pytest

from catalog import DataDir
from crawler.child import warnings_for
from crawler.classify import apply_defaults, classify, fill_from_text
from crawler.context import clean_link_text, extract_links, find_periods
from crawler.documents import media_type
from crawler.finders import find_committee, find_date, find_doctype
from crawler.meeting_page import parse_meeting
from crawler.parent import CrawlSummary, crawl_config
from crawler.settings import build_settings
from sources import available_sources, load_source

VOCAB = load_source("baerum").vocabulary
BASE = "https://www.baerum.kommune.no/politikk/hp/"


def page(body: str, title: str = "Handlingsprogram og budsjett - Bærum kommune") -> str:
    return f"<html><head><title>{title}</title></head><body><main>{body}</main></body></html>"


def classify_link(html: str, href: str) -> tuple[dict, dict]:
    _, links = extract_links(html, BASE)
    (link,) = [lc for lc in links if lc.url.endswith(href)]
    return classify(link.context, link.url, VOCAB)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Last ned «Økonomiplan 2023-2026» (PDF, 4,4 MB)", "Last ned «Økonomiplan 2023-2026»"),
        ("Hoveddokument | 763 KB", "Hoveddokument"),
        ("Protokoll - Ungdomsrådet 07 05 18 (Hoveddokument)", "Protokoll - Ungdomsrådet 07 05 18"),
        ("Her kan du lese vedtatt budsjett 2021. (pdf)", "Her kan du lese vedtatt budsjett 2021."),
        ("Link til budsjettbehandlingen ( Møteportalen)", "Link til budsjettbehandlingen"),
        ("  Innspill\xa0fra   rådet [pdf] ", "Innspill fra rådet"),
    ],
)
def test_link_text_cleaned(raw: str, clean: str) -> None:
    assert clean_link_text(raw) == clean


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("Handlingsprogram 2021-2024", (2021, 2024)),
        ("handlingsprogram 2021 – 2024", (2021, 2024)),
        ("/handlingsprogram-20212024/", (2021, 2024)),
        ("HP 2021-24", (2021, 2024)),
        ("Budsjett og økonomiplan 2022–2025", (2022, 2025)),
        ("møte 02.12.2020-2021", None),
        ("budsjett 2021 og 2024", None),
    ],
)
def test_period_spellings(text: str, period: tuple[int, int] | None) -> None:
    found = find_periods(text)
    assert (found[0][:2] if found else None) == period


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Kommunedirektørens forslag 23.september 2020", "2020-09-23"),
        ("behandlet i kommunestyret 2. desember 2020", "2020-12-02"),
        ("18.11.20: Formannskapet behandler", "2020-11-18"),
        ("Dato: 02.12.2020 kl. 17:00", "2020-12-02"),
        ("ingen dato 31.02.2020", None),
    ],
)
def test_norwegian_dates(text: str, iso: str | None) -> None:
    assert find_date(text) == iso


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Her vil du finne protokollen fra hovedutvalg bistand og omsorgs behandling", "bistand-og-omsorg"),
        ("Spørsmål og svar HBU", "barn-og-unge"),
        ("Hovedutvalg for miljø, idrett og kultur", "miljo-idrett-og-kultur"),
        ("Formannskapets innstilling til kommunestyret", "formannskapet"),
        ("Råd for mennesker med nedsatt funksjonsevne", "funksjonsnedsettelse"),
        ("Kontrollutvalgets forslag", "kontrollutvalget"),
        ("Budsjettet ER vedtatt", None),
    ],
)
def test_committee_names_aliases_genitives_abbreviations(text: str, slug: str | None) -> None:
    c = find_committee(text, VOCAB)
    assert (c.slug if c else None) == slug


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Saksprotokoll Handlingsprogram 2021-2024 - rådets uttalelse", "protokoll"),
        ("Offentlig ettersyn- Formannskapets forslag til budsjett", "innstilling"),
        ("Rådmannens forslag til handlingsprogram 2017-2020", "forslag"),
        ("Kommunedirektørens forslag til budsjett og økonomiplan 2022-2025", "forslag"),
        ("Handlingsprogram tilleggsinnstilling", "innstilling"),
        ("Her kan du lese vedtatt budsjett 2021.", "vedtak"),
        ("Spørsmål og svar til rådmannens forslag", "sporsmal"),
        ("Kontrollutvalgets forslag til budsjett for kontroll og tilsyn", "innspill"),
    ],
)
def test_doctype_phrases(text: str, slug: str) -> None:
    found = find_doctype(text, VOCAB)
    assert found and found[0].slug == slug


ACCORDION = page("""
<h1>Handlingsprogram og budsjett</h1>
<p>Kommunedirektøren la frem sitt forslag til Handlingsprogram 2021-2024 23.september 2020.</p>
<h2>Kommunestyrets behandling av handlingsprogram og budsjett</h2>
<p>Handlingsprogram 2021-2024 og budsjett 2021 ble behandlet i kommunestyret 2. desember 2020.</p>
<p><a href="/globalassets/hp/vedtatt.pdf">Her kan du lese vedtatt budsjett 2021. (pdf)</a></p>
<h2>Kommunedirektørens forslag til handlingsprogram 2021 - 2024</h2>
<p><a href="/globalassets/hp/forslag.pdf">Forslaget (PDF, 4,4 MB)</a></p>
<div class="accordion">
 <div class="item"><h3><button aria-expanded="false">Hovedutvalg for bistand og omsorg</button></h3>
  <div class="panel" hidden><p><strong>Behandling:</strong></p>
   <p>Her vil du finne <a href="/contentassets/1/p.pdf">protokollen</a> fra hovedutvalgets behandling.</p>
   <p><strong>Spørsmål og innspill:</strong></p><ul><li><a href="/contentassets/1/q.pdf">her</a></li></ul>
  </div></div>
 <details><summary>Eldrerådet</summary><p>Behandling:</p><ul><li><a href="/contentassets/2/e.pdf">pdf</a></li></ul>
 </details>
</div>
<h2>Innspill fra vernetjenesten og fagforeningene</h2>
<ul><li><a href="/contentassets/3/v.pdf">Innspill fra velforeningen | 12 KB</a></li></ul>
""")


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("vedtatt.pdf", {"year": 2021, "period": "2021-2024", "committee": "kommunestyret", "doctype": "vedtak"}),
        ("forslag.pdf", {"year": 2021, "period": "2021-2024", "committee": None, "doctype": "forslag"}),
        ("1/p.pdf", {"year": 2021, "period": "2021-2024", "committee": "bistand-og-omsorg", "doctype": "protokoll"}),
        ("1/q.pdf", {"year": 2021, "period": "2021-2024", "committee": "bistand-og-omsorg", "doctype": "sporsmal"}),
        ("2/e.pdf", {"year": 2021, "period": "2021-2024", "committee": "eldreradet", "doctype": "protokoll"}),
        ("3/v.pdf", {"year": 2021, "period": "2021-2024", "committee": None, "doctype": "innspill"}),
    ],
)
def test_landing_page_accordion(href: str, expected: dict) -> None:
    meta, prov = classify_link(ACCORDION, href)
    assert {k: meta[k] for k in expected} == expected, prov


def test_provenance_names_the_heading() -> None:
    meta, prov = classify_link(ACCORDION, "1/q.pdf")
    assert prov["committee"] == 'heading "Hovedutvalg for bistand og omsorg"'
    assert meta["title"] == "Hovedutvalg for bistand og omsorg"


def test_accordion_label_does_not_leak_into_the_next_item() -> None:
    _, links = extract_links(ACCORDION, BASE)
    (eldre,) = [lc for lc in links if lc.url.endswith("2/e.pdf")]
    assert eldre.context["label"] == "Behandling:"
    assert eldre.context["containers"][0] == "Eldrerådet"


ARCHIVE = page("""
<h1>Tidligere vedtatte budsjetter</h1>
<h3>Budsjett og økonomiplan 2022-2025</h3>
<table><tr><td><a href="/a/bop-2022.pdf">Vedtatt</a></td><td><a href="/a/k-2022.pdf">Kommunedirektørens forslag</a></td></tr></table>
<h3>Handlingsprogram 2017–2020</h3>
<dl><dt>Rådmannens forslag</dt><dd><a href="/a/r-2017.pdf">Last ned (PDF, 2 MB)</a></dd></dl>
<h3>HP 2016-19</h3>
<p><a href="/a/hp-2016.pdf">Handlingsprogram (pdf)</a></p>
""", title="Tidligere vedtatte budsjetter")


@pytest.mark.parametrize(
    ("href", "year", "doctype", "committee"),
    [
        ("bop-2022.pdf", 2022, "vedtak", "kommunestyret"),
        ("k-2022.pdf", 2022, "forslag", None),
        ("r-2017.pdf", 2017, "forslag", None),
        ("hp-2016.pdf", 2016, "vedtak", "kommunestyret"),
    ],
)
def test_archive_page_other_layouts(href: str, year: int, doctype: str, committee: str | None) -> None:
    meta, prov = classify_link(ARCHIVE, href)
    assert (meta["year"], meta["period"], meta["doctype"], meta["committee"]) == (
        year, f"{year}-{year + 3}", doctype, committee), prov


def test_silent_link_is_decided_from_the_first_page() -> None:
    meta = dict.fromkeys(("title", "year", "period", "committee", "doctype", "date"))
    prov: dict[str, str] = {}
    text = "Bærum kommune\nSide 1 av 14\nHandlingsprogram 2019–2022 Rådmannens forslag 26. september 2018\n"
    fill_from_text(meta, prov, text, VOCAB)
    apply_defaults(meta, prov)
    assert (meta["year"], meta["period"], meta["doctype"], meta["date"]) == (2019, "2019-2022", "forslag",
                                                                              "2018-09-26")
    assert prov["doctype"].startswith("from first page")


MEETING = """<html><head><title>Møte i Formannskapet den 18.11.2020</title></head><body>
<h1>Møte i Formannskapet den 18.11.2020</h1>
<dl><dt>Utvalg</dt><dd>Formannskapet</dd><dt>Dato</dt><dd>18.11.2020</dd></dl>
<h2>Møteprotokoll</h2><p><a href="wfdocument.ashx?dokid=9&amp;journalpostid=1&amp;variant=A&amp;versjon=1"
 title="Hoveddokument | 4 KB">Protokoll - Formannskapet 18 11 20 (Hoveddokument)</a></p>
<h2>Sakskart</h2><p><a href="wfdocument.ashx?journalpostid=2&amp;dokid=8">Møteinnkalling</a></p>
<table><tr><td>098/20 - 20/1234 - Handlingsprogram 2021-2024 - formannskapets innstilling</td>
<td><a href="wfdocument.ashx?journalpostid=3&amp;dokid=7">Saksfremlegg</a>
<a href="wfdocument.ashx?journalpostid=3&amp;dokid=6">Tilleggsinnstilling</a></td></tr>
<tr><td>099/20 - 20/999 - Reguleringsplan for Fornebu</td>
<td><a href="wfdocument.ashx?journalpostid=4&amp;dokid=5">Saksfremlegg</a></td></tr></table>
</body></html>"""
PORTAL = "https://tjenester.baerum.kommune.no/innsyn/politikk/wfinnsyn.ashx?moteid=3609&response=mote"


def test_acos_meeting_fields_items_and_documents() -> None:
    meeting = parse_meeting(MEETING, PORTAL, re.compile("wfdocument", re.I))
    assert (meeting.committee, meeting.date) == ("Formannskapet", "2020-11-18")
    assert [i.split(" - ")[0] for i in meeting.items] == ["098/20", "099/20"]
    sections = [(d.section, d.text, d.item_title) for d in meeting.documents]
    assert sections[0][:2] == ("protokoll", "Protokoll - Formannskapet 18 11 20")
    assert sections[1][:2] == ("innkalling", "Møteinnkalling")
    assert sections[2] == ("item", "Saksfremlegg", "Handlingsprogram 2021-2024 - formannskapets innstilling")
    assert sections[4] == ("item", "Saksfremlegg", "Reguleringsplan for Fornebu")
    assert meeting.documents[0].url.startswith("https://tjenester.baerum.kommune.no/innsyn/politikk/wfdocument")


def test_meeting_documents_classified_from_the_meeting() -> None:
    meeting = parse_meeting(MEETING, PORTAL, re.compile("wfdocument", re.I))
    doc = meeting.documents[3]
    ctx = {"link_text": doc.text, "meeting": {"committee": meeting.committee, "date": meeting.date,
                                              "section": doc.section, "item": doc.item, "title": meeting.title}}
    meta, prov = classify(ctx, doc.url, VOCAB)
    assert (meta["year"], meta["period"], meta["committee"], meta["doctype"], meta["date"]) == (
        2021, "2021-2024", "formannskapet", "innstilling", "2020-11-18")
    assert prov["committee"] == 'meeting Utvalg "Formannskapet"'


def test_meeting_without_hp_gets_the_meeting_year() -> None:
    ctx = {"link_text": "Saksfremlegg", "meeting": {"committee": "Eldrerådet", "date": "2019-03-04",
                                                     "section": "item", "item": "010/19 - 19/1 - Økonomimelding I"}}
    meta, _ = classify(ctx, "https://x/wfdocument.ashx?dokid=1", VOCAB)
    assert (meta["year"], meta["period"], meta["committee"]) == (2019, None, "eldreradet")


@pytest.mark.parametrize(
    ("body", "ctype", "kind"),
    [
        (b"%PDF-1.7\n...", "application/octet-stream", "pdf"),
        (b"\xef\xbb\xbf  %PDF-1.4", None, "pdf"),
        (b"", "application/pdf", "pdf"),
        (b"<!DOCTYPE html><html>", "application/pdf", "other"),
        (b"<!DOCTYPE html><html>", "text/html", None),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "application/msword", "doc"),
        (b"PK\x03\x04rest", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    ],
)
def test_documents_recognised_by_bytes_and_type(body: bytes, ctype: str | None, kind: str | None) -> None:
    assert media_type(body, ctype) == kind


def test_sources_are_data() -> None:
    assert {"baerum", "asker"} <= set(available_sources())
    asker = load_source("asker")
    assert asker.start_urls and asker.allowed_hosts and asker.meeting_page.search(
        "/wfinnsyn.ashx?response=mote&moteid=1")
    assert asker.vocabulary.committee("formannskapet") is not None


def test_start_urls_replace_hosts_and_wayback_defaults(tmp_path) -> None:
    data = DataDir(tmp_path)
    real = crawl_config(data)
    assert real["wayback"] == "https://web.archive.org" and "www.baerum.kommune.no" in real["allowed_netlocs"]
    assert "web.archive.org" in real["allowed_netlocs"]
    local = crawl_config(data, start_urls=["http://127.0.0.1:8001/hp/"], allow_hosts=["127.0.0.2:8002"])
    assert local["allowed_netlocs"] == ["127.0.0.1:8001", "127.0.0.2:8002"] and local["wayback"] is None
    off = crawl_config(data, wayback=False)
    assert off["wayback"] is None
    with pytest.raises(ValueError):
        crawl_config(data, start_urls=["ftp://example.org/"])
    with pytest.raises(ValueError):
        crawl_config(data, source="no-such-town")


def test_polite_settings_for_the_real_site() -> None:
    real = build_settings(hosts=["www.baerum.kommune.no"], max_file_mb=200, download_delay=0)
    assert real["DOWNLOAD_DELAY"] >= 1 and real["AUTOTHROTTLE_ENABLED"] and real["ROBOTSTXT_OBEY"]
    assert real["USER_AGENT"].startswith("hparkiv/") and "github.com/hparkiv" in real["USER_AGENT"]
    assert real["DOWNLOAD_MAXSIZE"] == 200 * 1024 * 1024
    assert {500, 502, 503, 504, 429} <= set(real["RETRY_HTTP_CODES"])
    local = build_settings(hosts=["127.0.0.1:8000"], max_file_mb=5, download_delay=0)
    assert local["DOWNLOAD_DELAY"] == 0 and not local["AUTOTHROTTLE_ENABLED"]


def test_warnings_when_the_site_changed() -> None:
    empty = {"documents_seen": 0, "links_found": 0}
    assert any("probably changed" in w for w in warnings_for(empty, None))
    fewer = {"documents_seen": 5, "links_found": 5}
    assert any("probably changed" in w for w in warnings_for(fewer, {"stats": {"links_found": 40}}))
    assert warnings_for({"documents_seen": 30, "links_found": 38}, {"stats": {"links_found": 40}}) == []


def test_crawler_package_does_not_import_scrapy() -> None:
    import subprocess
    import sys

    code = "import sys, crawler, sources, crawler.parent; print('scrapy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_shipped_vocabulary_knows_every_municipality_and_baerum_first() -> None:
    from sources import shipped_vocabulary

    vocab = shipped_vocabulary()
    assert vocab.committee("HBU").slug == "barn-og-unge"
    assert vocab.committee("oppvekst").slug == "oppvekst"  # Asker's
    assert vocab.committee_slugs()[0] == "kommunestyret"
    assert len(set(vocab.committee_slugs())) == len(vocab.committee_slugs())


def test_parties_resolve_abbreviations_names_and_spellings_without_aeoeaa() -> None:
    vocab = load_source("baerum").vocabulary
    assert vocab.party_abbrs()[:2] == ["H", "Ap"]
    cases = {
        "frp": "Frp", "FrP": "Frp", "Fremskrittspartiet": "Frp", "Hoyre": "H", "Høyres": "H",
        "Aps": "Ap", "SV": "SV", "sv": "SV", "Rodt": "R", "Rødt": "R", "KrFs": "KrF",
        "miljopartiet de gronne": "MDG", "Senterpartiet": "Sp", "Pensjonistpartiet": "Pp",
    }
    for text, abbr in cases.items():
        party = vocab.party(text)
        assert party is not None and party.abbr == abbr, text
    for text in ("", "s", "as", "kommunestyret", "Høyreside"):
        assert vocab.party(text) is None, text
    assert load_source("asker").vocabulary.party("FrP").name == "Fremskrittspartiet"


TABS = """<html><body><h1>Handlingsprogram 2021–2024</h1>
<div role="tablist"><button role="tab" id="t1" aria-controls="p1">Barn og unge</button>
<button role="tab" id="t2" aria-controls="p2">Eldrerådet</button></div>
<div role="tabpanel" id="p1" aria-labelledby="t1"><ul><li><a href="/download?id=1">Protokoll</a></li></ul></div>
<div role="tabpanel" id="p2" aria-labelledby="t2" hidden><ul><li><a href="/download?id=2">Protokoll</a></li></ul></div>
</body></html>"""


def test_a_tab_panel_is_titled_by_its_tab() -> None:
    _, links = extract_links(TABS, BASE)
    first, second = links
    assert first.context["containers"][0] == "Barn og unge"
    assert second.context["containers"][0] == "Eldrerådet"
    assert "Eldrerådet" not in first.context["section_text"]  # the other tabs' labels are no context
    assert classify(first.context, first.url, VOCAB)[0]["committee"] == "barn-og-unge"


NYNORSK_MEETING = """<html><body><h1>Kommunestyret</h1>
<div><span>Utval:</span> Kommunestyret<br><span>Møtedato:</span> 02.12.2020 kl. 17:00</div>
<h2>Møtedokument</h2><ul><li><a href="wfdocument.ashx?dokid=1">Møteinnkalling Kommunestyret 02.12.2020</a></li>
<li><a href="wfdocument.ashx?dokid=2">Møteprotokoll Kommunestyret 02.12.2020</a></li></ul>
<h2>Saksliste</h2><table><tr><td>PS 120/20</td><td>Handlingsprogram 2021–2024
<div><a href="wfdocument.ashx?dokid=3">Saksframlegg</a></div></td></tr></table></body></html>"""


def test_a_nynorsk_meeting_page_with_summons_and_protocol() -> None:
    meeting = parse_meeting(NYNORSK_MEETING, PORTAL, re.compile("wfdocument", re.I))
    assert (meeting.committee, meeting.date) == ("Kommunestyret", "2020-12-02")
    assert [d.section for d in meeting.documents] == ["innkalling", "protokoll", "item"]
    assert meeting.items == ["PS 120/20 Handlingsprogram 2021–2024"]


def test_the_file_name_from_content_disposition() -> None:
    from crawler.documents import attachment_name

    header = b"attachment; filename=\"A_rsrapport.pdf\"; filename*=UTF-8''%C3%85rsrapport%202020.pdf"
    assert attachment_name(header) == "Årsrapport 2020.pdf"
    assert attachment_name(b'attachment; filename="..\\\\..\\\\x\x07.pdf"') == "x.pdf"
    assert attachment_name(b"inline") == attachment_name(None) == ""


def test_the_summary_names_hosts_not_allowed() -> None:
    summary = CrawlSummary(not_allowed={"tjenester.example.no": 47, "a.no:81": 1})
    assert summary.notes() == [
        "47 links to tjenester.example.no not followed: host not allowed (add it with --allow-host)",
        "1 link to a.no:81 not followed: host not allowed (add it with --allow-host)",
    ]
