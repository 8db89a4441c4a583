"""The benchmark script keeps working: one run on a tiny organisation. Times are printed by it, never asserted here."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = ["size (teams x cycles)", "pages", "HTML KB/page", "build s", "plain s", "build/plain", "check s", "floor s", "check/floor"]
COLUMNS += ["build MB", "plain MB", "memory build/plain"]


def test_benchmark_script_prints_its_table_for_a_tiny_organisation(tmp_path):
    out = tmp_path / "bench"
    result = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--sizes", "3x1", "--runs", "1", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.startswith("| size"))
    names = [cell.strip() for cell in header.strip("|").split("|")]
    assert names[: len(COLUMNS)] == COLUMNS
    row = dict(
        zip(names, (cell.strip() for cell in next(line for line in lines if line.startswith("| 3x1 |")).strip("|").split("|")), strict=True)
    )
    assert int(row["pages"]) > 0
    for ratio in ("build/plain", "check/floor", "memory build/plain"):
        assert re.fullmatch(r"\d+\.\d\d( ✗)?", row[ratio]), row
    assert "Python 3." in result.stdout and "MkDocs " in result.stdout
    assert not out.exists()  # removed without --keep


def test_benchmark_script_rejects_a_malformed_size():
    result = subprocess.run([sys.executable, "benchmarks/run.py", "--sizes", "50"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "TEAMSxCYCLES" in result.stderr


SERVE_COLUMNS = [
    "size (teams x cycles)",
    "pages",
    "rebuild",
    "okrsite serve first build s",
    "okrsite reload s",
    "mkdocs serve first build s",
]
SERVE_COLUMNS += ["mkdocs reload s", "reload okrsite/mkdocs"]


def test_serve_benchmark_times_a_reload_under_both_servers_for_a_tiny_organisation(tmp_path):
    out = tmp_path / "serve-bench"
    result = subprocess.run(
        [sys.executable, "benchmarks/serve.py", "--sizes", "3x1", "--edits", "1", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.startswith("| size"))
    names = [cell.strip() for cell in header.strip("|").split("|")]
    assert names == SERVE_COLUMNS
    rows = [
        dict(zip(names, (cell.strip() for cell in line.strip("|").split("|")), strict=True)) for line in lines if line.startswith("| 3x1 |")
    ]
    assert [row["rebuild"] for row in rows] == ["full", "dirty"]
    for row in rows:
        assert int(row["pages"]) > 0
        for figure in SERVE_COLUMNS[3:]:
            assert float(row[figure]) >= 0, row
    reloads = [line for line in lines if line.startswith("3x1 ") and "reloads" in line]
    assert [line.split(",")[0] for line in reloads] == ["3x1 okrsite full", "3x1 mkdocs full", "3x1 okrsite dirty", "3x1 mkdocs dirty"]
    for line in reloads:
        assert re.fullmatch(r".*: reloads \d+\.\d\d s", line), line
    assert not out.exists()  # removed without --keep
