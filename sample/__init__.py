"""A deterministic replica of Bærum kommune's budget-process website, for tests and demos.

    from sample import build, serve, load_truth
    dest = build(tmp_path / "site")
    with serve(dest) as srv:
        print(srv.landing_url)
"""

from sample.server import LogEntry, SampleServer, serve
from sample.site import LANDING, build
from sample.truth import GENERATOR_VERSION, Truth, TruthDoc, document_file, load_truth

__all__ = [
    "GENERATOR_VERSION",
    "LANDING",
    "LogEntry",
    "SampleServer",
    "Truth",
    "TruthDoc",
    "build",
    "document_file",
    "load_truth",
    "serve",
]
