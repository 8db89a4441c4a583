"""The as-of date from --as-of, the plugin's as_of and SOURCE_DATE_EPOCH: a bad one is a clear error and exit 2."""

from __future__ import annotations

import contextlib
import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from okrsite.commands.cli import main
from okrsite.sources.clock import DateSettingError, as_of_date

from ..conftest import ACME, write_repo


def run(root: Path, *args: str, **env: str) -> Result:
    """The okrsite command run in `root`, in this process, with SOURCE_DATE_EPOCH unset unless given."""
    with contextlib.chdir(root):
        return CliRunner().invoke(main, list(args), env={"SOURCE_DATE_EPOCH": None, **env}, catch_exceptions=False)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_repo(tmp_path / "s", ACME)


@pytest.mark.parametrize("value", ["2026-02-30", "18/05/2026", "1969-12-31", "9999-12-31"])
@pytest.mark.parametrize("command", ["check", "build", "generate", "diff", "new-cycle", "serve", "review"])
def test_a_bad_as_of_is_a_usage_error(site, command, value):
    args = {"generate": ["out"], "new-cycle": ["2026-Q2"], "review": ["2026-Q2"]}.get(command, [])
    result = run(site, command, "--as-of", value, *args)
    assert result.exit_code == 2
    assert "Invalid value for '--as-of'" in result.stderr and "Traceback" not in result.stderr
    assert "from 1970-01-01 to 2106-02-07" in result.stderr


@pytest.mark.parametrize("value", ["abc", "1e9", "-1", "4294967296", "99999999999999999999", "17790624OO"])
@pytest.mark.parametrize("command", ["check", "build"])
def test_a_bad_source_date_epoch_is_a_usage_error(site, command, value):
    result = run(site, command, SOURCE_DATE_EPOCH=value)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"okrsite: SOURCE_DATE_EPOCH: found {value!r}; expected whole seconds since 1970-01-01 (UTC), up to 4294967295"
    )
    assert not (site / "site").exists()


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ('"2026-02-30"', "okrsite: as_of in mkdocs.yml: found '2026-02-30'; expected a date written YYYY-MM-DD"),
        ("2026-02-30", "mkdocs.yml:6:14: error[yaml-syntax]: line 6: cannot read this value (day is out of range for month)"),
        ("1900-01-01", "okrsite: as_of in mkdocs.yml: found 1900-01-01; expected a date from 1970-01-01 to 2106-02-07"),
        ("soon", "okrsite: as_of in mkdocs.yml: found 'soon'; expected a date written YYYY-MM-DD"),
    ],
)
def test_a_bad_as_of_option_is_a_usage_error_that_names_mkdocs_yml(site, written, expected):
    (site / "mkdocs.yml").write_text(
        f"site_name: Acme\nplugins:\n  - search\n  - okrsite:\n      content: content\n      as_of: {written}\n"
    )
    for command in ("check", "build"):
        result = run(site, command)
        assert result.exit_code == 2, result.stderr
        assert result.stderr.startswith(expected), result.stderr


def test_plain_mkdocs_build_reports_a_bad_as_of_option_without_a_traceback(site):
    (site / "docs").mkdir()
    (site / "docs/index.md").write_text("# Acme\n", encoding="utf-8")
    (site / "mkdocs.yml").write_text('site_name: Acme\nplugins:\n  - okrsite:\n      as_of: "2026-02-30"\n')
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=site, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert "okrsite: as_of in mkdocs.yml: found '2026-02-30'" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("day", ["1970-01-01", "2106-02-07"])
def test_the_first_and_the_last_day_build(site, day):
    result = run(site, "build", "--as-of", day)
    assert result.exit_code == 0, result.stderr
    assert f"as of {day}" in (site / "site/index.html").read_text(encoding="utf-8")


def test_source_date_epoch_is_checked_even_when_a_date_is_given():
    with pytest.raises(DateSettingError, match="SOURCE_DATE_EPOCH: found 'x'"):
        as_of_date(dt.date(2026, 5, 18), {"SOURCE_DATE_EPOCH": "x"})
    assert as_of_date(dt.date(2026, 5, 18), {"SOURCE_DATE_EPOCH": "0"}) == dt.date(2026, 5, 18)
