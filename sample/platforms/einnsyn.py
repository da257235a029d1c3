"""A replica of the eInnsyn API (api.einnsyn.no) with Stavanger's budget meetings of 2023.

Built from the published specification (``felleslosninger/einnsyn-api-spec``: TypeSpec models
and the generated OpenAPI) and the reference backend's list code, not from any reader:

- **Auth**: the key in the ``API-KEY`` header (the OpenAPI's ``securitySchemes``; older spec
  versions named it ``X-EIN-API-KEY``, which this replica does not accept). No key: 401
  ``authenticationError``; a wrong key: 403 ``authorizationError``.
- **Ids**: a type prefix and a 26-character Crockford base32 ULID (``mm_01hg…``), so ids sort
  by creation time.
- **Lists**: ``{"items": [...], "next": ..., "previous": ...}``; ``limit`` 1-100 (default 25,
  else 400 ``validationError``), ``sortOrder`` asc|desc (default desc), cursors
  ``startingAfter``/``endingBefore`` compare ids, ``next``/``previous`` are the request's path
  and query with the cursor replaced and no host (as the backend builds them), ``journalenhet``
  filters by publishing unit, ``ids`` fetches a list.
- **Objects**: references are ids; ``expand=a.b`` replaces them by objects along the path.
  ``GET /{entity}/{id}``, ``/moetemappe/{id}/moetesak``, ``/moetemappe/{id}/moetedokument``,
  ``/moetesak/{id}/vedtak``, ``/moetesak/{id}/utredning``, ``/moetesak/{id}/dokumentbeskrivelse``,
  ``/vedtak/{id}/votering``, ``/vedtak/{id}/vedtaksdokument``, ``/utredning/{id}/utredningsdokument``,
  ``/moetedokument/{id}/dokumentbeskrivelse``, ``/enhet/{id}/underenhet``, ``/search``, ``/me``.
- **Files**: ``Dokumentobjekt.referanseDokumentfil`` is a URL on the municipality's own document
  server (a host of this build); ``/dokumentobjekt/{id}/download`` answers 302 to it.

The data: Stavanger's committees handle "Budsjett 2024 og økonomiplan 2024–2027" (the proposal,
formannskapets innstilling with 13 votes, the kommunestyre's decision with 67 votes), among 26
other meetings of 2023, and Rogaland fylkeskommune's Fylkestinget, which a Stavanger source must
not collect. Messy on purpose (``FAULTS`` below, all in the answer key): a vote "Fraværende"
outside the enum, a decision that is null, a meeting whose date does not exist and whose
``utvalg`` is missing, a file that is gone (410), a meeting stored at 23:00Z the day before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from sample.platforms import figures
from sample.platforms.figures import KOMMUNER, PERIOD, YEAR, Kommune
from sample.platforms.store import PDF, Store
from sample.protocols import vote
from sample.server import Reply, SampleServer
from sample.truth import TruthDoc

API_KEY = "secret_hparkiv-replica-3c1d7a"  # the key the replica accepts; tests put it in the environment
HEADER = "API-KEY"
FILES = "stavanger_filer"  # host of Stavanger's document server
NOISE_FILES = "rogfk_filer"  # Rogaland fylkeskommune's (never to be requested by a Stavanger source)
DATA = "einnsyn.json"
CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"
OSLO_WINTER = dt.timedelta(hours=1)  # every meeting here is in CET (no summer dates near midnight)

PARTIES = {  # abbr -> (name, seats in Stavanger kommunestyre, seats in formannskapet, side in the budget vote)
    "H": ("Høyre", 21, 5, "Ja"), "Ap": ("Arbeiderpartiet", 15, 3, "Nei"), "FrP": ("Fremskrittspartiet", 8, 2, "Ja"),
    "SV": ("Sosialistisk Venstreparti", 4, 1, "Nei"), "R": ("Rødt", 4, 0, "Nei"),
    "MDG": ("Miljøpartiet De Grønne", 3, 1, "Nei"), "KrF": ("Kristelig Folkeparti", 3, 1, "Ja"),
    "V": ("Venstre", 3, 0, "Ja"), "Pp": ("Pensjonistpartiet", 3, 0, "Ja"), "Sp": ("Senterpartiet", 2, 0, "Nei"),
    "INP": ("Industri- og Næringspartiet", 1, 0, "Ja"),
}  # fmt: skip
FIRST = ["Kari", "Ole", "Ingrid", "Lars", "Silje", "Anders", "Marte", "Per", "Hilde", "Tor", "Eli", "Jon",
         "Randi", "Øystein", "Åse", "Bjørn", "Sigrid", "Håkon", "Tone", "Erlend"]  # fmt: skip
LAST = ["Larsen", "Tjelta", "Håland", "Økland", "Sømme", "Bryne", "Vikse", "Ånestad", "Hetland", "Sandvik",
        "Myklebust", "Rasmussen", "Thu", "Stangeland", "Helgø", "Nærland"]  # fmt: skip
COMMITTEES = {  # enhetskode -> (slug, name)
    "KST": ("kommunestyret", "Kommunestyret"),
    "FSK": ("formannskapet", "Formannskapet"),
    "UOU": ("oppvekst-og-utdanning", "Utvalg for oppvekst og utdanning"),
    "UHV": ("helse-og-velferd", "Utvalg for helse og velferd"),
    "UMU": ("miljo-og-utbygging", "Utvalg for miljø og utbygging"),
    "KU": ("kontrollutvalget", "Kontrollutvalget"),
}
ORDINARY = ["Reguleringsplan for Madla sentrum", "Tilskudd til frivillige lag og foreninger",
            "Trafikksikkerhetsplan 2023–2026", "Salg av tomt på Hinna", "Skolebruksplan for Hundvåg",
            "Kvalitetsmelding for grunnskolen", "Boligsosial handlingsplan", "Eierskapsmelding 2023",
            "Vedlikeholdsplan for idrettsanlegg", "Temaplan for fysisk aktivitet", "Parkeringsstrategi",
            "Høring: Regional plan for Jæren"]  # fmt: skip


def ulid(prefix: str, when: dt.datetime, name: str) -> str:
    """An eInnsyn id: prefix, 48-bit milliseconds and 80 bits from the name, Crockford base32."""
    ms = int(when.timestamp() * 1000)
    rnd = int.from_bytes(hashlib.sha1(name.encode()).digest()[:10], "big")
    n = (ms << 80) | rnd
    chars = []
    for _ in range(26):
        chars.append(CROCKFORD[n & 31])
        n >>= 5
    return f"{prefix}_{''.join(reversed(chars))}"


def utc(day: str, hour: int = 17, minute: int = 0) -> dt.datetime:
    """A local (CET) meeting time as the UTC instant eInnsyn stores."""
    d = dt.date.fromisoformat(day)
    return dt.datetime(d.year, d.month, d.day, hour, minute, tzinfo=dt.UTC) - OSLO_WINTER


def stamp(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


class Registry:
    """The objects of the replica, by id, built in creation order (so ids ascend)."""

    def __init__(self) -> None:
        self.objects: dict[str, dict] = {}
        self.clock = dt.datetime(2023, 1, 2, 8, 0, tzinfo=dt.UTC)

    def add(self, entity: str, prefix: str, name: str, **fields: Any) -> dict:
        self.clock += dt.timedelta(minutes=7)
        oid = ulid(prefix, self.clock, name)
        obj = {"entity": entity, "id": oid, **{k: v for k, v in fields.items() if v is not _ABSENT}}
        self.objects[oid] = obj
        return obj

    def at(self, when: dt.datetime) -> None:
        """Objects created from here on were published at this time (ids stay ascending)."""
        self.clock = max(self.clock, when)


_ABSENT = object()  # a field left out of an object altogether (unlike None, which is JSON null)


# ---------------------------------------------------------------- building the data


class Builder:
    """Stavanger's and Rogaland's meetings, their documents on the document servers, the truth."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.reg = Registry()
        self.k: Kommune = KOMMUNER["stavanger"]
        self.truth: dict[str, Any] = {"journalenhet": {}, "meetings": [], "decisions": [], "noise_meetings": [],
                                      "problems": []}  # fmt: skip
        self.series: list[dict] = []
        self.inhabitants: list[dict] = []
        self.doc_no = 0

    # -- units and people

    def units(self) -> None:
        reg = self.reg
        kommune = reg.add("Enhet", "enh", "stavanger", navn="Stavanger kommune", navnNynorsk="Stavanger kommune",
                          orgnummer="964965226", enhetskode="STAVANGER", enhetstype="KOMMUNE",
                          kontaktpunktEpost="postmottak@stavanger.kommune.no",
                          innsynskravEpost="postmottak@stavanger.kommune.no", underenhet=[])  # fmt: skip
        self.kommune = kommune["id"]
        self.utvalg: dict[str, str] = {}
        for code, (_, name) in COMMITTEES.items():
            u = reg.add("Enhet", "enh", f"stavanger-{code}", navn=name, orgnummer="964965226", enhetskode=code,
                        enhetstype="UTVALG", kontaktpunktEpost="politisk.sekretariat@stavanger.kommune.no",
                        innsynskravEpost="postmottak@stavanger.kommune.no", parent=self.kommune)  # fmt: skip
            kommune["underenhet"].append(u["id"])
            self.utvalg[code] = u["id"]
        fylke = reg.add("Enhet", "enh", "rogfk", navn="Rogaland fylkeskommune", orgnummer="971045698",
                        enhetskode="RFK", enhetstype="FYLKE", kontaktpunktEpost="firmapost@rogfk.no",
                        innsynskravEpost="firmapost@rogfk.no", underenhet=[])  # fmt: skip
        ft = reg.add("Enhet", "enh", "rogfk-FT", navn="Fylkestinget", orgnummer="971045698", enhetskode="FT",
                     enhetstype="UTVALG", kontaktpunktEpost="politisk@rogfk.no", innsynskravEpost="firmapost@rogfk.no",
                     parent=fylke["id"])  # fmt: skip
        fylke["underenhet"].append(ft["id"])
        self.fylke, self.fylkesting = fylke["id"], ft["id"]
        self.truth["journalenhet"] = {"id": self.kommune, "orgnummer": "964965226", "navn": "Stavanger kommune",
                                      "utvalg": {COMMITTEES[c][0]: i for c, i in self.utvalg.items()},
                                      "other": {"id": self.fylke, "navn": "Rogaland fylkeskommune"}}  # fmt: skip
        self.parties = {abbr: reg.add("Identifikator", "ide", f"parti-{abbr}", navn=name, identifikator=abbr,
                                      initialer=abbr, epostadresse=f"{abbr.lower()}@parti.invalid",
                                      journalenhet=self.kommune)["id"]
                        for abbr, (name, *_rest) in PARTIES.items()}  # fmt: skip
        self.members: dict[str, list[tuple[str, str, str]]] = {"KST": [], "FSK": []}  # (md id, name, party)
        n = 0
        for abbr, (_, kst, fsk, _) in PARTIES.items():
            for i in range(kst):
                name = f"{FIRST[n % len(FIRST)]} {LAST[(n * 7) % len(LAST)]}"
                n += 1
                role = "Ordfører" if (abbr, i) == ("H", 0) else "Medlem"
                md = reg.add("Moetedeltaker", "md", f"md-{name}-{n}", moetedeltakerNavn=name,
                             moetedeltakerFunksjon=role, journalenhet=self.kommune)["id"]  # fmt: skip
                self.members["KST"].append((md, name, abbr))
                if i < fsk:
                    self.members["FSK"].append((md, name, abbr))

    # -- documents

    def file(self, title: str, data: bytes, day: str, host: str = FILES, gone: bool = False) -> tuple[str, str]:
        """Put a file on a document server; returns (dokumentobjekt systemId, URL with placeholder)."""
        self.doc_no += 1
        system_id = hashlib.sha1(f"{host}-{self.doc_no}-{title}".encode()).hexdigest()[:32]
        guid = f"{system_id[:8]}-{system_id[8:12]}-{system_id[12:16]}-{system_id[16:20]}-{system_id[20:32]}"
        path = f"/innsyn/dokument/{guid}" if host == FILES else f"/dokumenter/{guid}.pdf"
        if gone:
            self.store.error(host, path, 410, "Dokumentet er fjernet",
                             "Dokumentet er ikke lenger tilgjengelig i innsynsløsningen.", day)  # fmt: skip
        else:
            filename = re.sub(r"[^\w\- ]", "", title)[:60].strip().replace(" ", "_") + ".pdf"
            ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_")
            self.store.put(host, path, data, PDF, day,
                           headers={"Content-Disposition": f'inline; filename="{ascii_name}"'})  # fmt: skip
        return guid, "{{" + host.upper() + "}}" + path

    def dokument(self, title: str, data: bytes, day: str, nr: int, rolle: str, dokumenttype: str,
                 host: str = FILES, gone: bool = False) -> tuple[str, str]:  # fmt: skip
        """A Dokumentbeskrivelse with its Dokumentobjekt; returns (db id, file URL placeholder)."""
        guid, url = self.file(title, data, day, host, gone)
        enhet = self.kommune if host == FILES else self.fylke
        db = self.reg.add("Dokumentbeskrivelse", "db", f"db-{guid}", systemId=f"db-{guid}", journalenhet=enhet,
                          tittel=title, tittelSensitiv=title, dokumentnummer=nr, dokumenttype=dokumenttype,
                          tilknyttetRegistreringSom=rolle, dokumentobjekt=[])  # fmt: skip
        sha = hashlib.sha256(data).hexdigest() if not gone else None
        do = self.reg.add("Dokumentobjekt", "do", f"do-{guid}", systemId=guid, journalenhet=enhet,
                          referanseDokumentfil=url, format="PDF",
                          sjekksum=sha if sha else _ABSENT, sjekksumAlgoritme="SHA-256" if sha else _ABSENT,
                          dokumentbeskrivelse=db["id"])  # fmt: skip
        db["dokumentobjekt"].append(do["id"])
        return db["id"], url

    def truth_doc(self, key: str, url: str, title: str, day: str | None, code: str, doctype: str,
                  pages: int, data_id: str, **extra: Any) -> TruthDoc:  # fmt: skip
        host, path = url[2:].split("}}", 1)
        doc = TruthDoc(key=key, host=host.lower(), path=path, title=title, year=YEAR, period=PERIOD,
                       committee=COMMITTEES[code][0], doctype=doctype, date=day, pages=pages,
                       content_type=PDF, link_text=title, source_page=f"/dokumentobjekt/{data_id}",
                       kommune=self.k.name, kommunenummer=self.k.number, source=self.k.source,
                       platform="einnsyn", **extra)  # fmt: skip
        self.store.docs.append(doc)
        return doc

    def text(self, content: str, fmt: str = "html") -> str:
        return self.reg.add("Moetesaksbeskrivelse", "msb", f"msb-{content[:40]}-{len(self.reg.objects)}",
                            journalenhet=self.kommune, tekstInnhold=content, tekstFormat=fmt)["id"]  # fmt: skip

    # -- meetings

    def moetemappe(self, code: str | None, day: str, number: str, when: dt.datetime | str, *, enhet: str | None = None,
                   utvalg_id: str | None = None, place: str = "Formannskapssalen, Stavanger rådhus",
                   published: str | None = None) -> dict:  # fmt: skip
        """A meeting; ``when`` is the instant stored (or the raw text of a broken one, then
        ``published`` says when it was published)."""
        at = when if isinstance(when, dt.datetime) else utc(published or "2023-09-20")
        self.reg.at(at - dt.timedelta(days=10))
        name = COMMITTEES[code][1] if code else "Kontrollutvalget"
        title = f"{name} {day[8:]}.{day[5:7]}.{day[:4]}"
        return self.reg.add("Moetemappe", "mm", f"mm-{code}-{day}-{number}", systemId=f"mm-{code}-{day}",
                            journalenhet=enhet or self.kommune, offentligTittel=title, offentligTittelSensitiv=title,
                            moetenummer=number, utvalg=code if code else _ABSENT,
                            utvalgObjekt=utvalg_id or self.utvalg[code or "KU"],
                            moetedato=when if isinstance(when, str) else stamp(when), moetested=place,
                            publisertDato=stamp(at - dt.timedelta(days=7)), moetesak=[], moetedokument=[])  # fmt: skip

    def moetesak(self, mm: dict, code: str, year: int, seq: int, title: str, **fields: Any) -> dict:
        ms = self.reg.add("Moetesak", "ms", f"ms-{code}-{year}-{seq}", systemId=f"ms-{code}-{year}-{seq}",
                          journalenhet=mm["journalenhet"], offentligTittel=title, offentligTittelSensitiv=title,
                          moetesakstype="politisk", moetesaksaar=year, moetesakssekvensnummer=seq, utvalg=code,
                          utvalgObjekt=mm["utvalgObjekt"], moetemappe=mm["id"], **fields)  # fmt: skip
        mm["moetesak"].append(ms["id"])
        return ms

    def votering(self, code: str, sides: dict[str, str], exceptions: dict[int, str]) -> tuple[list[str], dict]:
        """One Votering per member: the party's side, or the exception's value for member #i."""
        ids = []
        tally: dict[str, dict[str, int]] = {}
        for i, (md, _, abbr) in enumerate(self.members[code]):
            stemme = exceptions.get(i, sides[abbr])
            ids.append(self.reg.add("Votering", "vot", f"vot-{code}-{md}", journalenhet=self.kommune, moetedeltaker=md,
                                    stemme=stemme, representerer=self.parties[abbr])["id"])  # fmt: skip
            tally.setdefault(abbr, {}).setdefault(stemme, 0)
            tally[abbr][stemme] += 1
        totals: dict[str, int] = {}
        for counts in tally.values():
            for stemme, n in counts.items():
                totals[stemme] = totals.get(stemme, 0) + n
        return ids, {"by_party": tally, "totals": totals, "members": len(ids)}

    def build(self) -> None:
        self.units()
        self.ordinary_meetings(first=True)
        self.budget_meetings()
        self.ordinary_meetings(first=False)
        self.noise()

    def ordinary_meetings(self, first: bool) -> None:
        """Meetings without a budget item: their documents exist but belong to no budget archive."""
        months = range(1, 11) if first else range(12, 13)
        codes = ["KST", "FSK", "UOU", "UHV", "UMU"]
        n = 0
        for month in months:
            for code in codes[(month % 2):: 2][:3] if first else ["UMU", "UHV"]:
                day = f"2023-{month:02d}-{8 + codes.index(code) * 3 + (month % 3):02d}"
                mm = self.moetemappe(code, day, f"{month}/2023", utc(day, 16))
                n += 1
                title = ORDINARY[(month * 3 + codes.index(code)) % len(ORDINARY)]
                seq = 10 + month * 7 + codes.index(code)
                data, _ = figures.short_pdf(self.k, f"Saksframlegg: {title}", [f"{COMMITTEES[code][1]} {day}"],
                                           f"ordinary-{code}-{day}", 1)  # fmt: skip
                db, url = self.dokument(f"Saksframlegg {title}", data, day, 1, "hoveddokument", "saksframlegg")
                self.moetesak(mm, code, 2023, seq, title, dokumentbeskrivelse=[db])
                host, path = url[2:].split("}}", 1)
                self.store.skipped.append({"host": host.lower(), "path": path, "title": f"Saksframlegg {title}",
                                           "moetemappe": mm["id"], "why": "no budget item"})  # fmt: skip
                self.truth["meetings"].append({"id": mm["id"], "committee": COMMITTEES[code][0], "date": day,
                                               "budget": False})  # fmt: skip

    def budget_meetings(self) -> None:  # noqa: PLR0915 - one meeting after another, as the year ran
        k, reg = self.k, self.reg
        title = f"Budsjett {YEAR} og økonomiplan {YEAR}–{YEAR + 3}"

        # Kontrollutvalget: its own budget proposal; the meeting's date does not exist and utvalg is missing.
        bad_date = "2023-09-31T15:00:00Z"
        mm = self.moetemappe(None, "2023-09-31", "5/2023", bad_date, published="2023-09-21")
        data, pages = figures.short_pdf(k, f"Budsjett {YEAR} for kontroll og tilsyn",
                                       ["Kontrollutvalget", "Saksframlegg til møtet i september 2023"], "ku", 2)  # fmt: skip
        db, url = self.dokument(f"Budsjett {YEAR} for kontroll og tilsyn", data, "2023-09-25", 1, "hoveddokument",
                                "saksframlegg")  # fmt: skip
        ms = self.moetesak(mm, "KU", 2023, 31, f"Budsjett {YEAR} for kontroll og tilsyn", dokumentbeskrivelse=[db],
                           vedtak=self.vedtak_simple("2023-09-28", "Kontrollutvalget vedtar forslaget til budsjett for "
                                                     "kontroll og tilsyn og oversender det til formannskapet."))  # fmt: skip
        self.truth_doc("einnsyn-ku-saksframlegg", url, f"Budsjett {YEAR} for kontroll og tilsyn", None, "KU",
                       "saksframlegg", pages, reg.objects[db]["dokumentobjekt"][0])  # fmt: skip
        self.truth["meetings"].append({"id": mm["id"], "committee": "kontrollutvalget", "date": None, "budget": True,
                                       "moetedato_as_printed": bad_date})  # fmt: skip
        self.problem("malformed_record", "Moetemappe", mm["id"], "moetedato",
                     f"moetedato {bad_date!r} is not a date (30 days in September); utvalg is missing",
                     "keep the meeting and its documents with date null; record the problem with its reason; go on")  # fmt: skip
        self.decision(ms, "kontrollutvalget", "2023-09-28", None)

        # Utvalg for oppvekst og utdanning: the committee's statement; its decision is not published (null).
        day = "2023-11-21"
        mm = self.moetemappe("UOU", day, "9/2023", utc(day, 17))
        data, pages = figures.short_pdf(k, f"{title} – uttalelse fra utvalget",
                                       ["Saksframlegg", "Utvalg for oppvekst og utdanning", "21.11.2023"], "uou", 2)  # fmt: skip
        db, url = self.dokument(f"{title} – uttalelse fra utvalget", data, day, 1, "hoveddokument", "saksframlegg")
        ms = self.moetesak(mm, "UOU", 2023, 78, f"{title} – uttalelse fra utvalget", dokumentbeskrivelse=[db],
                           vedtak=None)  # fmt: skip
        self.truth_doc("einnsyn-uou-saksframlegg", url, f"{title} – uttalelse fra utvalget", day, "UOU",
                       "saksframlegg", pages, reg.objects[db]["dokumentobjekt"][0])  # fmt: skip
        self.truth["meetings"].append({"id": mm["id"], "committee": "oppvekst-og-utdanning", "date": day,
                                       "budget": True})  # fmt: skip
        self.problem("missing_decision", "Moetesak", ms["id"], "vedtak", "vedtak is null: no decision published",
                     "keep the agenda item and its documents; no decision record; count it as unpublished")  # fmt: skip
        self.decision(ms, "oppvekst-og-utdanning", day, None)

        # Utvalg for helse og velferd: a decision without per-member votes.
        day = "2023-11-22"
        mm = self.moetemappe("UHV", day, "10/2023", utc(day, 17))
        text = ("Utvalg for helse og velferd tar kommunedirektørens forslag til budsjett 2024 og økonomiplan "
                "2024–2027 til orientering.")  # fmt: skip
        ved = self.vedtak_simple(day, text, protokoll="Enstemmig vedtatt.")
        ms = self.moetesak(mm, "UHV", 2023, 66, f"{title} – uttalelse", vedtak=ved)
        self.truth["meetings"].append({"id": mm["id"], "committee": "helse-og-velferd", "date": day, "budget": True})
        self.decision(ms, "helse-og-velferd", day, {"votes": [vote("Enstemmig vedtatt.", None, "vedtatt",
                                                                    unanimous=True)]})  # fmt: skip

        # Formannskapet 30.11.2023 - stored as 23:00Z the day before (midnight in Oslo).
        day = "2023-11-30"
        when = utc(day, 0)
        mm = self.moetemappe("FSK", day, "14/2023", when)
        forslag = figures.budget_pdf(k, "einnsyn-forslag", f"Kommunedirektørens forslag til budsjett {YEAR} og "
                                    f"økonomiplan {YEAR}–{YEAR + 3}", "Stavanger, 26. oktober 2023", "forslag", True)  # fmt: skip
        saksfr, saksfr_pages = figures.short_pdf(k, f"Saksframlegg: {title}", [
            "Saksbehandler: Økonomiavdelingen", "Arkivsak: 23/04512",
            f"Kommunedirektørens forslag til vedtak: Budsjett {YEAR} og økonomiplan {YEAR}–{YEAR + 3} vedtas."],
            "fsk-saksfr", 3)  # fmt: skip
        innspill, _ = figures.short_pdf(k, "Høringsinnspill fra Stavanger idrettsråd", ["Stavanger idrettsråd"],
                                       "innspill", 1)  # fmt: skip
        db1, u1 = self.dokument(f"Saksframlegg {title}", saksfr, "2023-11-16", 1, "hoveddokument", "saksframlegg")
        db2, u2 = self.dokument(f"Kommunedirektørens forslag til budsjett {YEAR} og økonomiplan {YEAR}–{YEAR + 3}",
                                forslag.data, "2023-10-26", 2, "vedlegg", "vedlegg")  # fmt: skip
        db3, u3 = self.dokument("Høringsinnspill fra Stavanger idrettsråd", innspill, "2023-11-10", 3, "vedlegg",
                                "vedlegg", gone=True)  # fmt: skip
        utr = reg.add("Utredning", "utr", "utr-fsk", journalenhet=self.kommune,
                      saksbeskrivelse=self.text("<p>Kommunedirektøren legger med dette fram sitt forslag til budsjett "
                                                f"{YEAR} og økonomiplan {YEAR}&ndash;{YEAR + 3}.</p>"),
                      innstilling=self.text(f"<p>Budsjett {YEAR} og økonomiplan {YEAR}&ndash;{YEAR + 3} vedtas i "
                                            "samsvar med kommunedirektørens forslag.</p>"),
                      utredningsdokument=[db1, db2, db3])  # fmt: skip
        innstilling = figures.budget_pdf(k, "einnsyn-innstilling", f"Formannskapets innstilling: Budsjett {YEAR} og "
                                        f"økonomiplan {YEAR}–{YEAR + 3}", "Formannskapet 30. november 2023",
                                        "innstilling", False)  # fmt: skip
        db4, u4 = self.dokument(f"Formannskapets innstilling – budsjett {YEAR} og økonomiplan {YEAR}–{YEAR + 3}",
                                innstilling.data, day, 4, "vedlegg", "vedlegg")  # fmt: skip
        sides = {abbr: side for abbr, (_, _, _, side) in PARTIES.items()}
        votes, tally = self.votering("FSK", sides, {})
        fsk_text = (f"<p>Formannskapet innstiller til kommunestyret:</p><p>1. Budsjett {YEAR} og økonomiplan "
                    f"{YEAR}&ndash;{YEAR + 3} vedtas i samsvar med kommunedirektørens forslag, med de endringer "
                    "som følger av flertallets forslag.</p><p>2. Kulturskolens ramme økes med 0,6&nbsp;mill. kr.</p>")
        fsk_protokoll = ("Ap fremmet forslag til alternativt budsjett. Ved alternativ votering mellom flertallets "
                         "forslag (H, FrP, KrF) og Aps forslag ble flertallets forslag vedtatt med 8 mot 5 stemmer.")
        ved = reg.add("Vedtak", "ved", "ved-fsk", journalenhet=self.kommune, vedtakstekst=self.text(fsk_text),
                      votering=votes, behandlingsprotokoll=self.protokoll(fsk_protokoll), vedtaksdokument=[db4],
                      dato=day)["id"]  # fmt: skip
        ms = self.moetesak(mm, "FSK", 2023, 120, title, utredning=utr["id"],
                           innstilling=reg.objects[utr["id"]]["innstilling"], vedtak=ved)  # fmt: skip
        for key, (db, url), t, doctype, pages in (
            ("einnsyn-fsk-saksframlegg", (db1, u1), f"Saksframlegg {title}", "saksframlegg", saksfr_pages),
            ("einnsyn-forslag", (db2, u2), reg.objects[db2]["tittel"], "forslag", forslag.pages),
            ("einnsyn-innstilling", (db4, u4), reg.objects[db4]["tittel"], "innstilling", innstilling.pages),
        ):
            doc = self.truth_doc(key, url, t, day, "FSK", doctype, pages, reg.objects[db]["dokumentobjekt"][0])
            if key == "einnsyn-forslag":
                doc.planted = forslag.planted
        host, path = u3[2:].split("}}", 1)
        self.truth["expired"] = {"host": host.lower(), "path": path, "status": 410,
                                 "dokumentbeskrivelse": db3, "title": reg.objects[db3]["tittel"]}  # fmt: skip
        self.problem("expired_link", "Dokumentobjekt", reg.objects[db3]["dokumentobjekt"][0], "referanseDokumentfil",
                     "the file answers 410 Gone", "record the failure with its reason (HTTP 410); go on",
                     host=host.lower(), path=path, status=410)  # fmt: skip
        self.series += forslag.series + innstilling.series
        self.inhabitants += forslag.inhabitants + innstilling.inhabitants
        self.truth["meetings"].append({"id": mm["id"], "committee": "formannskapet", "date": day, "budget": True,
                                       "moetedato_as_printed": stamp(when)})  # fmt: skip
        self.decision(ms, "formannskapet", day, {"html": fsk_text, "tally": tally, "protocol": fsk_protokoll,
                                                 "votes": [vote(fsk_protokoll.split(". ", 1)[1], "flertallets forslag",
                                                                "vedtatt", for_=8, against=5,
                                                                alternative="Aps forslag")]})  # fmt: skip

        # Kommunestyret 18.12.2023: the decision, 67 votes (one outside the enum, one blank).
        day = "2023-12-18"
        mm = self.moetemappe("KST", day, "11/2023", utc(day, 16), place="Bystyresalen, Stavanger rådhus")
        saksfr, saksfr_pages = figures.short_pdf(k, f"Saksframlegg: {title}", [
            "Arkivsak: 23/04512", "Formannskapets innstilling av 30.11.2023 følger vedlagt."], "kst-saksfr", 2)  # fmt: skip
        vedtatt = figures.budget_pdf(k, "einnsyn-vedtak", f"Budsjett {YEAR} og økonomiplan {YEAR}–{YEAR + 3}",
                                    "Vedtatt av kommunestyret 18. desember 2023", "vedtak", False)  # fmt: skip
        db5, u5 = self.dokument(f"Saksframlegg {title}", saksfr, "2023-12-04", 1, "hoveddokument", "saksframlegg")
        db6, u6 = self.dokument(f"Vedtatt budsjett {YEAR} og økonomiplan {YEAR}–{YEAR + 3}", vedtatt.data,
                                "2023-12-20", 1, "hoveddokument", "vedtak")  # fmt: skip
        members = self.members["KST"]
        ap = next(i for i, m in enumerate(members) if m[2] == "Ap")
        pp = next(i for i, m in enumerate(members) if m[2] == "Pp")
        votes, tally = self.votering("KST", sides, {ap: "Fraværende", pp: "Blankt"})
        kst_text = (f"<p>1. Budsjett {YEAR} og økonomiplan {YEAR}&ndash;{YEAR + 3} vedtas i samsvar med "
                    "formannskapets innstilling.</p><p>2. Kulturskolens ramme økes med ytterligere 0,6&nbsp;mill. kr, "
                    "til 78,2&nbsp;mill. kr.</p><p>3. Rådmannen &ndash; nå kommunedirektøren &ndash; bes legge fram "
                    "en sak om gebyrene i <em>Storhaug bydel</em>.</p>")  # fmt: skip
        kst_protokoll = ("Ap, SV, R, MDG og Sp fremmet forslag til alternativt budsjett. Ved alternativ votering "
                         "mellom formannskapets innstilling og fellesforslaget fra Ap, SV, R, MDG og Sp ble "
                         "innstillingen vedtatt med 38 mot 27 stemmer. 1 representant stemte blankt.")  # fmt: skip
        ved = reg.add("Vedtak", "ved", "ved-kst", journalenhet=self.kommune, vedtakstekst=self.text(kst_text),
                      votering=votes, behandlingsprotokoll=self.protokoll(kst_protokoll), vedtaksdokument=[db6],
                      dato=day)["id"]  # fmt: skip
        ms = self.moetesak(mm, "KST", 2023, 98, title, dokumentbeskrivelse=[db5], vedtak=ved)
        prot, prot_pages = figures.short_pdf(k, "Møteprotokoll Kommunestyret 18.12.2023", [
            "Møtedato: 18.12.2023", f"PS 98/23 {title}", "Vedtak: Innstillingen ble vedtatt med 38 mot 27 stemmer."],
            "kst-prot", 2)  # fmt: skip
        innk, _ = figures.short_pdf(k, "Møteinnkalling Kommunestyret 18.12.2023", ["Saksliste", f"98/23 {title}"],
                                   "kst-innk", 1)  # fmt: skip
        for typ, t, data in (("protokoll", "Møteprotokoll Kommunestyret 18.12.2023", prot),
                             ("innkalling", "Møteinnkalling Kommunestyret 18.12.2023", innk)):
            db, url = self.dokument(t, data, day, 1, "hoveddokument", typ)
            md = reg.add("Moetedokument", "mdok", f"mdok-{typ}", journalenhet=self.kommune, offentligTittel=t,
                         offentligTittelSensitiv=t, moetedokumenttype=typ, moetemappe=mm["id"],
                         dokumentbeskrivelse=[db])  # fmt: skip
            mm["moetedokument"].append(md["id"])
            if typ == "protokoll":
                self.truth_doc("einnsyn-kst-protokoll", url, t, day, "KST", "protokoll", prot_pages,
                               reg.objects[db]["dokumentobjekt"][0])  # fmt: skip
            else:
                host, path = url[2:].split("}}", 1)
                self.store.optional.append({"host": host.lower(), "path": path, "title": t})
        self.truth_doc("einnsyn-kst-saksframlegg", u5, f"Saksframlegg {title}", day, "KST", "saksframlegg",
                       saksfr_pages, reg.objects[db5]["dokumentobjekt"][0])  # fmt: skip
        self.truth_doc("einnsyn-vedtak", u6, reg.objects[db6]["tittel"], day, "KST", "vedtak", vedtatt.pages,
                       reg.objects[db6]["dokumentobjekt"][0])  # fmt: skip
        self.series += vedtatt.series
        self.inhabitants += vedtatt.inhabitants
        self.truth["meetings"].append({"id": mm["id"], "committee": "kommunestyret", "date": day, "budget": True})
        unknown = reg.objects[votes[ap]]
        self.problem("unknown_value", "Votering", unknown["id"], "stemme",
                     "stemme 'Fraværende' is none of Ja, Nei, Blankt",
                     "keep the vote as printed and marked (not counted as Ja, Nei or Blankt); go on",
                     moetedeltaker=members[ap][1])  # fmt: skip
        self.decision(ms, "kommunestyret", day, {"html": kst_text, "tally": tally, "protocol": kst_protokoll,
                                                 "votes": [vote(kst_protokoll.split(". ", 1)[1].rsplit(". ", 1)[0] + ".",
                                                                "formannskapets innstilling", "vedtatt", for_=38,
                                                                against=27,
                                                                alternative="fellesforslaget fra Ap, SV, R, MDG og Sp")]})  # fmt: skip

    def noise(self) -> None:
        """Rogaland fylkeskommune's Fylkestinget on the same service: a Stavanger source must skip it."""
        for day, seq, title in (("2023-06-20", 61, "Regional transportplan"),
                                ("2023-12-12", 112, f"Økonomiplan {YEAR}–{YEAR + 3} og budsjett {YEAR}")):
            mm = self.moetemappe(None, day, f"{seq // 20}/2023", utc(day, 10), enhet=self.fylke,
                                 utvalg_id=self.fylkesting, place="Fylkestingssalen, Fylkeshuset")  # fmt: skip
            mm["utvalg"] = "FT"
            mm["offentligTittel"] = mm["offentligTittelSensitiv"] = f"Fylkestinget {day[8:]}.{day[5:7]}.{day[:4]}"
            data, _ = figures.short_pdf(self.k, f"Saksframlegg: {title}", ["Rogaland fylkeskommune"], f"rfk-{seq}", 1)
            db, url = self.dokument(f"Saksframlegg {title}", data, day, 1, "hoveddokument", "saksframlegg",
                                    host=NOISE_FILES)  # fmt: skip
            ms = self.reg.add("Moetesak", "ms", f"ms-FT-{seq}", journalenhet=self.fylke, offentligTittel=title,
                              offentligTittelSensitiv=title, moetesakstype="politisk", moetesaksaar=2023,
                              moetesakssekvensnummer=seq, utvalg="FT", utvalgObjekt=self.fylkesting,
                              moetemappe=mm["id"], dokumentbeskrivelse=[db])  # fmt: skip
            mm["moetesak"].append(ms["id"])
            host, path = url[2:].split("}}", 1)
            self.store.never_request.append({"host": host.lower(), "path": path,
                                             "why": "Rogaland fylkeskommune's document, not Stavanger's"})  # fmt: skip
            self.truth["noise_meetings"].append({"id": mm["id"], "journalenhet": self.fylke, "date": day})

    # -- decisions

    def vedtak_simple(self, day: str, text: str, protokoll: str | None = None) -> str:
        return self.reg.add("Vedtak", "ved", f"ved-{day}-{text[:20]}", journalenhet=self.kommune,
                            vedtakstekst=self.text(f"<p>{html.escape(text, quote=False)}</p>"), votering=[],
                            behandlingsprotokoll=self.protokoll(protokoll) if protokoll else _ABSENT,
                            vedtaksdokument=[], dato=day)["id"]  # fmt: skip

    def protokoll(self, text: str) -> str:
        return self.reg.add("Behandlingsprotokoll", "bp", f"bp-{text[:30]}-{len(self.reg.objects)}",
                            journalenhet=self.kommune, tekstInnhold=text, tekstFormat="text")["id"]  # fmt: skip

    def decision(self, ms: dict, committee: str, day: str | None, extra: dict | None) -> None:
        """The truth of one agenda item's decision (None: the item has no published decision)."""
        entry: dict[str, Any] = {"moetesak": ms["id"], "moetemappe": ms["moetemappe"], "committee": committee,
                                 "case": f"{ms['moetesakssekvensnummer']}/{ms['moetesaksaar'] % 100}",
                                 "title": ms["offentligTittel"], "date": day, "vedtak": ms.get("vedtak"),
                                 "decision": None, "decision_html": None, "tally": None, "protocol": None,
                                 "votes": []}  # fmt: skip
        if ms.get("vedtak"):
            ved = self.reg.objects[ms["vedtak"]]
            text_html = self.reg.objects[ved["vedtakstekst"]]["tekstInnhold"]
            entry["decision_html"] = text_html
            entry["decision"] = visible_text(text_html)
            entry["date"] = ved["dato"]
            if extra:
                entry["tally"] = extra.get("tally")
                entry["protocol"] = extra.get("protocol")
                entry["votes"] = extra.get("votes", [])
        self.truth["decisions"].append(entry)

    def problem(self, kind: str, entity: str, oid: str, field: str, reason: str, expect: str, **extra: Any) -> None:
        self.truth["problems"].append({"platform": "einnsyn", "source": "stavanger", "kind": kind, "entity": entity,
                                       "id": oid, "field": field, "reason": reason, "expect": expect, **extra})  # fmt: skip


def visible_text(markup: str) -> str:
    """What a reader sees of an HTML text: tags out, entities resolved, whitespace collapsed;
    paragraphs and line breaks become newlines."""
    text = re.sub(r"(?i)<br\s*/?>|</p>", "\n", markup)
    text = html.unescape(re.sub(r"<[^>]+>", "", text)).replace("\xa0", " ")
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def build_einnsyn(store: Store) -> dict:
    """Write the API's data (``einnsyn.json``) and the documents; returns the answer key."""
    b = Builder(store)
    b.build()
    objects = b.reg.objects
    ids = list(objects)
    bare = [i.split("_", 1)[1] for i in ids]
    assert bare == sorted(bare) and len(set(bare)) == len(bare), "ids must ascend in creation order"
    (store.dest / DATA).write_text(json.dumps({"api_key": API_KEY, "objects": objects}, ensure_ascii=False, indent=1),
                                   encoding="utf-8")  # fmt: skip
    b.truth["counts"] = {e: sum(1 for o in objects.values() if o["entity"] == e)
                         for e in sorted({o["entity"] for o in objects.values()})}  # fmt: skip
    b.truth["series"] = b.series
    b.truth["inhabitants"] = b.inhabitants
    return b.truth


# ---------------------------------------------------------------- the API


class EInnsynApi:
    """Answers the API host's requests from ``einnsyn.json`` (``apps.json`` names this factory)."""

    LIST_CHILDREN = {  # (entity route, child route) -> (parent field holding the child ids, child entity)
        ("moetemappe", "moetesak"): ("moetesak", "Moetesak"),
        ("moetemappe", "moetedokument"): ("moetedokument", "Moetedokument"),
        ("moetesak", "dokumentbeskrivelse"): ("dokumentbeskrivelse", "Dokumentbeskrivelse"),
        ("vedtak", "votering"): ("votering", "Votering"),
        ("vedtak", "vedtaksdokument"): ("vedtaksdokument", "Dokumentbeskrivelse"),
        ("utredning", "utredningsdokument"): ("utredningsdokument", "Dokumentbeskrivelse"),
        ("moetedokument", "dokumentbeskrivelse"): ("dokumentbeskrivelse", "Dokumentbeskrivelse"),
        ("enhet", "underenhet"): ("underenhet", "Enhet"),
    }
    GET_CHILD = {("moetesak", "vedtak"), ("moetesak", "utredning")}
    ROUTES = {"apiKey", "arkiv", "arkivdel", "behandlingsprotokoll", "dokumentbeskrivelse", "dokumentobjekt",
              "enhet", "identifikator", "journalpost", "klasse", "klassifikasjonssystem", "korrespondansepart",
              "moetedeltaker", "moetedokument", "moetemappe", "moetesak", "moetesaksbeskrivelse", "saksmappe",
              "skjerming", "utredning", "vedtak", "votering"}  # fmt: skip

    def __init__(self, server: SampleServer) -> None:
        self.server = server
        data = json.loads((Path(server.dest) / DATA).read_text(encoding="utf-8"))
        self.key: str = data["api_key"]
        self.objects: dict[str, dict] = data["objects"]
        self.modified = int(Path(server.dest, DATA).stat().st_mtime)

    # -- helpers

    def json(self, status: int, body: Any) -> Reply:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        return Reply(status, self.server.fill(data), "application/json", {}, self.modified)

    def error(self, status: int, kind: str, message: str, **extra: Any) -> Reply:
        return self.json(status, {"type": kind, "message": message, **extra})

    def entity_route(self, obj: dict) -> str:
        e = obj["entity"]
        return e[0].lower() + e[1:]

    def expand(self, value: Any, paths: set[str], here: str) -> Any:
        """Replace ids by objects along the expand paths (``a.b`` also expands ``a``)."""
        if isinstance(value, dict):
            out = {}
            for name, v in value.items():
                path = f"{here}.{name}" if here else name
                if name in ("id", "entity"):
                    out[name] = v
                elif isinstance(v, str) and path in paths and v in self.objects:
                    out[name] = self.expand(self.objects[v], paths, path)
                elif isinstance(v, list) and path in paths:
                    out[name] = [self.expand(self.objects[x], paths, path) if isinstance(x, str) and x in self.objects
                                 else x for x in v]  # fmt: skip
                else:
                    out[name] = v
            return out
        return value

    @staticmethod
    def expand_paths(query: list[tuple[str, str]]) -> set[str]:
        paths: set[str] = set()
        for name, value in query:
            if name == "expand":
                for item in value.split(","):
                    parts = item.strip().split(".")
                    paths.update(".".join(parts[: i + 1]) for i in range(len(parts)) if item.strip())
        return paths

    # -- dispatch

    def __call__(self, method: str, target: str, headers: dict[str, str]) -> Reply | None:
        parts = urlsplit(target)
        query = parse_qsl(parts.query, keep_blank_values=True)
        if method not in ("GET", "HEAD"):
            return self.error(405, "methodNotAllowed", f"Method {method} is not allowed on this replica")
        key = next((v for k, v in headers.items() if k.lower() == HEADER.lower()), None)
        if key is None:
            return self.error(401, "authenticationError", f"Missing {HEADER} header")
        if key != self.key:
            return self.error(403, "authorizationError", "Invalid API key")
        segs = [s for s in parts.path.split("/") if s]
        if not segs:
            return self.json(200, {"entity": "AuthInfo", "authType": "ApiKey", "type": "Enhet",
                                   "id": self.first("Enhet")})  # fmt: skip
        if segs == ["me"]:
            return self.json(200, {"entity": "AuthInfo", "authType": "ApiKey", "type": "Enhet",
                                   "id": self.first("Enhet"), "orgnummer": "991825827"})  # fmt: skip
        if segs == ["search"]:
            return self.search(parts.path, query)
        if segs[0] not in self.ROUTES:
            return self.error(404, "notFound", f"No route {parts.path}")
        if len(segs) == 1:
            wanted = segs[0][0].upper() + segs[0][1:]
            items = [o for o in self.objects.values() if o["entity"] == wanted]
            return self.listing(parts.path, query, items)
        obj = self.objects.get(segs[1])
        if obj is None or self.entity_route(obj) != segs[0]:
            return self.error(404, "notFound", f"{segs[0]} with id {segs[1]} not found")
        if len(segs) == 2:
            return self.json(200, self.expand(obj, self.expand_paths(query), ""))
        if len(segs) == 3 and segs[0] == "dokumentobjekt" and segs[2] == "download":
            location = self.server.fill(obj["referanseDokumentfil"].encode()).decode()
            return Reply(302, b"", "text/plain", {"Location": location})
        if len(segs) == 3 and (segs[0], segs[2]) in self.GET_CHILD:
            child = obj.get(segs[2])
            if not child:
                return self.error(404, "notFound", f"{segs[0]} {segs[1]} has no {segs[2]}")
            return self.json(200, self.expand(self.objects[child], self.expand_paths(query), ""))
        if len(segs) == 3 and (segs[0], segs[2]) in self.LIST_CHILDREN:
            field, _ = self.LIST_CHILDREN[(segs[0], segs[2])]
            return self.listing(parts.path, query, [self.objects[i] for i in obj.get(field) or []])
        return self.error(404, "notFound", f"No route {parts.path}")

    def first(self, entity: str) -> str:
        return next(o["id"] for o in self.objects.values() if o["entity"] == entity)

    def limit_of(self, query: list[tuple[str, str]]) -> int | Reply:
        raw = dict(query).get("limit", "25")
        try:
            limit = int(raw)
        except ValueError:
            limit = 0
        if not 1 <= limit <= 100:
            return self.error(400, "validationError", "Limit must be between 1 and 100",
                              fieldError=[{"fieldName": "limit", "value": raw, "message": "must be 1-100"}])  # fmt: skip
        return limit

    def listing(self, path: str, query: list[tuple[str, str]], items: list[dict]) -> Reply:
        """A paginated list, the way the reference backend pages: by id, cursors compare ids."""
        q = dict(query)
        limit = self.limit_of(query)
        if isinstance(limit, Reply):
            return limit
        ids = [v for k, v in query if k == "ids"]
        if ids:
            wanted = [i.strip() for part in ids for i in part.split(",") if i.strip()]
            chosen = [self.objects[i] for i in wanted if i in self.objects]
            return self.json(200, {"items": [self.expand(o, self.expand_paths(query), "") for o in chosen]})
        if "journalenhet" in q:
            items = [o for o in items if o.get("journalenhet") == q["journalenhet"]]
        order = q.get("sortOrder", "desc")
        if order not in ("asc", "desc"):
            return self.error(400, "validationError", "sortOrder must be asc or desc")
        items = sorted(items, key=lambda o: o["id"], reverse=order == "desc")
        after, before = q.get("startingAfter") or None, q.get("endingBefore") or None

        def beyond(o: dict, pivot: str) -> bool:  # strictly past the pivot in list order
            return o["id"] < pivot if order == "desc" else o["id"] > pivot

        if after:
            rest = [o for o in items if beyond(o, after)]
            page, has_prev, has_next = rest[:limit], len(rest) < len(items), len(rest) > limit
        elif before:
            head = [o for o in items if beyond({"id": before}, o["id"])]
            page, has_next, has_prev = head[-limit:], len(head) < len(items), len(head) > limit
        else:
            page, has_prev, has_next = items[:limit], False, len(items) > limit
        body: dict[str, Any] = {"items": [self.expand(o, self.expand_paths(query), "") for o in page]}
        if has_next and page:
            body["next"] = self.cursor_url(path, query, "startingAfter", page[-1]["id"])
        if has_prev and page:
            body["previous"] = self.cursor_url(path, query, "endingBefore", page[0]["id"])
        return self.json(200, body)

    @staticmethod
    def cursor_url(path: str, query: list[tuple[str, str]], name: str, value: str | list[str]) -> str:
        """The request's path and query, the cursor replaced (host-less, as the backend writes it)."""
        kept = [(k, v) for k, v in query if k not in ("startingAfter", "endingBefore")]
        values = value if isinstance(value, list) else [value]
        return path + "?" + urlencode(kept + [(name, v) for v in values])

    # -- search

    def search(self, path: str, query: list[tuple[str, str]]) -> Reply:
        """GET /search: entity, journalenhet, administrativEnhet (with sub-units), moetedato
        filters, query words (quotes, -word), sortBy id|moetedato|publisertDato; the cursor is a
        pair: the sort value and the id."""
        q = dict(query)
        limit = self.limit_of(query)
        if isinstance(limit, Reply):
            return limit
        entities = {e for k, v in query if k == "entity" for e in v.split(",")} or {
            "Moetemappe", "Moetesak", "Journalpost", "Saksmappe"}
        items = [o for o in self.objects.values() if o["entity"] in entities]
        if "journalenhet" in q:
            items = [o for o in items if o.get("journalenhet") == q["journalenhet"]]
        units = {v for k, v in query if k == "administrativEnhet"}
        if units:
            items = [o for o in items if self.under(o.get("utvalgObjekt") or o.get("journalenhet"), units)]
        for name, keep in (("moetedatoAfter", lambda a, b: a > b), ("moetedatoBefore", lambda a, b: a < b)):
            if name in q:
                limit_at = parse_time(q[name])
                if limit_at is None:
                    return self.error(400, "validationError", f"{name} is not a date-time")
                items = [o for o in items if (t := self.moetedato(o)) is not None and keep(t, limit_at)]
        for word in re.findall(r'"[^"]+"|\S+', q.get("query", "")):
            text = word.strip('"').lower()
            negate = text.startswith("-")
            text = text.lstrip("-")
            items = [o for o in items if (text in o.get("offentligTittel", "").lower()) != negate]
        sort_by = q.get("sortBy", "score")
        order = q.get("sortOrder", "desc")

        def sort_key(o: dict) -> tuple[str, str]:
            if sort_by == "moetedato":
                t = self.moetedato(o)
                return (t.isoformat() if t else "", o["id"])
            if sort_by == "publisertDato":
                return (o.get("publisertDato", ""), o["id"])
            return ("", o["id"])

        items.sort(key=sort_key, reverse=order == "desc")
        after = [v for k, v in query if k == "startingAfter"]
        if after:
            pivot = (after[0], after[-1]) if len(after) == 2 else ("", after[0])
            if sort_by == "moetedato" and pivot[0]:
                t = parse_time(pivot[0])
                pivot = (t.isoformat() if t else pivot[0], pivot[1])
            items = [o for o in items if (sort_key(o) < pivot if order == "desc" else sort_key(o) > pivot)]
        page = items[:limit]
        body: dict[str, Any] = {"items": [self.expand(o, self.expand_paths(query), "") for o in page]}
        if len(items) > limit:
            last = page[-1]
            value = {"moetedato": last.get("moetedato", ""), "publisertDato": last.get("publisertDato", "")}.get(
                sort_by, "")
            body["next"] = self.cursor_url(path, query, "startingAfter", [value, last["id"]] if value else last["id"])
        return self.json(200, body)

    def under(self, unit: str | None, wanted: set[str]) -> bool:
        while unit:
            if unit in wanted:
                return True
            unit = self.objects.get(unit, {}).get("parent")
        return False

    def moetedato(self, o: dict) -> dt.datetime | None:
        if o["entity"] == "Moetesak":
            o = self.objects.get(o.get("moetemappe", ""), {})
        return parse_time(o.get("moetedato", ""))


def parse_time(text: str) -> dt.datetime | None:
    """An ISO date-time or date; None for one that does not exist (2023-09-31)."""
    try:
        if len(text) == 10:
            return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
