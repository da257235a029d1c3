"""Page images and word boxes, from the stored PDF through pypdfium2 (never pdfplumber).

Images are WebP, cached in the data dir by (sha256, page, width) and written atomically, so
a second request is a file read. pdfium is not thread-safe (two renders at once in one
process crashed it), so every pdfium call runs in a small pool of RENDER_SLOTS worker
processes: renders run in parallel, at most RENDER_SLOTS at once (a burst of thumbnails
queues instead of starving the searches), and a PDF that crashes pdfium kills a worker,
never the server.

Word boxes come from pdfium's character boxes: the words a query matched (the same stems,
exact words, prefixes and compound parts as the snippets) become rectangles in the page's
own coordinates (points, origin top-left), drawn by the page template as SVG over the image.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from catalog.paths import DataDir
from web.workers import WorkerFailed, WorkerPool

THUMB_WIDTH = 200
PAGE_WIDTH = 1000
WIDTHS = (THUMB_WIDTH, 400, PAGE_WIDTH, 1600)  # the only widths served: a bounded cache
MAX_ASPECT = 4.0  # a page taller than 4x its width renders narrower, never taller
RENDER_SLOTS = 2
RENDER_TIMEOUT = 30.0
RENDERERS = WorkerPool(RENDER_SLOTS, RENDER_TIMEOUT)
_WORD = re.compile(r"\w+")


class PageMissing(Exception):
    """The document has no such page (or cannot be rendered)."""


@dataclass
class Box:
    x: float
    y: float
    w: float
    h: float
    word: str


@dataclass
class PageBoxes:
    width: float  # points
    height: float
    boxes: list[Box]


def page_image(data_dir: DataDir, sha256: str, page: int, width: int) -> Path:
    """The cached WebP of a page at `width` pixels, rendered on first request."""
    if width not in WIDTHS:
        raise ValueError(f"width {width} not in {WIDTHS}")
    dest = data_dir.render_path(sha256, page, width)
    if not dest.exists():
        _in_worker(_render_to, str(data_dir.file_path(sha256)), page, width, str(dest))
    return dest


def _in_worker(fn: Callable, *args: object):
    """Run a pdfium call in the render pool; a crashed or stuck worker is a PageMissing."""
    try:
        return RENDERERS.run(fn, *args)
    except WorkerFailed as e:
        raise PageMissing(f"the renderer failed: {e}") from None


def warm() -> None:
    """Start the render workers now (at server start), so the first page image does not pay for it."""
    RENDERERS.warm(_ready)


def _ready() -> bool:
    import pypdfium2  # noqa: F401  (imported once per worker, ahead of the first render)

    return True


def shutdown() -> None:
    """Stop the render workers (at server shutdown)."""
    RENDERERS.shutdown()


def _render_to(path: str, page: int, width: int, dest_path: str) -> None:
    """In a worker: render and write the WebP atomically (another worker may race: same bytes)."""
    dest = Path(dest_path)
    if dest.exists():
        return
    image = _render(Path(path), page, width)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".tmp-", suffix=".webp")
    try:
        with os.fdopen(fd, "wb") as fh:
            quality = 55 if width <= THUMB_WIDTH else 75
            image.save(fh, format="WEBP", quality=quality, method=4)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _render(path: Path, page: int, width: int):
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError) as e:
        raise PageMissing(str(e)) from None
    try:
        if not 1 <= page <= len(pdf):
            raise PageMissing(f"no page {page}")
        p = pdf[page - 1]
        w_pt, h_pt = p.get_size()
        if w_pt <= 0 or h_pt <= 0:
            raise PageMissing("empty page")
        scale = width / w_pt
        if h_pt * scale > width * MAX_ASPECT:
            scale = width * MAX_ASPECT / h_pt
        bitmap = p.render(scale=scale, may_draw_forms=False)
        return bitmap.to_pil().convert("RGB")
    finally:
        pdf.close()


def word_boxes(data_dir: DataDir, sha256: str, page: int, is_hit: Callable[[str], bool]) -> PageBoxes:
    """Boxes (in points from the top-left) of the words on `page` for which `is_hit` is true."""
    width, height, words = _in_worker(_page_words, str(data_dir.file_path(sha256)), page)
    boxes = [Box(*rect, word=word) for word, rects in words if is_hit(word) for rect in rects]
    return PageBoxes(width, height, boxes)


def _page_words(path: str, page: int) -> tuple[float, float, list[tuple[str, list[tuple[float, ...]]]]]:
    """In a worker: every word on the page with its rectangles (x, y, w, h from the top-left)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        pdf = pdfium.PdfDocument(path)
    except (pdfium.PdfiumError, OSError) as e:
        raise PageMissing(str(e)) from None
    try:
        if not 1 <= page <= len(pdf):
            raise PageMissing(f"no page {page}")
        p = pdf[page - 1]
        w_pt, h_pt = p.get_size()
        left, bottom, _right, _top = p.get_cropbox()
        textpage = p.get_textpage()
        n = textpage.count_chars()
        # One code point per character index, so word offsets are character indices.
        text = "".join(chr(raw.FPDFText_GetUnicode(textpage.raw, i) or 32) for i in range(n))
        words = [(m.group(), _word_rects(textpage, m.start(), m.end(), left, bottom, h_pt))
                 for m in _WORD.finditer(text)]
        return w_pt, h_pt, words
    finally:
        pdf.close()


def _word_rects(textpage, start: int, end: int, left: float, bottom: float, h_pt: float) -> list[tuple[float, ...]]:
    """One rectangle per line the word stands on (a hyphenated word may break across two)."""
    rects: list[list[float]] = []
    for i in range(start, end):
        x0, y0, x1, y1 = textpage.get_charbox(i, loose=True)
        if x1 <= x0 or y1 <= y0:
            continue
        last = rects[-1] if rects else None
        if last and abs(last[1] - y0) < (y1 - y0) / 2 and x0 >= last[0] - 1:
            last[2], last[3] = max(last[2], x1), max(last[3], y1)
            last[1] = min(last[1], y0)
        else:
            rects.append([x0, y0, x1, y1])
    return [(r[0] - left, h_pt - (r[3] - bottom), r[2] - r[0], r[3] - r[1]) for r in rects]
