"""`Problem`: one finding of `hparkiv check`, the base every stage's checks extend.

Its own module, below everything else in the catalog, so any module with a check
(catalog/check.py for files and rows, catalog/vedtak.py, index/check.py) imports it
without importing the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar


@dataclass
class Problem:
    """Something in the data dir that disagrees with the rest; `detail` is one line for the user."""

    kind: ClassVar[str] = "problem"
    detail: str
    repaired: bool = field(default=False, kw_only=True)

    def to_dict(self) -> dict[str, Any]:
        """As `hparkiv check --format json` shows it."""
        out: dict[str, Any] = {"kind": self.kind, "detail": self.detail}
        if self.repaired:
            out["repaired"] = True
        return out
