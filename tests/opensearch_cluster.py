"""The OpenSearch cluster the engine tests run against, found through $HPARKIV_OPENSEARCH_URL.

`.ci/run` starts the project's cluster (jobs/cluster.py) and sets the variable, so in CI
these tests always run. Elsewhere they are skipped, with the command that starts a cluster,
when the variable is unset. Each test makes its own index under a unique name, so parallel
test processes can share one cluster.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import uuid
from urllib.parse import urlsplit

import pytest

from catalog.models import Version

URL_ENV = "HPARKIV_OPENSEARCH_URL"
START = "make cluster && eval $(python3 -m jobs.cluster env)"


def cluster_urls() -> list[str]:
    """The test cluster's node URLs; skip (or, in CI, fail) when none is configured."""
    raw = os.environ.get(URL_ENV, "").strip()
    if not raw:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the OpenSearch tests, but ${URL_ENV} is not set (.ci/run starts the cluster)")
        pytest.skip(f"no OpenSearch cluster: ${URL_ENV} is not set (start one: {START})")
    urls = [u.strip() for u in raw.split(",") if u.strip()]
    for u in urls:
        host = urlsplit(u).hostname or ""
        loopback = host == "localhost"
        try:
            loopback = loopback or ipaddress.ip_address(host).is_loopback
        except ValueError:
            pass
        if not loopback:
            pytest.fail(f"tests talk only to loopback addresses, not {u} (${URL_ENV})")
    return urls


@pytest.fixture(scope="session")
def os_client():
    from index.opensearch.client import connect, wait_for_health

    urls = cluster_urls()
    client = connect(urls)
    try:
        wait_for_health(client, status="yellow", seconds=60)
    except Exception as e:  # a configured cluster that does not answer is a failure, not a skip
        pytest.fail(f"the OpenSearch cluster at {','.join(urls)} does not answer: {e}")
    return client


def unique_name(prefix: str = "hparkiv-test") -> str:
    return f"{prefix}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def version(name: str, *, year: int | None = 2021, committee: str | None = "kommunestyret",
            doctype: str | None = "forslag", title: str | None = None, date: str | None = None) -> Version:
    """A catalog version for a test document named `name` (its sha256 is the name's hash)."""
    sha = hashlib.sha256(name.encode()).hexdigest()
    return Version(sha256=sha, doc_id=sha[:12], url=f"https://example.invalid/{name}.pdf", size=1, media_type="pdf",
                   title=title or name, year=year, committee=committee, doctype=doctype, date=date)
