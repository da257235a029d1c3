"""The answer key of the platform replicas (``replicas.json``), beside ``truth.json``.

``truth.json`` lists every document an adapter must yield (``sample.truth.TruthDoc``, with
``kommune``, ``kommunenummer``, ``source`` and ``platform``). ``replicas.json`` says the rest:

- ``municipalities``: name, number, platforms, start points (platform, host, path), the hosts
  a source may visit, the budget lines of every document (``series``: one point per printed
  cell of "Grunnskole", "Barnehage", "Kulturskole" and "Netto driftsresultat", with stage,
  document and page) and the inhabitants each document states (``inhabitants``), so a
  per-capita figure is ``value_kr / inhabitants`` of the budget year;
- ``einnsyn``: the publishing unit and its committees, every meeting (budget or not), every
  agenda item's decision (text as served and as read, per-party tally of the per-member
  votes, the treatment protocol as printed and its vote statements), the other publisher's
  meetings a Stavanger source must leave alone, object counts;
- ``opengov``: boards (years, default year), meetings (items, files), decisions;
- ``framsikt``: each publication's pages (heading level 1 or 2 starts a page: headings, text
  as read, tables as data, broken blocks), its files per snapshot, and what the second
  snapshot changes; the parts of the shape that are assumptions (``unverified``);
- ``acos``: Asker's landing and archive pages, portal meetings, decisions;
- ``problems``: every planted failure (expired link, malformed record, unknown value, missing
  decision) with where it is, its reason and what must happen (``expect``): recorded with its
  reason, the run goes on.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sample.platforms.figures import PERIOD, YEAR, Kommune


@dataclass
class Municipality:
    source: str  # the source file's name
    name: str  # "Nordre Follo"
    number: str  # "3207"
    title: str  # "Nordre Follo kommune"
    platforms: list[str]
    start: list[dict]  # {"platform", "host", "path"}: where an adapter starts
    hosts: list[str]  # host names of the build a source of this municipality may visit
    unique_word: str  # planted in one of its documents only
    budget_year: int = YEAR
    period: str = PERIOD
    inhabitants: list[dict] = field(default_factory=list)
    series: list[dict] = field(default_factory=list)


def municipality(k: Kommune, platforms: list[str], start: list[tuple[str, str, str]], hosts: list[str],
                 part: dict) -> Municipality:  # fmt: skip
    """A municipality's entry; takes the budget lines and inhabitants out of its replica's part."""
    return Municipality(
        source=k.source, name=k.name, number=k.number, title=k.title, platforms=platforms,
        start=[{"platform": p, "host": h, "path": path} for p, h, path in start], hosts=hosts,
        unique_word=k.unique_word, inhabitants=part.pop("inhabitants"), series=part.pop("series"),
    )  # fmt: skip


@dataclass
class Answers:
    generator_version: int
    hosts: dict[str, str]
    municipalities: list[Municipality]
    api_key: str  # the eInnsyn replica's key (a test's environment carries it, never a file)
    api_key_header: str
    problems: list[dict]
    acos: dict[str, Any]
    framsikt: dict[str, Any]
    einnsyn: dict[str, Any]
    opengov: dict[str, Any]

    def __post_init__(self) -> None:
        for part in (self.acos, self.framsikt, self.einnsyn, self.opengov):
            part.pop("problems", None)  # they are all in `problems`

    def municipality(self, source: str) -> Municipality:
        return next(m for m in self.municipalities if m.source == source)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1)


def load_answers(dest: Path) -> Answers:
    data = json.loads((Path(dest) / "replicas.json").read_text(encoding="utf-8"))
    data["municipalities"] = [Municipality(**m) for m in data["municipalities"]]
    return Answers(**data)
