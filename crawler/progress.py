"""The child's progress protocol: one JSON object per stdout line, prefixed so stray output is ignored."""

from __future__ import annotations

import json
import sys
from typing import Any

PREFIX = "@hparkiv "


def emit(event: dict[str, Any]) -> None:
    sys.stdout.write(PREFIX + json.dumps(event, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def parse(line: str) -> dict[str, Any] | None:
    if not line.startswith(PREFIX):
        return None
    try:
        value = json.loads(line[len(PREFIX):])
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None
