"""One adapter per platform, chosen by the source file's `[[platforms]]` tables (`kind`).

| kind | platform | module |
|---|---|---|
| `cms` | the municipality's own pages (and their Wayback captures) | `cms.py` |
| `acos` | the classic ACOS Innsyn meeting portal | `acos.py` |
| `opengov` | Tietoevry 360 OpenGov meeting pages | `opengov.py` |
| `einnsyn` | the eInnsyn API (key from the environment) | `einnsyn.py` |
| `framsikt` | Framsikt web publications (a budget published only there) | `framsikt.py` |

Each is a class with one signature (`base.Adapter`) that yields the same things (`base.Fetch`,
`DocumentLink`, `BuiltDocument`, `Problem`), so classification, storage and the catalog are
the same for every platform. No Scrapy here: the spider (crawler/spiders/) runs them.
Adding a platform: a module here with an `Adapter` subclass, its kind in `ADAPTERS` and in
`sources.PLATFORM_KINDS`, and a replica in sample/platforms/ first (docs/architecture.md).
"""

from __future__ import annotations

from crawler.adapters.acos import AcosAdapter
from crawler.adapters.base import (
    Adapter,
    Answer,
    BuiltDocument,
    DocumentLink,
    Fetch,
    Note,
    Probe,
    Problem,
    Visited,
)
from crawler.adapters.cms import CmsAdapter
from crawler.adapters.einnsyn import EInnsynAdapter
from crawler.adapters.framsikt import FramsiktAdapter
from crawler.adapters.opengov import OpenGovAdapter

# Most specific first: `sources detect` lists every platform that fits in this order.
ADAPTERS: dict[str, type[Adapter]] = {
    "einnsyn": EInnsynAdapter,
    "framsikt": FramsiktAdapter,
    "opengov": OpenGovAdapter,
    "acos": AcosAdapter,
    "cms": CmsAdapter,
}

__all__ = [
    "ADAPTERS",
    "Adapter",
    "Answer",
    "BuiltDocument",
    "DocumentLink",
    "Fetch",
    "Note",
    "Probe",
    "Problem",
    "Visited",
]
