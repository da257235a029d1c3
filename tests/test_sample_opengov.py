"""The OpenGov replica (sample/platforms/opengov.py) read with plain HTTP as public scrapers read
the real one: meetings behind year pages, agenda items loaded by script, ASP.NET's encoding, its
redirects and another organisation's pages beside Nordre Follo's."""

from __future__ import annotations

import html
import re

from loopback import fetch

from sample import Truth
from sample.platforms.answers import Answers


def test_opengov_budget_meetings_are_behind_year_pages_only(kommuner_server,
                                                            kommuner_answers: Answers) -> None:
    og = kommuner_answers.opengov
    base = kommuner_server.base_url("opengov") + og["base"]
    budget = [m for m in og["meetings"] if m["budget"]]
    assert {m["committee"] for m in budget} == {"kommunestyret", "formannskapet", "oppvekst-og-kultur"}
    for board in og["boards"]:
        status, _, body = fetch(f"{base}/Boards/Details/{board['id']}")
        assert status == 200
        page = body.decode()
        years = re.findall(r"<option(?: selected)?>(\d{4})</option>", page)
        assert [int(y) for y in years] == board["years"]
        assert "href=" not in page.split('id="boardsYearSelection"')[1].split("</select>")[0]
        mine = [m for m in og["meetings"] if m["board"] == board["id"]]
        for m in mine:
            link = f'/Meetings/Details/{m["id"]}"'
            assert (link in page) == m["date"].startswith(str(board["default_year"])), (board["id"], m["id"])
            year_page = fetch(f"{base}/Boards/Details/{board['id']}?Year={m['date'][:4]}")[2].decode()
            assert link in year_page
    home = fetch(base)[2].decode()
    assert not any(f"Details/{m['id']}\"" in home for m in budget)


def test_opengov_agenda_items_load_by_script(kommuner_server, kommuner_answers: Answers) -> None:
    og = kommuner_answers.opengov
    base = kommuner_server.base_url("opengov")
    for m in og["meetings"]:
        page = fetch(f"{base}{og['base']}/Meetings/Details/{m['id']}")[2].decode()
        assert "href=\"" + og["base"] + "/Meetings/LoadAgendaItemDetail" not in page
        for it in m["items"]:
            detail = f"{og['base']}/Meetings/LoadAgendaItemDetail/{it['id']}"
            assert f"loadAgendaItem('{detail}','{it['id']}')" in page
            heading = f"{it['case']} - {it['title']}" if it["case"] else it["title"]
            assert f"<h4>{html.unescape(heading)}</h4>" in html.unescape(page)
            status, headers, frag = fetch(base + detail)
            assert status == 200 and not frag.lstrip().startswith(b"<!DOCTYPE")
            hrefs = re.findall(r'href="([^"]+)"', frag.decode())
            assert [int(re.search(r"/File/Details/(\d+)\.PDF", h).group(1)) for h in hrefs] == it["files"]
            for h in hrefs:
                url = html.unescape(h)
                size = int(re.search(r"fileSize=(\d+)", url).group(1))
                status, _, body = fetch(base + url)
                assert status in (200, 404)
                assert status == 404 or len(body) == size, url


def test_opengov_pages_are_encoded_as_aspnet_does(kommuner_server, kommuner_answers: Answers) -> None:
    og = kommuner_answers.opengov
    base = kommuner_server.base_url("opengov") + og["base"]
    page = fetch(base + "/Boards")[2].decode()
    assert "m&#248;ter" in page and "møter" not in page
    hu = next(m for m in og["meetings"] if not m["date_on_page"])
    page = fetch(base + f"/Meetings/Details/{hu['id']}")[2].decode()
    assert "<span>Dato</span></div>\n            <div class=\"detailContent\"><p></p>" in page
    assert hu["date"] not in page and hu["date"][8:] + "." + hu["date"][5:7] not in page
    board = fetch(base + f"/Boards/Details/{hu['board']}?Year=2023")[2].decode()
    assert "22.11.2023" in board


def test_opengov_redirects_and_the_other_organisation(kommuner_server, kommuner_answers: Answers,
                                                      kommuner_truth: Truth) -> None:
    base = kommuner_server.base_url("opengov")
    og = kommuner_answers.opengov
    status, headers, _ = fetch(base + og["base"] + "/", follow=False)
    assert status == 301 and headers["Location"] == base + og["base"]
    status, headers, _ = fetch(base + og["base"].replace(og["org"], og["org"].lower()), follow=False)
    assert status == 302 and headers["Location"] == base + og["base"]
    noise = [n for n in kommuner_truth.never_request if n.get("host") == "opengov"]
    assert noise and all("/Meetings/telemarkfylke/" in n["path"] for n in noise)
    assert fetch(base + "/Meetings/telemarkfylke")[0] == 200
