"""OCR of pages without a text layer, via the `tesseract` program.

We call the executable instead of a Python binding: no extra dependency, and the
same install instructions (`tesseract-ocr`, `tesseract-ocr-nor`) work everywhere.
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import subprocess
from pathlib import Path

LANG = "nor"
DPI = 300
TIMEOUT_S = 120
HINT = "no text layer; install tesseract-ocr and tesseract-ocr-nor to OCR it"


@functools.lru_cache(maxsize=1)
def tesseract_available() -> bool:
    """True when `tesseract` is on PATH and has the Norwegian language data."""
    exe = shutil.which("tesseract")
    if exe is None:
        return False
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    langs = {line.strip() for line in (out.stdout + out.stderr).splitlines()}
    return LANG in langs


def render_page_png(path: Path, page_index: int, dpi: int = DPI) -> bytes:
    """Render one page (0-based) as a grayscale PNG with pdfium, which is fast and robust."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        page = doc[page_index]
        try:
            image = page.render(scale=dpi / 72, grayscale=True).to_pil()
        finally:
            page.close()
    finally:
        doc.close()
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def ocr_png(png: bytes, lang: str = LANG, timeout_s: float = TIMEOUT_S) -> str:
    """Run tesseract on PNG bytes (stdin to stdout). Raises RuntimeError on failure."""
    # One thread: we already run one worker per core, and OpenMP threads cost memory.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        proc = subprocess.run(
            ["tesseract", "-", "-", "-l", lang],
            input=png, capture_output=True, timeout=timeout_s, env=env,
        )
    except subprocess.TimeoutExpired as e:
        raise RuntimeError(f"tesseract timed out after {timeout_s:g} s") from e
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError(f"tesseract failed: {msg[-1] if msg else proc.returncode}")
    return proc.stdout.decode("utf-8", "replace")


def ocr_page(path: Path, page_index: int) -> str:
    """The OCR text of one page of a PDF (raw; the caller cleans it)."""
    return ocr_png(render_page_png(path, page_index))
