"""`okrsite digest`: the weekly digest in each format, from a real repository whose history says what stood last week."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ..analysis.test_digest import LAST_WEEK, THIS_WEEK
from ..conftest import write_repo

SITE = "https://okrs.example.com"


def git(root: Path, *args: str, on: str = "2026-05-10") -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": f"{on}T12:00:00+00:00", "GIT_COMMITTER_DATE": f"{on}T12:00:00+00:00"}
    command = ["git", "-c", "user.name=T", "-c", "user.email=t@example.invalid", *args]
    return subprocess.run(command, cwd=root, env=env, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """LAST_WEEK committed on 10 May, THIS_WEEK on 15 May: the check-ins and the new objective of this week."""
    site = write_repo(tmp_path / "site", LAST_WEEK)
    git(site, "init", "-q", "-b", "main")
    git(site, "add", "-A")
    git(site, "commit", "-qm", "OKRs for Q2")
    write_repo(site, THIS_WEEK)
    git(site, "commit", "-qam", "Check-ins, and the search objective", on="2026-05-15")
    return site


def test_json_lists_per_owner_what_is_due_what_moved_and_the_signals_new_since_the_last_digest(root, okrsite):
    result = okrsite(root, "digest", "--as-of", "2026-05-18", "--format", "json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    first = git(root, "rev-list", "--max-parents=0", "HEAD")
    assert (found["as_of"], found["since"], found["compared_with"]) == ("2026-05-18", "2026-05-11", first)
    assert [o["name"] for o in found["owners"]] == ["Ana Silva", "Li Wei", "Wile Coyote"]
    ana = found["owners"][0]
    kr = {"team": "web", "team_name": "Web", "cycle": "2026-Q2", "objective": "speed", "objective_title": "Pages feel instant"}
    assert ana == {
        "name": "Ana Silva",
        "slug": "ana-silva",
        "url": f"{SITE}/people/ana-silva/",
        "due": [
            {
                **kr,
                "key_result": "uptime",
                "title": "Uptime stays above 99.5%",
                "url": f"{SITE}/teams/web/2026-Q2/#kr-speed-uptime",
                "last_checkin": "2026-04-27",
                "days_waiting": 21,
            }
        ],
        "moved": [
            {
                **kr,
                "key_result": "p95",
                "title": "P95 load time",
                "url": f"{SITE}/teams/web/2026-Q2/#kr-speed-p95",
                "kind": "metric",
                "unit": "ms",
                "checkins": [{"date": "2026-05-14", "value": 700, "done": None, "confidence": 6}],
                "value_was": 760,
                "value": 700,
                "score_was": 0.1,
                "score": 0.25,
                "status": "at risk",
                "outdated": False,
                "confidence_was": 7,
                "confidence": 6,
            }
        ],
        "new_signals": [
            {
                "team": "web",
                "team_name": "Web",
                "cycle": "2026-Q2",
                "code": "set-and-forget",
                "about": "speed/uptime",
                "key_result": "speed/uptime",
                "message": "key result uptime: last check-in on 2026-04-27, 21 days ago (expected every 7 days, flagged after 14)",
                "file": "content/teams/web/2026-Q2.yml",
                "line": 17,
                "url": f"{SITE}/teams/web/2026-Q2/#kr-speed-uptime",
            }
        ],
    }
    # the objective added on 15 May was not in the content git had when 11 May ended: its signal is new
    [unaligned] = found["owners"][2]["new_signals"]
    assert (unaligned["code"], unaligned["about"]) == ("unaligned", "search")
    assert unaligned["url"] == f"{SITE}/teams/web/2026-Q2/#objective-search"


def test_markdown_for_chat_has_a_heading_per_owner_and_links_to_the_site(root, okrsite):
    result = okrsite(root, "digest", "--as-of", "2026-05-18")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:3] == ["# OKR digest, 2026-05-18", "", "Check-ins due on 2026-05-18, and what moved since 2026-05-11."]
    assert [line for line in lines if line.startswith("## ")] == [
        f"## [Ana Silva]({SITE}/people/ana-silva/)",
        f"## [Li Wei]({SITE}/people/li-wei/)",
        f"## [Wile Coyote]({SITE}/people/wile-coyote/)",
    ]
    assert (
        f"- Web · Pages feel instant › [Uptime stays above 99.5%]({SITE}/teams/web/2026-Q2/#kr-speed-uptime): "
        "last check-in 2026-04-27, 21 days ago"
    ) in lines
    assert (
        f"- Web · Pages feel instant › [P95 load time]({SITE}/teams/web/2026-Q2/#kr-speed-p95): 760 ms → 700 ms; "
        "score 0.10 → 0.25, at risk; confidence 7 → 6; checked in 2026-05-14"
    ) in lines
    assert (
        f"- Web · Pages feel instant › [Error rate per 1000 requests]({SITE}/teams/web/2026-Q2/#kr-speed-errors): "
        "no check-in yet, 42 days since 2026-Q2 began"
    ) in lines
    assert any(line.startswith(f"- [Web · 2026-Q2]({SITE}/teams/web/2026-Q2/#objective-search): `unaligned` ") for line in lines)
    for old in ("Ship the new CDN", "Cache hit rate", "Bundle size", "no-retrospective", "Road Runner", "2026-05-19"):
        assert old not in result.stdout  # done, graded, of an ended cycle, a signal of last week, nothing to say, not yet


def test_text_for_mail_is_plain_and_wrapped(root, okrsite):
    (root / "mkdocs.yml").write_text("site_name: Acme OKRs\nplugins: [okrsite]\n")  # no site_url: no links
    result = okrsite(root, "digest", "--as-of", "2026-05-18", "--format", "text", "--owner", "li wei")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "OKR digest, 2026-05-18: check-ins due on 2026-05-18, and what moved since 2026-05-11.",
        "",
        "Li Wei",
        "  Due a check-in:",
        "    - Web · Pages feel instant › Error rate per 1000 requests: no check-in yet,",
        "      42 days since 2026-Q2 began",
        "  Moved since 2026-05-11:",
        "    - Web · Customers find what they look for › Searches that end in a click:",
        "      40% → 44%; score 0.00 → 0.20, off track; confidence 5; checked in",
        "      2026-05-15",
    ]
    assert "http" not in okrsite(root, "digest", "--as-of", "2026-05-18").stdout


def test_since_sets_the_last_digest_date(root, okrsite):
    found = json.loads(okrsite(root, "digest", "--as-of", "2026-05-18", "--since", "2026-04-26", "--format", "json").stdout)
    ana = found["owners"][0]
    assert found["compared_with"] is None  # the history begins on 10 May: today's content stands in
    assert [(m["key_result"], m["value_was"], m["value"]) for m in ana["moved"]] == [("p95", 760, 700), ("uptime", None, 99.7)]
    too_late = okrsite(root, "digest", "--as-of", "2026-05-18", "--since", "2026-05-18")
    assert too_late.exit_code == 2 and too_late.stderr == "okrsite digest: --since 2026-05-18 is not before the as-of date 2026-05-18\n"
    malformed = okrsite(root, "digest", "--since", "18/05/2026")
    assert malformed.exit_code == 2 and "--since" in malformed.stderr and "Traceback" not in malformed.output


def test_without_history_the_content_as_it_is_now_stands_in_and_the_command_says_so(tmp_path, okrsite, monkeypatch):
    root = write_repo(tmp_path / "plain", THIS_WEEK)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # wherever the tests run, git looks no higher
    result = okrsite(root, "digest", "--as-of", "2026-05-18", "--format", "json")
    assert result.exit_code == 0
    assert result.stderr.startswith("okrsite digest: the content is not in a git repository with commits; new signals are those")
    found = json.loads(result.stdout)
    assert found["compared_with"] is None
    # the check-in that came due is still new; the objective added this week cannot be told from one always there
    assert [o["name"] for o in found["owners"]] == ["Ana Silva", "Li Wei"]
    assert [s["code"] for s in found["owners"][0]["new_signals"]] == ["set-and-forget"]


def test_an_owner_with_nothing_and_a_week_with_nothing_say_so_in_one_line(root, okrsite):
    quiet = okrsite(root, "digest", "--as-of", "2026-05-18", "--owner", "Road Runner")
    assert (quiet.exit_code, quiet.stdout) == (0, "Nothing due, moved or new for Road Runner since 2026-05-11 (as of 2026-05-18).\n")
    after = okrsite(root, "digest", "--as-of", "2026-07-20", "--format", "text")
    assert (after.exit_code, after.stdout) == (0, "Nothing due, moved or new for anyone since 2026-07-13 (as of 2026-07-20).\n")
    assert json.loads(okrsite(root, "digest", "--as-of", "2026-07-20", "--format", "json").stdout)["owners"] == []


def test_an_unknown_owner_is_a_one_line_error_with_a_did_you_mean(root, okrsite):
    result = okrsite(root, "digest", "--as-of", "2026-05-18", "--owner", "Ana Silvia")
    assert result.exit_code == 2
    assert result.stderr == "okrsite digest: --owner 'Ana Silvia' names nobody in content/; did you mean 'Ana Silva'?\n"
    assert result.stdout == ""


def test_content_errors_are_printed_and_exit_1(root, okrsite):
    doc = root / "content/teams/web/2026-Q2.yml"
    doc.write_text(doc.read_text().replace("confidence: 6}", "confidence: 11}", 1))
    result = okrsite(root, "digest", "--as-of", "2026-05-18")
    assert result.exit_code == 1
    [error] = [line for line in result.stdout.splitlines() if ": error[" in line]
    assert error.startswith("content/teams/web/2026-Q2.yml:") and "confidence" in error
    assert "1 error" in result.stderr and "OKR digest" not in result.output


def test_the_ci_that_init_writes_runs_the_digest_weekly_in_a_job_of_its_own(tmp_path, okrsite):
    assert okrsite(tmp_path, "init", "--as-of", "2026-11-25", "--name", "Acme", "okrs").exit_code == 0
    site = tmp_path / "okrs"
    github = yaml.safe_load((site / ".github/workflows/okrs.yml").read_text())
    assert {"cron": "0 7 * * 1"} in github[True]["schedule"]  # YAML 1.1 reads the key `on` as true
    job = github["jobs"]["digest"]
    assert "github.event.schedule == '0 7 * * 1'" in job["if"] and job["permissions"] == {"contents": "read"}
    assert job["steps"][0]["with"]["fetch-depth"] == 0
    [write] = [s["run"] for s in job["steps"] if "okrsite digest" in s.get("run", "")]
    assert write == "okrsite digest --format markdown > digest.md"
    assert "OKRSITE_DIGEST_WEBHOOK" in (site / ".github/workflows/okrs.yml").read_text()  # the post, commented out
    gitlab = yaml.safe_load((site / ".gitlab-ci.yml").read_text())
    assert gitlab["digest"]["script"] == [write] and '$OKRSITE_JOB == "digest"' in gitlab["digest"]["rules"][0]["if"]
    git(site, "init", "-q", "-b", "main")
    git(site, "add", "-A")
    git(site, "commit", "-qm", "OKRs", on="2026-11-16")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1795564800", "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    done = subprocess.run(["bash", "-e", "-c", write], cwd=site, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (site / "digest.md").read_text().startswith("# OKR digest, 2026-11-25\n")


def test_the_readme_shows_what_the_digest_of_this_fixture_says(root, okrsite):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    shown = readme.split("```console\n$ okrsite digest --as-of 2026-05-18\n", 1)[1].split("```\n", 1)[0]
    assert shown == okrsite(root, "digest", "--as-of", "2026-05-18").stdout


def test_content_is_text_in_every_format_never_markup_or_a_terminal_escape(root, okrsite):
    doc = root / "content/teams/web/2026-Q2.yml"
    doc.write_text(doc.read_text().replace("title: Error rate per 1000 requests", 'title: "*Errors* [win](javascript:x) \\e[31m\\u202e"'))
    markdown = okrsite(root, "digest", "--as-of", "2026-05-18", "--owner", "Li Wei").stdout
    assert "\\*Errors\\* \\[win\\](javascript:x) \\\\x1b\\[31m\\\\u202e" in markdown  # backslashes shown as typed
    text = okrsite(root, "digest", "--as-of", "2026-05-18", "--owner", "Li Wei", "--format", "text").stdout
    assert "*Errors* [win](javascript:x) \\x1b[31m\\u202e" in text and "\x1b" not in text + markdown and "\u202e" not in text + markdown
    found = okrsite(root, "digest", "--as-of", "2026-05-18", "--owner", "Li Wei", "--format", "json").stdout
    assert "\x1b" not in found and "\u202e" not in found
    assert json.loads(found)["owners"][0]["due"][0]["title"] == "*Errors* [win](javascript:x) \x1b[31m\u202e"
