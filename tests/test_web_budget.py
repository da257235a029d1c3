"""The budget model in the web (`/prosess/{period}` and `/series`), in process over the real sample
archive: a budget's steps and what changed between them, and one line's series per table family,
with exports equal to the CLI's."""

from __future__ import annotations

import csv
import io
import re

from processes import hparkiv
from webpage import NB, cli_json

# --- /prosess: one budget's steps and changes ---------------------------------------------------


def test_process_page_steps_changes_bars_and_downloads(client, data_dir, sample_truth):
    bp = next(bp for bp in sample_truth.budget_processes if bp["decisions"])
    r = client.get(f"/prosess/{bp['budget_year']}", headers=NB)
    assert r.status_code == 200
    html = r.text
    steps = re.search(r'<ol class="timeline">(.*?)</ol>', html, re.S).group(1)
    assert steps.count("<h3>") == 7
    for title in ("Forslaget", "Partienes spørsmål", "Innspill", "Behandling i hovedutvalgene",
                  "Formannskapets innstilling", "Offentlig ettersyn", "Kommunestyrets vedtak"):
        assert title in steps
    cli = cli_json(data_dir, "endringer", str(bp["budget_year"]), "--format", "json")
    for s in cli["stages"]:
        assert f'href="/doc/{s["doc_id"]}"' in steps
    bars = re.findall(r'<svg class="changebar".*?</svg>', html, re.S)
    changed = [ln for ln in cli["lines"] if ln["changed"]]
    assert len(bars) == len(changed)
    assert 'class="up"' in html and 'class="down"' in html  # green up, red down ...
    assert '<span class="dir up">opp</span>' in html and '<span class="dir down">ned</span>' in html  # ... and said
    assert "+4 000 000 kr" in html and "-1 500 000 kr" in html  # changes in kroner
    assert "≠" in html and "dokumentene er uenige" in html
    assert "<del>" in html and "<ins>" in html  # the word diff of a changed text decision
    for fmt in ("csv", "xlsx"):
        assert f"/api/endringer/{bp['period']}?format={fmt}" in html
    web_csv = client.get(f"/api/endringer/{bp['period']}", params={"format": "csv"}).text
    assert web_csv == hparkiv(data_dir.root, "endringer", bp["period"], "--format", "csv", check=True).stdout
    assert client.get(f"/api/endringer/{bp['period']}").json() == cli
    assert not re.search(r"<script(?![^>]*\bsrc=)", html) and " style=" not in html


def test_process_page_says_which_steps_have_no_document(client, sample_truth):
    bp = next(bp for bp in sample_truth.budget_processes if bp["missing_steps"])
    html = client.get(f"/prosess/{bp['period']}", headers=NB).text
    assert html.count('<li class="empty">') == len(bp["missing_steps"])
    assert html.count("Ingen dokumenter i arkivet.") == len(bp["missing_steps"])
    assert client.get("/prosess/1999").status_code == 404 and client.get("/prosess/abc").status_code == 404
    assert client.get("/prosess/2021-2023").status_code == 404


def test_process_is_linked_from_home_and_from_every_stage_document(client, data_dir, sample_truth):
    home = client.get("/", headers=NB).text
    periods = {bp["period"] for bp in sample_truth.budget_processes}
    for period in periods:
        assert f'href="/prosess/{period}"' in home
    for period in periods:
        for s in cli_json(data_dir, "endringer", period, "--format", "json")["stages"]:
            if s["status"] == "ok":  # the document's own municipality's process
                doc = client.get(f"/doc/{s['doc_id']}").text
                assert f'href="/prosess/{period}?kommune=3201"' in doc
                assert client.get(f"/prosess/{period}", params={"kommune": "3201"}).status_code == 200


# --- /series: one budget line through the years ---------------------------------------------------


def test_series_page_chart_table_and_exports_equal_the_cli(client, data_dir):
    r = client.get("/series", params={"label": "Netto driftsresultat"}, headers=NB)
    assert r.status_code == 200 and '<svg class="chart lines"' in r.text and "<desc" in r.text
    assert '<table class="data">' in r.text and "/api/series?label=Netto+driftsresultat&amp;format=csv" in r.text
    cli = cli_json(data_dir, "series", "Netto driftsresultat", "--format", "json")
    assert client.get("/api/series", params={"label": "Netto driftsresultat"}).json() == cli
    web_csv = client.get("/api/series", params={"label": "Netto driftsresultat", "format": "csv"}).text
    proc = hparkiv(data_dir.root, "series", "Netto driftsresultat", "--format", "csv")
    assert list(csv.reader(io.StringIO(web_csv))) == list(csv.reader(io.StringIO(proc.stdout)))
    assert client.get("/series", params={"label": "zqxwv finnes ikke"}).status_code == 404
    assert client.get("/api/series").status_code == 400


def test_series_page_one_line_per_family_with_legend_and_norwegian_numbers(client, data_dir):
    r = client.get("/series", params={"label": "netto driftsresultat"}, headers=NB)
    assert r.status_code == 200
    chart = re.search(r'<svg class="chart lines".*?</svg>', r.text, re.S).group()
    cli = cli_json(data_dir, "series", "netto driftsresultat", "--format", "json")
    assert chart.count("<polyline") == len([s for s in cli["series"] if s["adopted"]]) == 2
    legend = re.search(r'<ul class="legend">(.*?)</ul>', r.text, re.S).group(1)
    assert legend.count("<li>") == 2 and "Hovedtall" in legend and "1A" in legend
    assert "+3,9 %" in r.text and "610 000" in r.text  # Norwegian numbers: space thousands, a decimal comma
    assert "s. 4</a>" in r.text and "Handlingsprogram 2016-2019" in r.text  # sources by title and page
    assert "Tegn:" in r.text and "≠" in r.text and "*" in r.text  # every mark explained
    one = client.get("/series", params={"label": "netto driftsresultat", "table": "1A"}, headers=NB)
    assert one.status_code == 200 and one.text.count("<polyline") == 1
    assert client.get("/series", params={"label": "netto driftsresultat", "table": "nope"}).status_code == 400
