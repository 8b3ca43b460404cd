"""The output folder's integrity without kernels: the lock, publishing a report's files together, and
the recovery of what a crash left (journal replayed, scratch leftovers removed)."""
from __future__ import annotations

import json
import subprocess
import sys


from parreport.batch.outdir import output_lock, publish, recover, scratch


def files_of(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_publish_replaces_the_whole_set_and_drops_formats_the_new_set_lacks(tmp_path):
    report = tmp_path / "2020-Q1" / "STP"
    report.mkdir(parents=True)
    for name in ("briefing.html", "briefing.pdf", "briefing.failed.ipynb"):
        (report / name).write_text("old", encoding="utf-8")
    with scratch(report, "briefing") as folder:
        new = {"ipynb": folder / "briefing.ipynb", "html": folder / "briefing.html"}
        for path in new.values():
            path.write_text("new", encoding="utf-8")
        published = publish(new, report, "briefing", [report / "briefing.pdf", report / "briefing.failed.ipynb"])
    assert published == {"ipynb": report / "briefing.ipynb", "html": report / "briefing.html"}
    assert files_of(tmp_path) == ["2020-Q1/STP/briefing.html", "2020-Q1/STP/briefing.ipynb"]
    assert {p.read_text(encoding="utf-8") for p in report.iterdir()} == {"new"}


def test_a_crash_before_the_journal_leaves_the_old_report_and_recovery_drops_the_scratch(tmp_path):
    report = tmp_path / "2020-Q1" / "STP"
    report.mkdir(parents=True)
    (report / "briefing.html").write_text("old", encoding="utf-8")
    half = report / ".partial-briefing-x"
    half.mkdir()
    (half / "briefing.html").write_text("new, half written", encoding="utf-8")
    (tmp_path / ".manifest.json.partial").write_text("{", encoding="utf-8")
    assert recover(tmp_path) == []
    assert files_of(tmp_path) == ["2020-Q1/STP/briefing.html"]
    assert (report / "briefing.html").read_text(encoding="utf-8") == "old"


def test_a_crash_after_the_journal_is_rolled_forward(tmp_path):
    """The journal is written once every new file is complete; a crash after one of two moves leaves a
    new HTML beside an old PDF, which recovery completes to all new."""
    report = tmp_path / "2020-Q1" / "STP"
    (report / ".partial-briefing-x").mkdir(parents=True)
    scratch_dir = report / ".partial-briefing-x"
    (report / "briefing.html").write_text("new", encoding="utf-8")        # already moved
    (report / "briefing.pdf").write_text("old", encoding="utf-8")
    (report / "briefing.docx").write_text("old", encoding="utf-8")        # a format the new set lacks
    (scratch_dir / "briefing.pdf").write_text("new", encoding="utf-8")    # not moved yet
    moves = [[str(scratch_dir / n), str(report / n)] for n in ("briefing.html", "briefing.pdf")]
    (report / ".briefing.publish.json").write_text(json.dumps({"moves": moves, "stale": [str(report / "briefing.docx")]}),
                                                   encoding="utf-8")
    assert recover(tmp_path) == [report / ".briefing.publish.json"]
    assert files_of(tmp_path) == ["2020-Q1/STP/briefing.html", "2020-Q1/STP/briefing.pdf"]
    assert {p.read_text(encoding="utf-8") for p in report.iterdir()} == {"new"}


def test_a_second_writer_is_refused_while_the_first_holds_the_lock(tmp_path):
    """Another process (as a second `parreport run` would be) cannot take the lock; after release it can."""
    probe = ("import sys; from pathlib import Path; from parreport.batch.outdir import output_lock\n"
             "from parreport.errors import ConfigError\n"
             "try:\n    with output_lock(Path(sys.argv[1])): print('got it')\n"
             "except ConfigError as exc: print(exc)")
    with output_lock(tmp_path):
        held = subprocess.run([sys.executable, "-c", probe, str(tmp_path)], capture_output=True, text=True)
        assert "another parreport run (pid " in held.stdout and "is writing to this folder" in held.stdout
    free = subprocess.run([sys.executable, "-c", probe, str(tmp_path)], capture_output=True, text=True)
    assert free.stdout.strip() == "got it"
