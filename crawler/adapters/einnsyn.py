"""`einnsyn`: political meetings through the eInnsyn API (`felleslosninger/einnsyn-api-spec`).

The key is read from the environment variable the source names (`api_key_env`), never from a
file, and sent in the header the specification names (`API-KEY`). Lists are read page by page
through their `next` cursor (a path without a host, as the service writes it).

From the publishing unit (`journalenhet`, by id or organisation number) the adapter reads every
meeting (`Moetemappe`) since `since`, each meeting's agenda items (`Moetesak`, expanded with
their decision, its text and protocol, and their documents), and of the budget items
(`budget_item`): every document's file (`Dokumentobjekt.referanseDokumentfil`, on the
municipality's document server, `file_hosts`), the meeting's protocol and summons, and one
archived record per decision (`einnsyn` record: the decision as served, its treatment protocol
and every member's vote, `Votering`), which extract/records.py turns into our vote model.

A meeting's day is the local day of its `moetedato` (an instant; `timezone`). A record that is
not as documented (a date that does not exist, a vote outside Ja/Nei/Blankt) is kept, marked,
and recorded as a problem with its reason.

Options (`[[platforms]] kind = "einnsyn"`): `api`, `api_key_env` (the variable holding the key),
`api_key_header`, `journalenhet` ({ orgnummer = … } or { id = … }; else the `[kommune]`'s
orgnummer), `since` (a day: older meetings are left out), `timezone`, `budget_item` (words of a
budget item's title), `file_hosts` (where the files live, `*.domain` allowed), `page_size`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from catalog.models import Link
from crawler.adapters.base import Adapter, Answer, BuiltDocument, DocumentLink, Note, Probe, Problem, Visited

DEFAULT_API = "https://api.einnsyn.no"
DEFAULT_KEY_ENV = "HPARKIV_EINNSYN_API_KEY"
DEFAULT_HEADER = "API-KEY"
PAGE = 100  # the largest page the API serves (`page_size` in the platform table asks for less)
VOTES = ("Ja", "Nei", "Blankt")  # Votering.stemme as the specification enumerates it
FORMAT = 1
SAK_EXPAND = ("vedtak.vedtakstekst,vedtak.behandlingsprotokoll,vedtak.vedtaksdokument.dokumentobjekt,"
              "dokumentbeskrivelse.dokumentobjekt,utredning.utredningsdokument.dokumentobjekt,"
              "utredning.innstilling,innstilling")


def local_day(moetedato: Any, zone: dt.tzinfo) -> str | None:
    """The meeting's day where it was held; None when the value is no date."""
    if not isinstance(moetedato, str) or not moetedato:
        return None
    text = moetedato.strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text).isoformat()
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(zone).date().isoformat()


def _id(value: Any) -> str | None:
    """An expanded object's id, or a reference (an id already)."""
    if isinstance(value, dict):
        return value.get("id")
    return value if isinstance(value, str) else None


def _objects(value: Any) -> list[dict[str, Any]]:
    return [v for v in (value or []) if isinstance(v, dict)] if isinstance(value, list) else []


class EInnsynAdapter(Adapter):
    kind = "einnsyn"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        p = self.platform
        self.api = (p.get("api") or DEFAULT_API).rstrip("/")
        self.key = self.env.environ.get(p.get("api_key_env") or DEFAULT_KEY_ENV, "")
        self.header = p.get("api_key_header") or DEFAULT_HEADER
        self.since = str(p.get("since") or "")
        try:
            self.zone: dt.tzinfo = ZoneInfo(p.get("timezone") or "Europe/Oslo")
        except (ZoneInfoNotFoundError, ValueError):
            self.zone = dt.UTC
        self.budget = [str(w).lower() for w in p.get("budget_item", [])] or ["budsjett", "økonomiplan"]
        self.page = max(1, min(PAGE, int(p.get("page_size") or PAGE)))
        self.unit = p.get("journalenhet") or {}
        if isinstance(self.unit, str):
            self.unit = {"id": self.unit}
        self.orgnummer = str(self.unit.get("orgnummer") or (self.source.kommune.orgnummer if self.source.kommune else ""))

    def get(self, path: str, callback: str, meta: dict[str, Any] | None = None, **query: Any) -> Any:
        url = urljoin(self.api + "/", path.lstrip("/"))
        if query:
            url += ("&" if "?" in url else "?") + urlencode(query)
        return self.fetch(url, callback, meta=meta or {}, headers={self.header: self.key}, expect="data",
                          errors=True, priority=20)

    def next_page(self, answer: Answer, body: dict[str, Any]) -> Any | None:
        """The list's next page (its `next` is a path without a host)."""
        nxt = body.get("next")
        if not isinstance(nxt, str) or not nxt:
            return None
        return self.get(nxt, answer.meta["callback"], meta=answer.meta)

    def read(self, answer: Answer) -> tuple[Any | None, Problem | None]:
        """The JSON of an answer, or the problem that it is not one we can use."""
        if answer.status == 0:
            return None, Problem(answer.url, None, answer.error or "no answer")
        if answer.status in (401, 403):
            try:
                err = answer.json()
                why = f"{err.get('type')}: {err.get('message')}"
            except (ValueError, AttributeError):
                why = f"HTTP {answer.status}"
            return None, Problem(answer.url, answer.status, f"the eInnsyn API refused the key ({why}); check "
                                 f"${self.platform.get('api_key_env') or DEFAULT_KEY_ENV}")
        if answer.status != 200:
            return None, Problem(answer.url, answer.status, f"HTTP {answer.status}")
        try:
            return answer.json(), None
        except ValueError as e:
            return None, Problem(answer.url, 200, f"malformed record: the answer is {e}")

    # --- the publishing unit ----------------------------------------------------------------

    def start(self) -> Iterator[Any]:
        if self.unit.get("id"):
            yield from self.meetings_of(self.unit["id"])
        elif self.orgnummer:
            yield self.get("/enhet", "units", meta={"callback": "units"}, limit=self.page, sortOrder="asc")
        else:
            yield Problem(self.api, None, "the source names no journalenhet (id or orgnummer) for eInnsyn")

    def units(self, answer: Answer) -> Iterator[Any]:
        body, problem = self.read(answer)
        if problem:
            yield problem
            return
        yield Visited(answer.url)
        for unit in body.get("items", []):
            if str(unit.get("orgnummer")) == self.orgnummer and unit.get("enhetstype") == "KOMMUNE":
                yield from self.meetings_of(unit["id"])
                return
        more = self.next_page(answer, body)
        if more is not None:
            yield more
        else:
            yield Problem(answer.url, None, f"no eInnsyn unit (enhetstype KOMMUNE) has orgnummer {self.orgnummer}")

    def meetings_of(self, unit: str) -> Iterator[Any]:
        yield self.get("/moetemappe", "meetings", meta={"callback": "meetings"}, journalenhet=unit, limit=self.page,
                       sortOrder="asc", expand="utvalgObjekt")

    # --- meetings and agenda items ------------------------------------------------------------

    def meetings(self, answer: Answer) -> Iterator[Any]:
        body, problem = self.read(answer)
        if problem:
            yield problem
            return
        yield Visited(answer.url)
        for mm in body.get("items", []):
            meeting = self.meeting_facts(mm)
            if meeting["day"] and self.since and meeting["day"] < self.since:
                continue
            if meeting["problem"]:
                yield Problem(f"{self.api}/moetemappe/{mm.get('id')}", 200, meeting["problem"])
            yield self.get(f"/moetemappe/{mm['id']}/moetesak", "items", meta={"callback": "items", "meeting": meeting},
                           limit=self.page, sortOrder="asc", expand=SAK_EXPAND)
        more = self.next_page(answer, body)
        if more is not None:
            yield more

    def meeting_facts(self, mm: dict[str, Any]) -> dict[str, Any]:
        """What a meeting says of itself: its committee (slug and name), local day, title."""
        raw = mm.get("moetedato")
        day = local_day(raw, self.zone)
        unit = mm.get("utvalgObjekt") if isinstance(mm.get("utvalgObjekt"), dict) else {}
        code = mm.get("utvalg") or unit.get("enhetskode") or ""
        name = unit.get("navn") or ""
        vocab = self.source.vocabulary
        committee = (vocab.committee_by_id(self.kind, code) or (vocab.committee(code) if code else None)
                     or (vocab.committee(name) if name else None))
        problems = []
        if day is None:
            problems.append(f"moetedato {raw!r} is not a date; the meeting is kept without a date")
        if not mm.get("utvalg"):
            problems.append(f"utvalg is missing (the committee is read from utvalgObjekt: {name or 'unknown'})")
        return {"id": mm.get("id"), "title": mm.get("offentligTittel") or "", "day": day, "moetedato": raw,
                "committee": committee.slug if committee else None, "committee_name": name or code,
                "code": code, "problem": "malformed record: " + "; ".join(problems) if problems else ""}

    def is_budget(self, title: str) -> bool:
        low = title.lower()
        return any(word in low for word in self.budget)

    def items(self, answer: Answer) -> Iterator[Any]:
        body, problem = self.read(answer)
        if problem:
            yield problem
            return
        yield Visited(answer.url)
        meeting = answer.meta["meeting"]
        budget = [ms for ms in body.get("items", []) if self.is_budget(ms.get("offentligTittel") or "")]
        answer.meta.setdefault("budget_items", []).extend(self.item_line(ms) for ms in budget)  # shared by its pages
        for ms in budget:
            yield from self.agenda_item(meeting, ms)
        more = self.next_page(answer, body)
        if more is not None:
            yield more
        if more is None and answer.meta["budget_items"]:  # the meeting's protocol and summons, once
            yield self.get(f"/moetemappe/{meeting['id']}/moetedokument", "meeting_documents",
                           meta={"callback": "meeting_documents", "meeting": meeting,
                                 "items": " / ".join(answer.meta["budget_items"])},
                           limit=self.page, expand="dokumentbeskrivelse.dokumentobjekt")

    @staticmethod
    def case_of(ms: dict[str, Any]) -> str | None:
        """The agenda item's number as protocols print it: "98/23"."""
        if ms.get("moetesakssekvensnummer") is None or not ms.get("moetesaksaar"):
            return None
        return f"{ms['moetesakssekvensnummer']}/{int(ms['moetesaksaar']) % 100:02d}"

    def item_line(self, ms: dict[str, Any]) -> str:
        case = self.case_of(ms)
        title = ms.get("offentligTittel") or ""
        return f"{case} {title}".strip() if case else title

    def agenda_item(self, meeting: dict[str, Any], ms: dict[str, Any]) -> Iterator[Any]:
        case = self.case_of(ms)
        item = self.item_line(ms)
        vedtak = ms.get("vedtak") if isinstance(ms.get("vedtak"), dict) else None
        documents = _objects(ms.get("dokumentbeskrivelse"))
        utredning = ms.get("utredning") if isinstance(ms.get("utredning"), dict) else {}
        documents += _objects(utredning.get("utredningsdokument"))
        if vedtak:
            documents += _objects(vedtak.get("vedtaksdokument"))
        for db in documents:
            yield from self.document(meeting, db, "item", item)
        if vedtak is None:
            yield Note("unpublished_decisions", f"{item} ({meeting['committee_name']} {meeting['day'] or ''}): "
                       "no decision published (vedtak is null)")
            return
        record = {"meeting": meeting, "moetesak": ms["id"], "case": case, "title": ms.get("offentligTittel") or "",
                  "item": item, "vedtak": vedtak, "innstilling": _text_of(ms.get("innstilling") or utredning.get("innstilling")),
                  "documents": [db.get("tittel") for db in documents], "votes": []}
        if vedtak.get("votering"):
            yield self.get(f"/vedtak/{vedtak['id']}/votering", "votes", meta={"callback": "votes", "record": record},
                           limit=self.page, sortOrder="asc", expand="moetedeltaker,representerer")
        else:
            yield self.record(record)

    def document(self, meeting: dict[str, Any], db: dict[str, Any], section: str, item: str) -> Iterator[Any]:
        title = (db.get("tittel") or "").strip()
        for do in _objects(db.get("dokumentobjekt")):
            url = do.get("referanseDokumentfil")
            if not isinstance(url, str) or "://" not in url:
                yield Problem(f"{self.api}/dokumentobjekt/{do.get('id')}", 200,
                              "malformed record: the document object has no file address (referanseDokumentfil)")
                continue
            if not self.env.allowed(url):
                self.env.not_allowed(url)
                continue
            facts: dict[str, Any] = {}
            doctype = self.source.vocabulary.doctype(db.get("dokumenttype") or "")
            if doctype is not None:
                facts["doctype"] = [doctype.slug, f"eInnsyn dokumenttype \"{db.get('dokumenttype')}\""]
            facts.update(self.meeting_facts_for_link(meeting))
            context = {
                "link_text": title, "page_title": meeting["title"],
                "meeting": {"title": meeting["title"], "committee": meeting["committee_name"], "date": meeting["day"],
                            "section": section, "section_title": "", "item": item},
                "facts": facts, "platform": self.kind,
                "checksum": {"sha256": do["sjekksum"]} if do.get("sjekksumAlgoritme") == "SHA-256" and do.get("sjekksum") else {},
            }
            yield DocumentLink(url, Link(url, f"{self.api}/dokumentobjekt/{do['id']}", title, context))

    def meeting_facts_for_link(self, meeting: dict[str, Any]) -> dict[str, Any]:
        facts: dict[str, Any] = {"date": [meeting["day"], f"eInnsyn moetedato {meeting['moetedato']!r}"
                                          + ("" if meeting["day"] else " (no date)")]}
        if meeting["committee"]:
            facts["committee"] = [meeting["committee"], f"eInnsyn utvalg {meeting['code'] or meeting['committee_name']!r}"]
        return facts

    def meeting_documents(self, answer: Answer) -> Iterator[Any]:
        body, problem = self.read(answer)
        if problem:
            yield problem
            return
        yield Visited(answer.url)
        meeting = answer.meta["meeting"]
        for md in body.get("items", []):
            kind = (md.get("moetedokumenttype") or "").lower()
            section = "protokoll" if "protokoll" in kind else "innkalling" if "innkalling" in kind else "sakskart"
            for db in _objects(md.get("dokumentbeskrivelse")):
                yield from self.document(meeting, db, section, answer.meta.get("items", ""))
        more = self.next_page(answer, body)
        if more is not None:
            yield more

    # --- decisions and votes ------------------------------------------------------------------

    def votes(self, answer: Answer) -> Iterator[Any]:
        body, problem = self.read(answer)
        record = answer.meta["record"]
        if problem:
            yield problem
            yield self.record(record)  # the decision without (all) its votes, marked
            return
        yield Visited(answer.url)
        for v in body.get("items", []):
            member = v.get("moetedeltaker") if isinstance(v.get("moetedeltaker"), dict) else {}
            party = v.get("representerer") if isinstance(v.get("representerer"), dict) else {}
            stemme = v.get("stemme")
            record["votes"].append({"member": member.get("moetedeltakerNavn"), "party": party.get("identifikator")
                                    or party.get("initialer") or party.get("navn"), "stemme": stemme})
            if stemme not in VOTES:
                yield Problem(f"{self.api}/votering/{v.get('id')}", 200,
                              f"unknown value: stemme {stemme!r} is none of {', '.join(VOTES)} "
                              f"({member.get('moetedeltakerNavn') or 'a member'}); kept as printed, not counted")
        nxt = body.get("next")
        if isinstance(nxt, str) and nxt:
            yield self.get(nxt, "votes", meta=answer.meta)
        else:
            yield self.record(record)

    def record(self, record: dict[str, Any]) -> BuiltDocument:
        """One agenda item's decision as the API serves it, with its votes: an archived record."""
        meeting, vedtak = record["meeting"], record["vedtak"]
        url = f"{self.api}/moetesak/{record['moetesak']}"
        snapshot = {
            "record": "einnsyn-moetesak", "format": FORMAT, "url": url, "case": record["case"],
            "title": record["title"], "committee": meeting["committee_name"], "meeting": meeting["title"],
            "date": vedtak.get("dato") or meeting["day"], "decision_html": _text_of(vedtak.get("vedtakstekst")),
            "protocol": _text_of(vedtak.get("behandlingsprotokoll")), "recommendation_html": record["innstilling"],
            "votes": record["votes"], "documents": record["documents"],
        }
        body = json.dumps(snapshot, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        title = f"Vedtak {record['item']}" if record["item"] else "Vedtak"
        facts = {"doctype": ["protokoll", "an eInnsyn decision record (Vedtak with its treatment and votes)"],
                 **self.meeting_facts_for_link(meeting)}
        context = {"link_text": title, "page_title": meeting["title"], "facts": facts, "platform": self.kind,
                   "meeting": {"title": meeting["title"], "committee": meeting["committee_name"], "date": meeting["day"],
                               "section": "item", "section_title": "", "item": record["item"]}}
        return BuiltDocument(url=url, body=body, media_type="einnsyn", content_type="application/json",
                             links=[Link(url, f"{self.api}/moetemappe/{meeting['id']}", title, context)])

    # --- what the parent asks -----------------------------------------------------------------

    @classmethod
    def hosts(cls, platform: Any) -> list[str]:
        return [urlsplit(platform.get("api") or DEFAULT_API).netloc.lower(), *platform.strings("file_hosts")]

    @classmethod
    def problem(cls, platform: Any, environ: Mapping[str, str]) -> str | None:
        name = platform.get("api_key_env") or DEFAULT_KEY_ENV
        if not environ.get(name):
            return (f"${name} is not set: the eInnsyn API needs a key (sent in the {platform.get('api_key_header') or DEFAULT_HEADER} "
                    "header); put it in the environment, never in the source file")
        return None

    @classmethod
    def detect(cls, probe: Probe) -> str | None:
        ctype = probe.headers.get("content-type", "")
        if "json" not in ctype:
            return None
        try:
            body = json.loads(probe.body)
        except (ValueError, UnicodeDecodeError):
            return None
        if isinstance(body, dict) and body.get("type") in ("authenticationError", "authorizationError"):
            return (f"a JSON API answering {probe.status} {body['type']} as the eInnsyn API does "
                    "(felleslosninger/einnsyn-api-spec): it needs a key in the API-KEY header")
        if isinstance(body, dict) and (body.get("entity") == "AuthInfo" or "items" in body and "next" in body):
            return "a JSON API with eInnsyn's shapes (AuthInfo, cursor-paged lists)"
        return None


def _text_of(value: Any) -> str | None:
    """A Moetesaksbeskrivelse / Behandlingsprotokoll's text (expanded), or None."""
    if isinstance(value, dict):
        text = value.get("tekstInnhold")
        return text if isinstance(text, str) else None
    return None
