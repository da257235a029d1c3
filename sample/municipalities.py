"""Four municipalities on four platforms, served at once: the sample for `update --source all`.

    from sample.municipalities import build_municipalities
    from sample import serve
    dest = build_municipalities(tmp_path / "kommuner")
    with serve(dest) as srv:                      # one loopback server per host below
        srv.base_url("einnsyn")                   # "http://127.0.3.1:41234"

| source | municipality | platform(s) | hosts |
|---|---|---|---|
| asker | Asker 3203 | its CMS + classic ACOS Innsyn | asker 127.0.1.1, asker_innsyn 127.0.1.2 |
| malvik | Malvik 5031 | Framsikt only (no PDF of the plan) | malvik 127.0.2.1, framsikt 127.0.2.2 |
| stavanger | Stavanger 1103 | eInnsyn API (key in `API-KEY`) | einnsyn 127.0.3.1, stavanger_filer 127.0.3.2 (rogfk_filer 127.0.3.3: another publisher's) |
| nordrefollo | Nordre Follo 3207 | 360 OpenGov | opengov 127.0.4.1 |

Bærum (3201) is ``sample.site``'s build, on 127.0.0.1-3; the two builds can be served side by
side. A build holds ``truth.json`` (every document an adapter must yield, as ``TruthDoc`` with
its municipality and platform), ``replicas.json`` (``sample.platforms.answers``: municipalities,
start points, meetings, decisions and votes, Framsikt pages, the budget lines and inhabitants,
every planted failure and how it must be reported), ``routes.json``, ``apps.json`` (the eInnsyn
API is answered by code) and ``einnsyn.json`` (its objects). docs/replicas.md describes them.

``python -m sample.municipalities serve`` builds and serves it until Ctrl-C, and writes the
shipped sources of the four municipalities rewritten to the running replicas
(``loopback_sources``: each real host replaced by the host that stands for it, the start
points the answer key gives), so ``HPARKIV_SOURCES=DEST/sources hparkiv update --source all``
crawls them.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sample.platforms import acos, einnsyn, framsikt, opengov
from sample.platforms.answers import Answers, load_answers, municipality
from sample.platforms.figures import KOMMUNER
from sample.platforms.store import Store
from sample.server import SampleServer, serve
from sample.truth import GENERATOR_VERSION, Truth

HOSTS = {
    "asker": "127.0.1.1",
    "asker_innsyn": "127.0.1.2",
    "malvik": "127.0.2.1",
    "framsikt": "127.0.2.2",
    "einnsyn": "127.0.3.1",
    "stavanger_filer": "127.0.3.2",
    "rogfk_filer": "127.0.3.3",
    "opengov": "127.0.4.1",
}
VARIANT = 400  # marks this build in truth.json (Bærum's builds are 0-..., sample.third's 300)
# The real host each replica host stands for (docs/replicas.md): the shipped sources name these.
STANDS_FOR = {
    "www.asker.kommune.no": "asker",
    "innsyn.asker.kommune.no": "asker_innsyn",
    "www.malvik.kommune.no": "malvik",
    "pub.framsikt.net": "framsikt",
    "api.einnsyn.no": "einnsyn",
    "*.stavanger.kommune.no": "stavanger_filer",
    "opengov.360online.com": "opengov",
}


def build_municipalities(dest: Path) -> Path:
    """Write the four municipalities' replicas, the answer key and the truth into ``dest``."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    store = Store(dest)
    parts = {
        "acos": acos.build_acos(store),
        "framsikt": framsikt.build_framsikt(store),
        "einnsyn": einnsyn.build_einnsyn(store),
        "opengov": opengov.build_opengov(store),
    }
    store.write_routes()
    munis = [
        municipality(KOMMUNER["asker"], ["cms", "acos"], [("cms", "asker", acos.LANDING),
                     ("acos", "asker_innsyn", "/wfinnsyn.ashx?response=utvalgsliste&")],
                     ["asker", "asker_innsyn"], parts["acos"]),
        municipality(KOMMUNER["malvik"], ["framsikt"], [("cms", "malvik", framsikt.CMS_PAGE)] + [
                     ("framsikt", "framsikt", p["path"]) for p in parts["framsikt"]["publications"]],
                     ["malvik", "framsikt"], parts["framsikt"]),
        municipality(KOMMUNER["stavanger"], ["einnsyn"], [("einnsyn", "einnsyn", "/")],
                     ["einnsyn", "stavanger_filer"], parts["einnsyn"]),
        municipality(KOMMUNER["nordrefollo"], ["opengov"], [("opengov", "opengov", opengov.BASE)],
                     ["opengov"], parts["opengov"]),
    ]  # fmt: skip
    by_key = {d.key: d for d in store.docs}
    for m in munis:  # a PDF's budget-line cells on its truth document too, as sample.site records them
        for point in m.series:
            if by_key[point["doc"]].media_type != "framsikt":
                by_key[point["doc"]].series.append(point)
    answers = Answers(generator_version=GENERATOR_VERSION, hosts=HOSTS, municipalities=munis,
                      api_key=einnsyn.API_KEY, api_key_header=einnsyn.HEADER,
                      problems=[p for part in parts.values() for p in part["problems"]], **parts)  # fmt: skip
    (dest / "replicas.json").write_text(answers.to_json(), encoding="utf-8")
    fetch_failures = [{"host": p["host"], "path": p["path"], "expect": str(p["status"]),
                       "source": p["source"], "platform": p["platform"]}
                      for p in answers.problems if p["kind"] == "expired_link"]  # fmt: skip
    planted = [{"word": KOMMUNER[d.source].unique_word, "key": d.key, "page": pl["page"], "unique": True,
                "kommune": d.kommune} for d in store.docs for pl in d.planted
               if d.source and KOMMUNER[d.source].unique_word in pl["text"]]  # fmt: skip
    truth = Truth(
        generator_version=GENERATOR_VERSION, variant=VARIANT, hosts=HOSTS, landing_path="", archive_path="",
        html_pages=[f"{p['host']}:{p['path']}" for p in store.html_pages], portal_meetings=[], wayback_pages=[],
        documents=store.docs, fetch_failures=fetch_failures, never_request=store.never_request,
        skipped=store.skipped, optional=store.optional, planted_words=planted, robots_disallow=[],
    )  # fmt: skip
    (dest / "truth.json").write_text(truth.to_json(), encoding="utf-8")
    (dest / "snapshots.json").write_text("[]", encoding="utf-8")
    (dest / "apps.json").write_text(json.dumps({"einnsyn": "sample.platforms.einnsyn:EInnsynApi"}), encoding="utf-8")
    keys = [d.key for d in store.docs]
    assert len(keys) == len(set(keys)), "duplicate document key"
    return dest


def loopback_sources(server: SampleServer, dest: Path) -> Path:
    """The shipped source files of the four municipalities, rewritten to this server: every real
    host replaced by the loopback host that stands for it (hosts without one dropped), the start
    points of the answer key, no web archive and no politeness delay. Returns the directory."""
    from sources.writing import dump_source

    answers = load_answers(server.dest)
    netloc = {real: urlsplit(server.base_url(name)).netloc for real, name in STANDS_FOR.items()}

    def local(value: Any) -> Any:
        if isinstance(value, str):
            for real, here in netloc.items():
                value = value.replace(f"https://{real}", f"http://{here}").replace(f"http://{real}", f"http://{here}")
            return netloc.get(value, value)
        if isinstance(value, list):
            return [local(v) for v in value]
        if isinstance(value, dict):
            return {k: local(v) for k, v in value.items()}
        return value

    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for m in answers.municipalities:
        data = local(tomllib.loads((resources.files("sources") / f"{m.source}.toml").read_text(encoding="utf-8")))
        data.pop("wayback", None)
        data["politeness"] = {"delay": 0}
        data["allowed_hosts"] = [h for h in data.get("allowed_hosts", []) if h in netloc.values()]
        starts: dict[str, list[str]] = {}
        for st in m.start:
            starts.setdefault(st["platform"], []).append(server.base_url(st["host"]) + st["path"])
        platforms = [p for p in data.get("platforms", []) if p["kind"] in starts or p["kind"] == "einnsyn"]
        if "cms" in starts and not any(p["kind"] == "cms" for p in platforms):
            platforms.insert(0, {"kind": "cms"})
        for p in platforms:
            if p["kind"] in ("cms", "acos"):
                p["start_urls"] = starts[p["kind"]]
            elif p["kind"] == "framsikt":
                p["publications"] = [u for u in starts["framsikt"] if "cms" not in starts]
        data["platforms"] = platforms
        if "cms" in starts:
            data.setdefault("scope", {}).setdefault("documents", ["\\.(pdf|docx?)(\\?|$)"])
        (dest / f"{m.source}.toml").write_text(dump_source(data, f"{m.title}: the shipped source, rewritten to the "
                                                           "replicas on loopback (sample.municipalities)."),
                                               encoding="utf-8")
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sample.municipalities", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_build = sub.add_parser("build", help="write the build into DEST")
    p_build.add_argument("dest", type=Path)
    p_serve = sub.add_parser("serve", help="build (if needed) and serve until Ctrl-C")
    p_serve.add_argument("--dest", type=Path, default=Path(tempfile.gettempdir()) / "hparkiv-kommuner")
    args = parser.parse_args(argv)
    if args.command == "build":
        print(build_municipalities(args.dest))
        return 0
    build_municipalities(args.dest)
    with serve(args.dest) as srv:
        print(f"build: {args.dest}")
        for name in HOSTS:
            print(f"{name:16} {srv.base_url(name)}")
        print(f"API key for {srv.base_url('einnsyn')}: {einnsyn.HEADER}: {einnsyn.API_KEY}")
        sources = loopback_sources(srv, args.dest / "sources")
        print(f"sources for these replicas: {sources}\n  HPARKIV_SOURCES={sources} "
              f"HPARKIV_EINNSYN_API_KEY={einnsyn.API_KEY} hparkiv update --source all --delay 0", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
