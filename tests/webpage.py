"""Reading the web UI's answers in the web tests: the links and marks of a page, the CLI's JSON
to compare with, and the two languages' request headers. Their fixtures (`data_dir`, `client`,
`a_hit`) are in conftest.py."""

from __future__ import annotations

import json
from html.parser import HTMLParser

from processes import hparkiv

from catalog import DataDir

NB = {"Accept-Language": "nb-NO,nb;q=0.9"}
EN = {"Accept-Language": "en"}


class Links(HTMLParser):
    """Every href and src on a page, and the text inside <mark>."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.srcs: list[str] = []
        self.marks: list[str] = []
        self._in_mark = 0

    def handle_starttag(self, tag, attrs):
        d = dict(attrs)
        if "href" in d:
            self.hrefs.append(d["href"])
        if "src" in d:
            self.srcs.append(d["src"])
        if tag == "mark":
            self._in_mark += 1
            self.marks.append("")

    def handle_endtag(self, tag):
        if tag == "mark":
            self._in_mark -= 1

    def handle_data(self, data):
        if self._in_mark:
            self.marks[-1] += data


def parsed(html: str) -> Links:
    p = Links()
    p.feed(html)
    return p


def cli_json(data_dir: DataDir, *args: str):
    proc = hparkiv(data_dir.root, *args)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)
