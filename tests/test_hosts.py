"""Which hosts a crawl may visit (crawler.hosts): a host on every port, host:port on one."""

from __future__ import annotations

from crawler.hosts import host_entry, is_allowed


def test_a_host_is_allowed_on_every_port() -> None:
    allowed = {"127.0.0.4"}
    assert is_allowed("http://127.0.0.4:41234/innsyn/wfinnsyn.ashx?response=mote", allowed)
    assert is_allowed("http://127.0.0.4/", allowed)
    assert not is_allowed("http://127.0.0.5:41234/", allowed)


def test_host_and_port_allow_only_that_port() -> None:
    allowed = {"127.0.0.1:8000"}
    assert is_allowed("http://127.0.0.1:8000/hp/", allowed)
    assert not is_allowed("http://127.0.0.1:8001/hp/", allowed)
    assert not is_allowed("http://127.0.0.1/hp/", allowed)
    assert is_allowed("https://www.example.no/", {"www.example.no:443"})


def test_entries_from_urls_and_hosts() -> None:
    assert host_entry("http://127.0.0.1:8000/hp/") == "127.0.0.1:8000"
    assert host_entry("https://www.Baerum.kommune.no/politikk/") == "www.baerum.kommune.no"
    assert host_entry(" Tjenester.baerum.kommune.no/ ") == "tjenester.baerum.kommune.no"


def test_hostile_urls_are_not_allowed() -> None:
    allowed = {"127.0.0.1"}
    assert not is_allowed("ftp://127.0.0.1/x.pdf", allowed)
    assert not is_allowed("http://127.0.0.1:99999999/x.pdf", allowed)
    assert not is_allowed("http://user@evil.example/127.0.0.1", allowed)
    assert is_allowed("http://[::1]:8000/", {"[::1]"})


def test_a_wildcard_allows_every_machine_under_a_domain() -> None:
    allowed = {"*.stavanger.kommune.no"}
    assert is_allowed("https://innsyn.stavanger.kommune.no/dokument/1", allowed)
    assert is_allowed("https://a.b.stavanger.kommune.no:8443/", allowed)
    assert is_allowed("https://stavanger.kommune.no/", allowed)
    assert not is_allowed("https://stavanger.kommune.no.evil.example/", allowed)
    assert not is_allowed("https://notstavanger.kommune.no/", allowed)
