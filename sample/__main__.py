"""Command line: ``python -m sample build DEST`` and ``python -m sample serve``."""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from sample.server import serve
from sample.site import build


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sample", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p_build = sub.add_parser("build", help="write the sample site into DEST")
    p_build.add_argument("dest", type=Path)
    p_build.add_argument("--variant", type=int, default=0)
    p_serve = sub.add_parser("serve", help="build (if needed) and serve until Ctrl-C")
    p_serve.add_argument("--dest", type=Path, default=None)
    p_serve.add_argument("--variant", type=int, default=0)
    args = parser.parse_args(argv)

    if args.command == "build":
        print(build(args.dest, args.variant))
        return 0
    dest = args.dest or Path(tempfile.gettempdir()) / f"hparkiv-sample-{args.variant}"
    build(dest, args.variant)
    with serve(dest) as srv:
        print(f"build:   {dest}")
        print(f"main:    {srv.main_url}")
        print(f"portal:  {srv.portal_url}")
        print(f"wayback: {srv.wayback_url}")
        print(f"landing: {srv.landing_url}", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
