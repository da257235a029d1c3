"""Jobs below the front ends (jobs/): they report progress to a callback, raise their own errors
(catalog messages, no click) and hold the update lock; the CLI's tests drive them end to end."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from processes import REPO

import catalog
from catalog import DataDir, PageText
from jobs import update as jobs
from jobs.check import check, repair
from jobs.errors import BadOption, Busy, JobError
from jobs.locks import update_lock


def _small_archive(root: Path) -> DataDir:
    data_dir = DataDir(root / "data")
    conn = catalog.connect(data_dir)
    for n in range(3):
        data = f"dokument {n}".encode()
        sha = data_dir.store_bytes(data)
        catalog.record_version(conn, url=f"https://example.invalid/{n}.pdf", sha256=sha, size=len(data),
                               media_type="pdf", content_type="application/pdf", etag=None, last_modified=None,
                               meta={"title": f"Dokument {n}", "year": 2020 + n}, provenance={})
        catalog.record_extraction(conn, sha, status="ok", error=None,
                               pages=[PageText(1, f"Barnehage og sykehjem i {2020 + n}.")], tables=[])
    conn.close()
    return data_dir


def _old_catalog_without_vedtak(data_dir: DataDir) -> None:
    conn = catalog.connect(data_dir)
    for table in ("votes", "proposals", "vedtak", "vedtak_state"):
        conn.execute(f"DELETE FROM {table}")
    conn.commit()
    conn.close()


def test_a_stage_reports_its_steps_and_returns_its_summary(tmp_path):
    data_dir = _small_archive(tmp_path)
    steps = []
    summary = jobs.index(data_dir, on_step=steps.append)
    assert summary.documents == 3
    assert [s.state for s in steps][0] == "start" and steps[-1].state == "done"
    assert steps[-1].summary is summary and {s.stage for s in steps} == {"index"}
    progress = [s for s in steps if s.state == "progress"]
    assert progress and all(s.counts.get("total") == 3 for s in progress)


def test_a_bad_start_url_is_the_users_input_and_nothing_runs(tmp_path):
    data_dir = DataDir(tmp_path / "data")
    steps = []
    with pytest.raises(BadOption) as e:
        jobs.crawl(data_dir, jobs.CrawlOptions(start_urls=("ftp://example.invalid/",)), on_step=steps.append)
    assert "not an http(s) URL" in str(e.value) and isinstance(e.value, JobError)
    assert e.value.translated(lambda m: m.replace("invalid value", "ugyldig verdi")).startswith("ugyldig verdi: ")
    assert [s.state for s in steps] == ["start"]


def test_a_second_run_is_refused_while_another_process_holds_the_lock(tmp_path):
    data_dir = _small_archive(tmp_path)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys\nfrom catalog import DataDir\nfrom pathlib import Path\n"
         "with DataDir(Path(sys.argv[1])).lock('update'):\n    print('held', flush=True)\n    sys.stdin.read()\n",
         str(data_dir.root)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO)
    try:
        assert holder.stdout.readline().strip() == "held"  # wait for the state, not a moment
        with pytest.raises(Busy, match=rf"another hparkiv update is running on .* \(pid {holder.pid}\)"):
            jobs.index(data_dir)
        with pytest.raises(Busy):
            jobs.extract(data_dir)
    finally:
        holder.communicate("", timeout=30)
    assert jobs.index(data_dir).documents == 3  # the lock is free again, and nothing was indexed while held


def test_the_lock_is_reentrant_within_a_run(tmp_path):
    data_dir = _small_archive(tmp_path)
    with update_lock(data_dir), update_lock(data_dir):
        assert jobs.index(data_dir).documents == 3


def test_check_finds_what_is_missing_and_repair_mends_it(tmp_path):
    from catalog.vedtak import VedtakStale

    data_dir = _small_archive(tmp_path)  # pages stored as an old run left them: no vedtak derived yet
    jobs.index(data_dir)
    (stale,) = check(data_dir)
    assert isinstance(stale, VedtakStale) and not stale.repaired
    (mended,) = repair(data_dir, [stale])
    assert mended is stale and mended.repaired
    assert check(data_dir) == []
    _old_catalog_without_vedtak(data_dir)
    (again,) = check(data_dir, repair=True)  # both in one call, as `hparkiv check --repair`
    assert again.repaired and check(data_dir) == []
    (missing,) = check(DataDir(tmp_path / "nothing"))
    assert missing.kind == "no-catalog" and "no archive" in missing.detail


def test_jobs_never_import_click_or_a_front_end():
    code = ("import sys\nimport jobs.update, jobs.check, jobs.locks\n"
            "print(','.join(m for m in ('click', 'rich', 'search_cli', 'web', 'scrapy', 'pdfplumber') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert proc.returncode == 0 and proc.stdout.strip() == "", proc.stderr
