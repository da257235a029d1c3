"""Vedtak in the catalog: written with a version's pages, read back for search and show.

A vedtak is an agenda item of a protocol ("sak") or one numbered point of an adopted
budget ("tekstvedtak"), with its proposals and votes. A version's vedtak are derived from
its page text and replaced as a whole, inside the transaction that writes those pages
(`catalog.pages.record_extraction`), so they always belong to the pages stored beside them.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from catalog.db import transaction, utcnow
from catalog.models import Filters, Proposal, Vedtak, Version, Vote
from catalog.problem import Problem
from catalog.versions import filter_sql, get_version, version_from_row


@dataclass
class DerivedVedtak:
    """What the vedtak parser (extract/vedtak.py) made of one version's pages, and which
    parser and document type it was: either changing derives them again."""

    vedtak: list[Vedtak]
    parser_version: int
    doctype: str | None


@dataclass
class VedtakCounts:
    vedtak: int = 0
    votes: int = 0
    unparsed_votes: int = 0
    votes_with_warning: int = 0  # parsed, with a warning (a count that disagrees with its parties)
    by_kind: dict[str, int] = field(default_factory=dict)


def write_vedtak(conn: sqlite3.Connection, sha256: str, derived: DerivedVedtak | None) -> None:
    """Replace a version's vedtak (call inside a transaction). None: remove them and forget
    they were derived, so `derive_missing_vedtak` derives them from the pages written now."""
    for table in ("vedtak", "proposals", "votes"):
        conn.execute(f"DELETE FROM {table} WHERE sha256=?", (sha256,))
    if derived is None:
        conn.execute("DELETE FROM vedtak_state WHERE sha256=?", (sha256,))
        return
    for d in derived.vedtak:
        conn.execute(
            "INSERT INTO vedtak (sha256, seq, kind, case_no, archive_case, title, section, number,"
            " recommendation, recommendation_label, decision, decision_label, page_from, page_to)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (sha256, d.seq, d.kind, d.case, d.archive_case, d.title, d.section, d.number, d.recommendation,
             d.recommendation_label, d.decision, d.decision_label, d.page_from, d.page_to),
        )
        conn.executemany(
            "INSERT INTO proposals (sha256, seq, idx, by_text, parties, text, page) VALUES (?,?,?,?,?,?,?)",
            [(sha256, d.seq, i, p.by, _j(p.parties), p.text, p.page) for i, p in enumerate(d.proposals)],
        )
        conn.executemany(
            "INSERT INTO votes (sha256, seq, idx, text, parsed, motion, alternative, result, votes_for,"
            " votes_against, parties_for, parties_against, counts_for, counts_against, unanimous,"
            " motion_parties, alternative_parties, page, warning) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (sha256, d.seq, i, v.text, int(v.parsed), v.motion, v.alternative, v.result, v.votes_for,
                 v.votes_against, _j(v.parties_for), _j(v.parties_against), _j(v.counts_for),
                 _j(v.counts_against), int(v.unanimous), _j(v.motion_parties), _j(v.alternative_parties), v.page,
                 v.warning)
                for i, v in enumerate(d.votes)
            ],
        )
    conn.execute(
        "INSERT INTO vedtak_state (sha256, parser_version, doctype, derived_at) VALUES (?,?,?,?)"
        " ON CONFLICT(sha256) DO UPDATE SET parser_version=excluded.parser_version,"
        " doctype=excluded.doctype, derived_at=excluded.derived_at",
        (sha256, derived.parser_version, derived.doctype, utcnow()),
    )


def record_vedtak(conn: sqlite3.Connection, sha256: str, derived: DerivedVedtak) -> None:
    """Replace a version's vedtak derived again from its stored pages (its own transaction)."""
    with transaction(conn):
        write_vedtak(conn, sha256, derived)


def versions_needing_vedtak(conn: sqlite3.Connection, parser_version: int) -> list[str]:
    """Extracted versions whose vedtak were never derived, or by an older parser, or for
    another document type (a data dir from before vedtak existed gets them all here)."""
    rows = conn.execute(
        "SELECT v.sha256 FROM versions v LEFT JOIN vedtak_state s ON s.sha256 = v.sha256"
        " WHERE v.status = 'ok' AND (s.sha256 IS NULL OR s.parser_version <> ?"
        " OR COALESCE(s.doctype, '') <> COALESCE(v.doctype, '')) ORDER BY v.sha256",
        (parser_version,),
    )
    return [r["sha256"] for r in rows]


@dataclass
class VedtakStale(Problem):
    """Extracted versions whose vedtak are missing or were derived by an older parser."""

    kind = "decisions-stale"  # as `hparkiv check --format json` has always said


def check_vedtak(conn: sqlite3.Connection, parser_version: int) -> list[Problem]:
    stale = versions_needing_vedtak(conn, parser_version)
    if not stale:
        return []
    return [VedtakStale(f"{len(stale)} versions have no vedtak derived by the current parser")]


def _j(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _vote(r: sqlite3.Row) -> Vote:
    return Vote(
        text=r["text"], parsed=bool(r["parsed"]), motion=r["motion"], alternative=r["alternative"],
        result=r["result"], votes_for=r["votes_for"], votes_against=r["votes_against"],
        parties_for=json.loads(r["parties_for"]), parties_against=json.loads(r["parties_against"]),
        counts_for=json.loads(r["counts_for"]), counts_against=json.loads(r["counts_against"]),
        unanimous=bool(r["unanimous"]), motion_parties=json.loads(r["motion_parties"]),
        alternative_parties=json.loads(r["alternative_parties"]), page=r["page"], warning=r["warning"],
    )


def _read_vedtak(conn: sqlite3.Connection, where: str, params: list[Any]) -> list[tuple[str, Vedtak]]:
    """(sha256, vedtak) with their proposals and votes, for the vedtak rows `where` selects (alias d)."""
    rows = conn.execute(f"SELECT d.* FROM vedtak d WHERE {where} ORDER BY d.sha256, d.seq", params).fetchall()
    props: dict[tuple[str, int], list[Proposal]] = {}
    votes: dict[tuple[str, int], list[Vote]] = {}
    for r in conn.execute(f"SELECT p.* FROM proposals p JOIN vedtak d ON d.sha256 = p.sha256 AND d.seq = p.seq"
                          f" WHERE {where} ORDER BY p.idx", params):
        props.setdefault((r["sha256"], r["seq"]), []).append(
            Proposal(by=r["by_text"], text=r["text"], parties=json.loads(r["parties"]), page=r["page"]))
    for r in conn.execute(f"SELECT v.* FROM votes v JOIN vedtak d ON d.sha256 = v.sha256 AND d.seq = v.seq"
                          f" WHERE {where} ORDER BY v.idx", params):
        votes.setdefault((r["sha256"], r["seq"]), []).append(_vote(r))
    out = []
    for r in rows:
        key = (r["sha256"], r["seq"])
        out.append((r["sha256"], Vedtak(
            kind=r["kind"], seq=r["seq"], page_from=r["page_from"], page_to=r["page_to"], case=r["case_no"],
            archive_case=r["archive_case"], title=r["title"], section=r["section"], number=r["number"],
            recommendation=r["recommendation"], recommendation_label=r["recommendation_label"],
            decision=r["decision"], decision_label=r["decision_label"],
            proposals=props.get(key, []), votes=votes.get(key, []),
        )))
    return out


def vedtak_of(conn: sqlite3.Connection, sha256: str) -> list[Vedtak]:
    """One version's vedtak, in document order."""
    return [d for _, d in _read_vedtak(conn, "d.sha256 = ?", [sha256])]


def list_vedtak(
    conn: sqlite3.Connection, filters: Filters | None = None, sha256s: set[str] | None = None
) -> list[tuple[Version, Vedtak]]:
    """Vedtak of the versions the filters select (current versions unless all_versions),
    only of these versions when `sha256s` is given."""
    where, params = filter_sql(filters or Filters())
    if sha256s is not None:
        if not sha256s:
            return []
        where += f" AND sha256 IN ({','.join('?' * len(sha256s))})"
        params = [*params, *sorted(sha256s)]
    versions = {r["sha256"]: version_from_row(r)
                for r in conn.execute(f"SELECT * FROM versions WHERE {where}", params)}
    if not versions:
        return []
    found = _read_vedtak(conn, "d.sha256 IN (SELECT sha256 FROM versions WHERE " + where + ")", params)
    return [(versions[sha], d) for sha, d in found if sha in versions]


def vedtak_keys(conn: sqlite3.Connection, filters: Filters | None = None) -> list[tuple[str, int]]:
    """(sha256, seq) of the vedtak the filters select, newest meeting first, in document order."""
    where, params = filter_sql(filters or Filters())
    rows = conn.execute(
        f"SELECT d.sha256, d.seq FROM vedtak d JOIN (SELECT sha256, date FROM versions WHERE {where}) v"
        " ON v.sha256 = d.sha256 ORDER BY v.date IS NULL, v.date DESC, d.sha256, d.seq", params)
    return [(r["sha256"], r["seq"]) for r in rows]


def load_vedtak(conn: sqlite3.Connection, keys: list[tuple[str, int]]) -> list[tuple[Version, Vedtak]]:
    """The vedtak with these (sha256, seq) keys, with their versions, in the keys' order."""
    got: dict[tuple[str, int], Vedtak] = {}
    for chunk in (keys[i:i + 400] for i in range(0, len(keys), 400)):
        values = ",".join("(?,?)" for _ in chunk)
        flat = [x for key in chunk for x in key]
        for sha, d in _read_vedtak(conn, f"(d.sha256, d.seq) IN (VALUES {values})", flat):
            got[(sha, d.seq)] = d
    versions = {sha: get_version(conn, sha) for sha in {k[0] for k in keys}}
    return [(versions[k[0]], got[k]) for k in keys if k in got and versions[k[0]] is not None]  # type: ignore[misc]


def count_vedtak(conn: sqlite3.Connection, filters: Filters | None = None) -> VedtakCounts:
    """How many vedtak and votes the catalog holds, how many vote statements could not be read, and
    how many were read with a warning."""
    where, params = filter_sql(filters or Filters())
    scope = f"sha256 IN (SELECT sha256 FROM versions WHERE {where})"
    counts = VedtakCounts()
    for r in conn.execute(f"SELECT kind, COUNT(*) n FROM vedtak WHERE {scope} GROUP BY kind", params):
        counts.by_kind[r["kind"]] = r["n"]
    counts.vedtak = sum(counts.by_kind.values())
    row = conn.execute(f"SELECT COUNT(*) n, COALESCE(SUM(parsed = 0), 0) u, COUNT(warning) w FROM votes"
                       f" WHERE {scope}", params).fetchone()
    counts.votes, counts.unparsed_votes, counts.votes_with_warning = row["n"], row["u"], row["w"]
    return counts
