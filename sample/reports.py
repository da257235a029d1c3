"""Calendar-year reports linked from the budget page, in layouts a journalist tripped over (issue 20).

Designed from how Bærum's Årsrapport and Økonomimelding look, before the code that reads them:

- their links give no date; the first page states one, in another form each: the annual
  report's foreword ends "Sandvika, 12. mars 2020"; the financial report says
  "Rapportering per 31. august 2020" (a period, not its date) above "Dato: 07.10.2020";
- Årsrapport: a key-figure box at the left of a paragraph that flows beside it and on
  under it, a table at the right of text, two tables side by side, and a table inside a
  framed, tinted fact box;
- Økonomimelding: a forecast per sector whose row labels wrap onto a second line (the
  amounts stand on the last line), and a long overview that goes on after a sub-sum,
  below a blank band, under the same columns.

`annual_report` and `financial_report` return the pages and the truth of every such
table (`layout_tables`: labels whole, cells as printed, values in the table's unit).
"""

from __future__ import annotations

from sample import stages
from sample.content import DocText
from sample.pdfs import Grid, GridRow


def _num(text: str) -> float | None:
    t = text.replace(" ", "").replace(",", ".").replace("%", "")
    if t in ("", "–", "-"):
        return None
    return float(t)


def _truth(page: int, arrangement: str, g: Grid, side: str | None = None) -> dict:
    return {"page": page, "arrangement": arrangement, "side": side, "caption": g.caption or g.frame,
            "unit": g.unit, "header": list(g.header), "rows": [list(r.cells) for r in g.rows if not r.label_only],
            "label_only_rows": [r.cells[0] for r in g.rows if r.label_only],
            "values": [[None] + [_num(c) for c in r.cells[1:]] for r in g.rows if not r.label_only]}


def annual_report(y: int, chief_name: str, chief_title: str) -> DocText:
    """Årsrapport for year y (published in March of y + 1)."""
    t = DocText()
    t.pages.append([
        ("h1", f"Årsrapport {y}"), ("h2", f"Rapportering på handlingsprogram {y}–{y + 3}"), ("p", "Bærum kommune"),
        ("h2", "Forord"),
        ("p", f"Bærum kommune leverte et godt økonomisk resultat i {y}. Tjenestene ble levert innenfor rammene, "
              "og disposisjonsfondet ble styrket. Årsrapporten viser hvordan målene i handlingsprogrammet er fulgt opp."),
        ("p", f"Sandvika, 12. mars {y + 1}"), ("p", f"{chief_name}, {chief_title}"),
    ])
    t.date_evidence = [{"source": "first_page", "text": f"Sandvika, 12. mars {y + 1}", "page": 1}]
    key = Grid(["Nøkkeltall", str(y - 1), str(y)], [
        GridRow(["Driftsinntekter", "12 418,6", "12 903,2"]), GridRow(["Driftsutgifter", "11 702,4", "12 081,9"]),
        GridRow(["Brutto driftsresultat", "716,2", "821,3"]), GridRow(["Disposisjonsfond", "2 204,7", "2 561,0"]),
        GridRow(["Lånegjeld", "9 877,5", "10 412,8"]),
    ], caption="Nøkkeltall", unit="Tall i mill. kroner", label_width=92, size=7.5)
    text = ("Driftsinntektene økte med nesten 500 mill. kroner fra året før, hovedsakelig som følge av høyere "
            "skatteinngang og økte statlige tilskudd. Driftsutgiftene økte mindre enn inntektene, og brutto "
            "driftsresultat ble bedre enn budsjettert. Kommunen har som mål at disposisjonsfondet over tid skal "
            "utgjøre minst 15 prosent av driftsinntektene. Ved utgangen av året var fondet på nivå med målet. "
            "Lånegjelden økte som følge av høye investeringer i skoler, sykehjem og infrastruktur på Fornebu. "
            "Renteutgiftene var likevel lavere enn budsjettert fordi rentenivået holdt seg lavt gjennom året. "
            "Kommunedirektøren anbefaler at investeringsnivået vurderes i lys av lånegjelden i neste "
            "handlingsprogram.")
    t.pages.append([("h2", f"1 Økonomi i {y}"), ("beside", key, text, "left", 200)])
    sick = Grid(["Sektor", str(y - 1), str(y)], [
        GridRow(["Barn og unge", "6,8 %", "6,4 %"]), GridRow(["Bistand og omsorg", "9,1 %", "8,7 %"]),
        GridRow(["Miljø, idrett og kultur", "5,2 %", "5,5 %"]), GridRow(["Hele kommunen", "7,3 %", "7,0 %"], bold=True),
    ], caption="Sykefravær", unit=None, label_width=100, size=7.5)
    text2 = ("Sykefraværet gikk ned i de fleste sektorene. Nedgangen var størst i bistand og omsorg, der "
             "arbeidet med heltidskultur og nærvær har gitt resultater. I miljø, idrett og kultur økte fraværet "
             "noe, blant annet som følge av langtidsfravær i små enheter. Kommunen vil fortsette samarbeidet med "
             "NAV arbeidslivssenter og tillitsvalgte om tiltak for et lavere sykefravær.")
    t.pages.append([("h2", "2 Medarbeidere"), ("beside", sick, text2, "right", 210)])
    income = Grid(["Driftsinntekter", str(y)], [
        GridRow(["Skatt på inntekt og formue", "8 712,4"]), GridRow(["Rammetilskudd", "2 144,9"]),
        GridRow(["Brukerbetalinger", "498,3"]), GridRow(["Salgs- og leieinntekter", "1 012,6"]),
        GridRow(["Sum driftsinntekter", "12 368,2"], bold=True),
    ], caption="Driftsinntekter etter art", unit="Tall i mill. kroner", label_width=120, size=7.5)
    costs = Grid(["Driftsutgifter", str(y)], [
        GridRow(["Lønn og sosiale utgifter", "7 903,1"]), GridRow(["Kjøp av varer og tjenester", "2 846,7"]),
        GridRow(["Overføringer", "684,5"]), GridRow(["Avskrivninger", "575,3"]),
        GridRow(["Sum driftsutgifter", "12 009,6"], bold=True),
    ], caption="Driftsutgifter etter art", unit="Tall i mill. kroner", label_width=120, size=7.5)
    t.pages.append([("h2", "3 Driftsinntekter og driftsutgifter"),
                    ("p", "Tabellene viser driftsinntekter og driftsutgifter fordelt etter art."),
                    ("pair", income, costs),
                    ("p", "Lønn og sosiale utgifter utgjør nesten to tredjedeler av driftsutgiftene.")])
    box = Grid(["Prosjekt", "Budsjett", "Regnskap"], [
        GridRow(["Haug skole", "96,0", "88,4"]), GridRow(["Berger sykehjem", "41,5", "44,2"]),
        GridRow(["Fornebubanen, tilskudd", "280,0", "280,0"]), GridRow(["Nadderud stadion", "12,0", "9,7"]),
        GridRow(["Sum", "429,5", "422,3"], bold=True),
    ], caption=None, unit="Tall i mill. kroner", label_width=150, size=7.5, frame=f"Faktaboks: Investeringer {y}")
    t.pages.append([("h2", "4 Investeringer"),
                    ("p", f"Kommunen investerte for om lag 1,9 mrd. kroner i {y}. De største prosjektene er vist i "
                          "faktaboksen."),
                    ("grid", box),
                    ("p", "Avvikene skyldes i hovedsak forskyvninger i fremdriften.")])
    t.pages.append([("h2", "5 Måloppnåelse"),
                    ("p", "Kommunen nådde de fleste av målene i handlingsprogrammet. Målene for klimaklok kommune "
                          "ble bare delvis nådd.")])
    t.layout_tables = [_truth(2, "beside_text", key, "left"), _truth(3, "beside_text", sick, "right"),
                       _truth(4, "side_by_side", income, "left"), _truth(4, "side_by_side", costs, "right"),
                       _truth(5, "framed_box", box)]
    return t


def financial_report(y: int, s: int) -> DocText:
    """Økonomimelding II for year y (= the current plan year s - 1): the revised budget per sector is the
    one the next plan's proposal prints as "Revidert budsjett" (sample/stages.py)."""
    t = DocText()
    t.pages.append([
        ("h1", f"Økonomimelding II {y}"), ("p", f"Rapportering per 31. august {y}"),
        ("p", "Kommunedirektørens rapport til formannskapet og kommunestyret"), ("p", f"Dato: 07.10.{y}"),
        ("h2", "Sammendrag"),
        ("p", "Prognosen for året viser et samlet merforbruk i sektorene, først og fremst i bistand og omsorg. "
              "Kommunedirektøren foreslår budsjettjusteringer som dekker merforbruket innenfor rammen."),
    ])
    t.date_evidence = [{"source": "first_page", "text": f"Dato: 07.10.{y}", "page": 1,
                        "not": f"Rapportering per 31. august {y}"}]
    labels = {"politikk": "Politisk styring og kontrollorganer",
              "stab": f"{stages.sector_label('stab', s)} (inkludert fellesfunksjoner)",
              "bu": "Barn og unge", "bo": "Bistand og omsorg, inkludert ressurskrevende tjenester",
              "mik": "Miljø, idrett og kultur", "eiendom": "Eiendom"}
    rows, total_b, total_p = [], 0, 0
    for k, key in enumerate(stages.SECTORS):
        revised = sum(stages.revidert(y, ln, s) for ln in stages.sector_lines(key))
        prognose = revised + [-3, 8, 21, 57, -6, 4][k]
        total_b, total_p = total_b + revised, total_p + prognose
        rows.append(GridRow([labels[key], stages.mill(revised), stages.mill(prognose), stages.mill(prognose - revised)]))
    rows.append(GridRow(["Sum sektorene", stages.mill(total_b), stages.mill(total_p), stages.mill(total_p - total_b)],
                        bold=True))
    wrapped = Grid(["Sektor", f"Justert budsjett {y}", f"Prognose {y}", "Avvik"], rows,
                   caption="Tabell 1 Prognose for netto driftsramme per sektor", unit="Tall i mill. kroner",
                   label_width=110, size=7.5)
    t.pages.append([("h2", "1 Prognose for sektorene"),
                    ("p", "Tabellen viser justert budsjett, prognose og avvik per sektor. Positive avvik er merforbruk."),
                    ("grid", wrapped),
                    ("p", "Merforbruket i bistand og omsorg skyldes flere brukere med omfattende behov.")])
    long_rows = [
        ("Rammetilskudd", "2 221,0", "2 238,4"), ("Inntekts- og formuesskatt", "9 252,1", "9 101,7"),
        ("Andre generelle driftsinntekter", "64,8", "66,0"), ("Sum generelle driftsinntekter", "11 537,9", "11 406,1"),
        ("Korrigert sum netto driftsutgifter", "-9 936,4", "-10 017,5"), ("Avskrivninger", "-599,9", "-599,9"),
        ("Sum netto driftsutgifter", "-10 536,3", "-10 617,4"), ("Brutto driftsresultat", "1 001,6", "788,7"),
        ("Netto finansutgifter", "-899,9", "-871,3"), ("Motpost avskrivninger", "599,9", "599,9"),
        ("Resultat før disponeringer", "701,6", "517,3"),
        ("Overføring til investering", "150,0", "150,0"), ("Netto avsetninger til bundne driftsfond", "5,0", "5,0"),
        ("Netto avsetninger til disposisjonsfond", "546,6", "362,3"), ("Sum disponeringer", "701,6", "517,3"),
    ]
    bold = {"Sum generelle driftsinntekter", "Sum netto driftsutgifter", "Brutto driftsresultat",
            "Resultat før disponeringer", "Sum disponeringer"}
    grid_rows = []
    for label, a, b in long_rows:
        if label == "Overføring til investering":
            grid_rows.append(GridRow(["Disponeringer:", "", ""], gap_before=True, label_only=True))
        grid_rows.append(GridRow([label, a, b], bold=label in bold))
    overview = Grid(["Tall i mill. kroner", f"Justert budsjett {y}", f"Prognose {y}"], grid_rows,
                    caption="Tabell 2 Bevilgningsoversikt drift – prognose", unit=None, label_width=200, size=7.5)
    t.pages.append([("h2", "2 Bevilgningsoversikt drift"),
                    ("p", "Oversikten viser prognosen for hele driftsbudsjettet."), ("grid", overview)])
    t.pages.append([("h2", "3 Investeringer"),
                    ("p", "Investeringene følger i hovedsak planen. Enkelte prosjekter er forsinket og vil bli "
                          "foreslått flyttet til neste år i handlingsprogrammet.")])
    t.layout_tables = [_truth(2, "wrapped_labels", wrapped), _truth(3, "continues_after_subsum", overview)]
    return t
