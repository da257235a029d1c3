"""Sources are data: a municipality, its platforms and start points, scope rules and its own
vocabulary, in a TOML file (`sources/*.toml`); document types and parties are national
(`sources/national.toml`), and a source adds only its local spellings.

Standard library only, so the CLI can resolve `--committee HBU` or `--kommune asker` without
loading Scrapy.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from sources.kommune import Kommune, kommune_key, parse_kommune
from sources.vocabulary import Abbreviation, Committee, Doctype, Party, Vocabulary, name_key

DEFAULT_SOURCE = "baerum"
NATIONAL = "national"  # sources/national.toml: the vocabulary every source shares, not a source
# The platforms an adapter exists for (crawler/adapters/): `kind` of a `[[platforms]]` table.
PLATFORM_KINDS = ("cms", "acos", "opengov", "einnsyn", "framsikt")
ACOS_MEETING = r"wfinnsyn\.ashx.*response=mote(&|$)"
ACOS_DOCUMENT = r"wfdocument\.ashx"
ACOS_ITEM = r"wfinnsyn\.ashx.*response=motesak(&|$)"
ACOS_PLAN = r"wfinnsyn\.ashx.*response=moteplan(&|$)"


@dataclass(frozen=True)
class Platform:
    """One `[[platforms]]` table: the adapter (`kind`) and its options, as the file gives them;
    each adapter reads and checks its own options."""

    kind: str
    options: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def get(self, key: str, default: Any = None) -> Any:
        return self.options.get(key, default)

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.options.get(key, [])
        return (value,) if isinstance(value, str) else tuple(str(v) for v in value)


@dataclass(frozen=True)
class Source:
    name: str
    title: str
    start_urls: tuple[str, ...]
    allowed_hosts: tuple[str, ...]
    wayback: str | None
    follow: tuple[re.Pattern[str], ...]
    deny: tuple[re.Pattern[str], ...]
    documents: tuple[re.Pattern[str], ...]
    meeting_page: re.Pattern[str]
    meeting_document: re.Pattern[str]
    budget_item: tuple[re.Pattern[str], ...]
    vocabulary: Vocabulary
    # The portal's meeting plan of one committee, "{id}" = its portal id (and "{year}" a year
    # of `plan_years`); relative to the folder of a meeting page. Empty: do not look for
    # meetings beyond those linked.
    meeting_plan: str = ""
    max_depth: int = 4
    max_file_mb: int = 200
    kommune: Kommune | None = None
    platforms: tuple[Platform, ...] = ()
    politeness: float | None = None  # seconds between requests to one host (None: the default)
    agenda_item: re.Pattern[str] = re.compile(ACOS_ITEM, re.I)  # an ACOS agenda item's own page
    plan_page: re.Pattern[str] = re.compile(ACOS_PLAN, re.I)  # an ACOS meeting plan
    plan_years: tuple[int, ...] = ()
    path: str = ""  # the file it was read from

    def platform(self, kind: str) -> Platform | None:
        return next((p for p in self.platforms if p.kind == kind), None)

    def kinds(self) -> tuple[str, ...]:
        return tuple(p.kind for p in self.platforms)


def _patterns(items: list[str] | tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in items)


def available_sources() -> list[str]:
    """The shipped sources' names (`sources/*.toml`, not the national vocabulary)."""
    folder = resources.files("sources")
    return sorted(n for p in folder.iterdir() if p.name.endswith(".toml")
                  and (n := p.name.removesuffix(".toml")) != NATIONAL)


def _folder(path: Path) -> list[Path]:
    found = sorted(p for p in path.glob("*.toml") if p.stem != NATIONAL)
    if not found:
        raise ValueError(f"no source files (*.toml) in {path}")
    return found


def source_files(spec: str | Path) -> list[str | Path]:
    """What a `--source` value names: `all` (the source files in $HPARKIV_SOURCES when it is set,
    else every shipped source), a directory (every TOML in it), a TOML file, or a shipped
    source's name; comma-separated values are several."""
    out: list[str | Path] = []
    for item in [s.strip() for s in str(spec).split(",") if s.strip()] if isinstance(spec, str) else [spec]:
        path = Path(item)
        if str(item) == "all":
            own = [Path(d) for d in os.environ.get("HPARKIV_SOURCES", "").split(os.pathsep) if d]
            out += [f for d in own for f in _folder(d)] if own else available_sources()
        elif path.is_dir():
            out += _folder(path)
        else:
            out.append(item)
    if not out:
        raise ValueError("no source named")
    return out


def load_source(name_or_path: str | Path = DEFAULT_SOURCE) -> Source:
    """Load a shipped source by name (`baerum`, `asker`) or any TOML file by path."""
    path = Path(name_or_path)
    if path.suffix == ".toml" and path.exists():
        text, where = path.read_text(encoding="utf-8"), str(path.resolve())
    else:
        res = resources.files("sources") / f"{name_or_path}.toml"
        if str(name_or_path) == NATIONAL or not res.is_file():
            raise ValueError(f"unknown source {str(name_or_path)!r}; shipped: {', '.join(available_sources())}")
        text, where = res.read_text(encoding="utf-8"), f"{name_or_path}.toml"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ValueError(f"{where}: not valid TOML: {e}") from None
    return _source(data, where)


def _source(data: dict[str, Any], where: str) -> Source:
    if not data.get("name"):
        raise ValueError(f"{where}: a source needs a name")
    scope = data.get("scope", {})
    platforms = _platforms(data, where)
    acos = next((p for p in platforms if p.kind == "acos"), None)
    portal = acos.options if acos else {}
    cms = next((p for p in platforms if p.kind == "cms"), None)
    starts = tuple(data.get("start_urls") or (cms.strings("start_urls") if cms else ()))
    hosts = list(data.get("allowed_hosts", []))
    for p in platforms:  # a platform's start points and API are hosts the source may visit
        for url in (*p.strings("start_urls"), *p.strings("publications"), p.get("base") or "", p.get("api") or ""):
            if "://" in url and (host := url.split("://", 1)[1].split("/", 1)[0].lower()) not in hosts:
                hosts.append(host)
        hosts += [h for h in p.strings("file_hosts") if h not in hosts]
    years = portal.get("years", [])
    if years and (len(years) != 2 or not all(isinstance(y, int) for y in years) or years[0] > years[1]):
        raise ValueError(f"{where}: years must be [first, last], not {years!r}")
    politeness = data.get("politeness", {}).get("delay")
    return Source(
        name=data["name"],
        title=data.get("title", data["name"]),
        start_urls=starts,
        allowed_hosts=tuple(hosts),
        wayback=data.get("wayback"),
        follow=_patterns(scope.get("follow", [])),
        deny=_patterns(scope.get("deny", [])),
        documents=_patterns(scope.get("documents", [])),
        meeting_page=re.compile(portal.get("meeting", ACOS_MEETING), re.IGNORECASE),
        meeting_document=re.compile(portal.get("document", ACOS_DOCUMENT), re.IGNORECASE),
        budget_item=_patterns(portal.get("budget_item", [])),
        vocabulary=_vocabulary(data, where),
        meeting_plan=portal.get("plan", ""),
        max_depth=int(scope.get("max_depth", 4)),
        max_file_mb=int(scope.get("max_file_mb", 200)),
        kommune=parse_kommune(data.get("kommune"), where),
        platforms=platforms,
        politeness=float(politeness) if politeness is not None else None,
        agenda_item=re.compile(portal.get("agenda_item", ACOS_ITEM), re.IGNORECASE),
        plan_page=re.compile(portal.get("plan_page", ACOS_PLAN), re.IGNORECASE),
        plan_years=tuple(range(years[0], years[1] + 1)) if years else (),
        path=where,
    )


def _platforms(data: dict[str, Any], where: str) -> tuple[Platform, ...]:
    """The `[[platforms]]` tables; a file without them (written before platforms existed) means
    its CMS (`start_urls`) and, with a `[meeting_portal]`, a classic ACOS portal."""
    out: list[Platform] = []
    for table in data.get("platforms", []):
        kind = table.get("kind")
        if kind not in PLATFORM_KINDS:
            raise ValueError(f"{where}: unknown platform kind {kind!r}; known: {', '.join(PLATFORM_KINDS)}")
        if "api_key" in table or "key" in table:
            raise ValueError(f"{where}: an API key never lives in a source file; name its variable in api_key_env")
        out.append(Platform(kind, dict(table)))
    kinds = {p.kind for p in out}
    if "cms" not in kinds and data.get("start_urls"):
        out.insert(0, Platform("cms", {"start_urls": list(data["start_urls"])}))
    if "meeting_portal" in data:
        legacy = dict(data["meeting_portal"])
        if "acos" in kinds:
            i = next(i for i, p in enumerate(out) if p.kind == "acos")
            out[i] = Platform("acos", {**legacy, **out[i].options})
        else:
            out.append(Platform("acos", {"kind": "acos", **legacy}))
    return tuple(out)


@cache
def national_vocabulary() -> Vocabulary:
    """The document types and parties every source shares (sources/national.toml)."""
    data = tomllib.loads((resources.files("sources") / f"{NATIONAL}.toml").read_text(encoding="utf-8"))
    return Vocabulary(
        committees=(),
        doctypes=tuple(Doctype(slug=d["slug"], name=d["name"], phrases=tuple(d.get("phrases", [])))
                       for d in data.get("doctypes", [])),
        parties=tuple(Party(abbr=p["abbr"], name=p["name"], aliases=tuple(p.get("aliases", [])))
                      for p in data.get("parties", [])),
        abbreviations=_abbreviations(data),
    )


def _abbreviations(data: dict[str, Any]) -> tuple[Abbreviation, ...]:
    return tuple(Abbreviation(abbr=a["abbr"], names=tuple(a["names"])) for a in data.get("abbreviations", []))


def _vocabulary(data: dict[str, Any], where: str) -> Vocabulary:
    """The source's committees, and the national types and parties with its local spellings."""
    national = national_vocabulary()
    doctypes = {d.slug: d for d in national.doctypes}
    for d in data.get("doctypes", []):
        known = doctypes.get(d["slug"])
        phrases = tuple(d.get("phrases", []))
        if known:
            doctypes[d["slug"]] = Doctype(known.slug, known.name, known.phrases + tuple(
                p for p in phrases if p not in known.phrases))
        elif "name" in d:
            doctypes[d["slug"]] = Doctype(d["slug"], d["name"], phrases)
        else:
            raise ValueError(f"{where}: doctype {d['slug']!r} is not national and has no name")
    parties = {name_key(p.abbr): p for p in national.parties}
    for p in data.get("parties", []):
        known = parties.get(name_key(p["abbr"]))
        aliases = tuple(p.get("aliases", []))
        if known:
            parties[name_key(p["abbr"])] = Party(known.abbr, known.name, known.aliases + tuple(
                a for a in aliases if a not in known.aliases))
        elif "name" in p:
            parties[name_key(p["abbr"])] = Party(p["abbr"], p["name"], aliases)
        else:
            raise ValueError(f"{where}: party {p['abbr']!r} is not national and has no name")
    committees = []
    for c in data.get("committees", []):
        ids = c.get("ids", {})
        pairs = tuple((kind, str(v)) for kind, values in ids.items() for v in
                      ([values] if isinstance(values, str | int) else values))
        committees.append(Committee(
            slug=c["slug"], name=c["name"], abbr=c.get("abbr", ""), aliases=tuple(c.get("aliases", [])),
            portal_ids=tuple(c.get("portal_ids", [])), ids=pairs, filter_only=tuple(c.get("filter_only", [])),
        ))
    abbreviations = {name_key(a.abbr): a for a in national.abbreviations}
    abbreviations.update((name_key(a.abbr), a) for a in _abbreviations(data))  # a local one stands for the national
    return Vocabulary(committees=tuple(committees), doctypes=tuple(doctypes.values()),
                      parties=tuple(parties.values()), abbreviations=tuple(abbreviations.values()))


def _search_path() -> list[str | Path]:
    """Every source the filters may name: the shipped ones, then the files in $HPARKIV_SOURCES."""
    names: list[str | Path] = [DEFAULT_SOURCE, *(n for n in available_sources() if n != DEFAULT_SOURCE)]
    extra = os.environ.get("HPARKIV_SOURCES")
    if extra:
        for item in extra.split(os.pathsep):
            if item and Path(item).is_dir():
                names += sorted(p for p in Path(item).glob("*.toml") if p.stem != NATIONAL)
    return names


def known_sources() -> list[Source]:
    """The shipped sources (the default first) and those in $HPARKIV_SOURCES (which stand for the
    shipped one of the same name); a file that does not load is left out here (loading it by
    name says why). Read once per set of files (a file changed on disk is read again)."""
    key = []
    for name in _search_path():
        try:
            key.append((str(name), Path(name).stat().st_mtime_ns if isinstance(name, Path) else 0))
        except OSError:
            continue
    return list(_load_known(tuple(key)))


@cache
def _load_known(files: tuple[tuple[str, int], ...]) -> tuple[Source, ...]:
    out: dict[str, Source] = {}
    for name, _mtime in files:
        try:
            src = load_source(Path(name) if name.endswith(".toml") else name)
        except (ValueError, OSError):
            continue
        out.pop(src.name, None)  # a file of one's own stands for the shipped source of its name
        out[src.name] = src
    return tuple(out.values())


def shipped_vocabulary() -> Vocabulary:
    """Every known source's committees (each kept, so every municipality's spellings resolve),
    the national types and parties and every source's local spellings of them."""
    sources = known_sources()
    committees: dict[tuple[str, str], Committee] = {}
    doctypes: dict[str, Doctype] = {}
    parties: dict[str, Party] = {}
    abbreviations: dict[str, Abbreviation] = {}
    for src in sources:
        vocab = src.vocabulary
        for a in vocab.abbreviations:
            abbreviations.setdefault(name_key(a.abbr), a)
        for c in vocab.committees:
            committees.setdefault((c.slug, c.name), c)
        for d in vocab.doctypes:
            seen = doctypes.get(d.slug)
            doctypes[d.slug] = d if seen is None else Doctype(
                seen.slug, seen.name, seen.phrases + tuple(p for p in d.phrases if p not in seen.phrases))
        for p in vocab.parties:
            seen_p = parties.get(name_key(p.abbr))
            parties[name_key(p.abbr)] = p if seen_p is None else Party(
                seen_p.abbr, seen_p.name, seen_p.aliases + tuple(a for a in p.aliases if a not in seen_p.aliases))
    return Vocabulary(
        committees=tuple(committees.values()),
        doctypes=tuple(doctypes.values()),
        parties=tuple(parties.values()),
        abbreviations=tuple(abbreviations.values()),
    )


def find_kommune(text: str, sources: list[Source] | None = None) -> tuple[Kommune, list[str]] | None:
    """The municipality a user means by a kommunenummer (also a former one), its name (any case,
    with or without æøå, spaces or hyphens) or the name of one of its sources; with the names of
    the sources that publish for it. None when no known source says."""
    key = kommune_key(text)
    if not key:
        return None
    found: Kommune | None = None
    names: list[str] = []
    for src in known_sources() if sources is None else sources:
        k = src.kommune
        if k is None:
            continue
        if text.strip() in k.numbers() or key in (kommune_key(k.name), kommune_key(src.name)):
            if found is None or found.number == k.number:
                found = found or k
                names.append(src.name)
    return (found, names) if found else None
