"""The municipality a source publishes for: its name and kommunenummer, as data.

A kommunenummer is a string of four digits ("0301" keeps its zero). Municipalities merge and
move between counties, so a source also lists the numbers it had before (`former_numbers`);
`--kommune 3024` still finds Bærum.

Ground floor: standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sources.vocabulary import name_key

NUMBER = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class Kommune:
    name: str  # "Nordre Follo"
    number: str  # "3207"
    former_numbers: tuple[str, ...] = ()
    orgnummer: str = ""  # optional; eInnsyn finds the publishing unit by it

    @property
    def title(self) -> str:
        return f"{self.name} kommune"

    def numbers(self) -> tuple[str, ...]:
        return (self.number, *self.former_numbers)


def kommune_key(text: str) -> str:
    """How a municipality's name is compared: "Nordre Follo", "nordre-follo" and "NordreFollo"
    meet; "Bærum" and "baerum" meet; a trailing "kommune" is dropped."""
    key = re.sub(r"[\s\-_.]+", "", name_key(text.strip()))
    return key.removesuffix("kommune") or key


def parse_kommune(data: dict | None, where: str) -> Kommune | None:
    """The `[kommune]` table of a source file (None when the file has none)."""
    if not data:
        return None
    number = str(data.get("number", "")).strip()
    if not NUMBER.match(number):
        raise ValueError(f"{where}: [kommune] number must be four digits as a string (\"0301\"), not {number!r}")
    former = []
    for item in data.get("former_numbers", []):
        value = str(item.get("number", "") if isinstance(item, dict) else item).strip()
        if not NUMBER.match(value):
            raise ValueError(f"{where}: a former kommunenummer must be four digits, not {value!r}")
        former.append(value)
    name = str(data.get("name", "")).strip()
    if not name:
        raise ValueError(f"{where}: [kommune] needs a name")
    return Kommune(name=name, number=number, former_numbers=tuple(former),
                   orgnummer=str(data.get("orgnummer", "")).strip())
