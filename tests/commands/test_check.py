"""`okrsite check` on broken repositories: exit code, file:line and the words of each message (SPEC section 8)."""

from __future__ import annotations

import json
import re
import textwrap

import pytest

from ..conftest import ACME, write_repo

WEB = "content/teams/web/2026-Q2.yml"
ACME_DOC = "content/teams/acme/2026-Q2.yml"


def edit(name: str, old: str, new: str) -> dict[str, str]:
    text = textwrap.dedent(ACME[name])
    assert old in text, old
    return {name: text.replace(old, new, 1)}


BROKEN = {
    "malformed yaml": (edit(WEB, "aligns_to: [acme/growth]", "aligns_to: [acme/growth"), f"{WEB}:5:", ["list in brackets", "not closed"]),
    "duplicated key": (
        edit(WEB, "        target: 400\n", "        target: 400\n        target: 450\n"),
        f"{WEB}:11:9",
        ["duplicate-key", "'target' appears twice", "first at line 10"],
    ),
    "missing field": (edit(WEB, "        title: P95 load time in ms\n", ""), f"{WEB}:7:9", ["missing-field", "'title'"]),
    "mistyped field": (
        edit(WEB, "baseline: 800", "baseline: fast"),
        f"{WEB}:9:19",
        ["baseline", "found 'fast'", "expected a number"],
    ),
    "unknown field": (
        edit(WEB, "    aligns_to:", "    align_to:"),
        f"{WEB}:5:5",
        ["unknown field 'align_to'", "did you mean 'aligns_to'?"],
    ),
    "id not a slug": (edit(WEB, "- id: speed", "- id: speed up"), f"{WEB}:2:9", ["invalid-id", "'speed up'", "letters, digits"]),
    "duplicate objective id": (
        edit(ACME_DOC, "objectives:\n", "objectives:\n  - {id: growth, title: Twice, type: committed, key_results: []}\n"),
        f"{ACME_DOC}:3:9",
        ["duplicate-id", "'growth' appears twice", "first at line 2"],
    ),
    "duplicate cycle id": (
        {"content/cycles.yml": ACME["content/cycles.yml"] + "  - {id: 2026-Q1, start: 2026-01-05, end: 2026-03-27}\n"},
        "content/cycles.yml:13:10",
        ["cycle '2026-Q1' is listed twice", "first at line 2"],
    ),
    "unresolved reference": (
        edit(WEB, "aligns_to: [acme/growth]", "aligns_to: [acme/grwth]"),
        f"{WEB}:5:17",
        ["unresolved-reference", "'acme/grwth'", "did you mean 'growth'?"],
    ),
    "unknown kr in dependency": (
        edit(WEB, "[acme/growth/revenue]", "[acme/growth/revnue]"),
        f"{WEB}:11:22",
        ["no key result 'revnue'", "did you mean 'revenue'?"],
    ),
    "cycle in parent": (
        {"content/teams/acme/team.yml": "name: Acme\nparent: web\n"},
        "content/teams/acme/team.yml:2:9",
        ["parent-loop", "acme -> web -> acme"],
    ),
    "cycle in aligns_to": (
        edit(ACME_DOC, "    type: aspirational\n", "    type: aspirational\n    aligns_to: [web/speed]\n"),
        ACME_DOC + ":5:",
        ["alignment-loop", "acme/growth@2026-Q2 -> web/speed@2026-Q2 -> acme/growth@2026-Q2"],
    ),
    "target equals baseline": (edit(WEB, "target: 400", "target: 800"), f"{WEB}:10:17", ["target equals baseline (800)"]),
    "confidence outside 1-10": (
        edit(WEB, "confidence: 7", "confidence: 11"),
        f"{WEB}:13:",
        ["confidence: found 11", "from 1 to 10"],
    ),
    "check-in outside its cycle": (
        edit(WEB, "date: 2026-05-11", "date: 2026-07-01"),
        f"{WEB}:13:",
        ["checkin-outside-cycle", "2026-07-01", "2026-04-06 to 2026-06-26"],
    ),
    "half a metric pair": (edit(WEB, "        target: 400\n", ""), f"{WEB}:9:", ["baseline without target"]),
    "health and metric mixed": (
        edit(WEB, "        target: 400\n", "        target: 400\n        keep_below: 900\n"),
        f"{WEB}:11:",
        ["baseline and target and keep_below together"],
    ),
    "direction disagrees": (
        edit(WEB, "        target: 400\n", "        target: 400\n        direction: increase\n"),
        f"{WEB}:11:20",
        ["direction is increase", "800 -> 400"],
    ),
    "milestone check-in with a value": (
        edit(WEB, "        baseline: 800\n        target: 400\n", ""),
        f"{WEB}:11:",
        ["milestone KR's check-in carries done"],
    ),
    "score without note": (
        edit(WEB, "        target: 400\n", "        target: 400\n        score: 0.5\n"),
        f"{WEB}:11:16",
        ["score_note"],
    ),
    "unknown cycle file": (
        {"content/teams/web/2026-Q9.yml": "objectives: []\n"},
        "content/teams/web/2026-Q9.yml:1:1",
        ["'2026-Q9' is not a cycle of cycles.yml"],
    ),
    "bad enum": (
        edit(WEB, "type: committed", "type: commited"),
        f"{WEB}:4:11",
        ["found 'commited'", "one of aspirational or committed"],
    ),
    "bad date": (edit(WEB, "date: 2026-05-11", "date: 2026-02-30"), f"{WEB}:13:", ["2026-02-30"]),
    "unknown team in shared_with": (
        edit(WEB, "    type: committed\n", "    type: committed\n    shared_with: [mobile]\n"),
        f"{WEB}:5:19",
        ["shared_with: found 'mobile'"],
    ),
    "yaml tag": (edit(WEB, "title: Pages feel instant", "title: !!python/object:os.system x"), f"{WEB}:3:", ["yaml"]),
    "md without front matter": (
        {"content/teams/web/2026-Q1.md": "# Just a page\n"},
        "content/teams/web/2026-Q1.md:1:1",
        ["front matter"],
    ),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_broken_repository_fails_at_the_line(name, repo, okrsite):
    files, where, words = BROKEN[name]
    result = okrsite(repo(files), "check", "--as-of", "2026-05-18")
    assert result.exit_code == 1, result.output
    assert where in result.output, result.output
    for word in words:
        assert word in result.output, result.output


def test_valid_repository_passes(repo, okrsite):
    result = okrsite(repo(), "check", "--as-of", "2026-04-10")
    assert result.exit_code == 0, result.output
    assert "content/: 2 teams, 2 documents, no problems as of 2026-04-10" in result.output


def test_health_signals_are_warnings_and_strict_fails_on_them(repo, okrsite):
    result = okrsite(repo(), "check", "--as-of", "2026-05-18")
    assert result.exit_code == 0, result.output
    assert (
        "content/teams/web/2026-Q2.yml:7:9: warning[not-actionable]: no initiative targets key result p95, 42 days into 2026-Q2"
        in result.output
    )
    assert "0 errors, 2 warnings as of 2026-05-18" in result.output
    strict = okrsite(repo(), "check", "--as-of", "2026-05-18", "--strict")
    assert strict.exit_code == 1


def test_health_thresholds_and_switches_come_from_the_plugin_options(repo, okrsite):
    config = "site_name: x\nplugins:\n  - okrsite:\n      health:\n        actionable_after_days: 60\n"
    result = okrsite(repo({"mkdocs.yml": config}), "check", "--as-of", "2026-05-18", "--strict")
    assert result.exit_code == 0, result.output
    config = "site_name: x\nplugins:\n  - okrsite:\n      health:\n        disabled: [not-actionable]\n"
    assert okrsite(repo({"mkdocs.yml": config}), "check", "--as-of", "2026-05-18", "--strict").exit_code == 0
    config = "site_name: x\nplugins:\n  - okrsite:\n      health:\n        max_objectivs: 3\n"
    result = okrsite(repo({"mkdocs.yml": config}), "check")
    assert result.exit_code == 2
    assert "max_objectivs" in result.output


def test_every_error_of_a_run_is_reported(repo, okrsite):
    files = {
        **edit(WEB, "target: 400", "target: 800"),
        **edit(ACME_DOC, "confidence: 6", "confidence: 0"),
        "content/teams/acme/team.yml": "name: Acme\nleed: Road Runner\n",
    }
    result = okrsite(repo(files), "check")
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if ": error[" in line]
    assert [line.split(": error")[0] for line in lines] == [
        "content/teams/acme/2026-Q2.yml:11:56",
        "content/teams/acme/team.yml:2:1",
        "content/teams/web/2026-Q2.yml:10:17",
    ]
    assert "3 errors, 0 warnings" in result.output  # health is judged once the content is valid


def test_errors_in_one_file_do_not_hide_reference_errors_elsewhere(repo, okrsite):
    files = {**edit(ACME_DOC, "baseline: 100", "baseline: lots"), **edit(WEB, "[acme/growth/revenue]", "[nobody/x]")}
    result = okrsite(repo(files), "check")
    assert "acme/2026-Q2.yml:8:19: error[invalid-value]: baseline" in result.output
    assert "no team 'nobody'" in result.output


def test_references_into_an_unreadable_team_are_not_judged(repo, okrsite):
    result = okrsite(repo(edit(ACME_DOC, "baseline: 100", "baseline: lots")), "check")
    assert result.exit_code == 1
    assert "unresolved-reference" not in result.output


def test_reference_resolves_by_overlap_and_pin(repo, okrsite):
    mobile = """\
        objectives:
          - id: app
            title: The app is fast
            type: committed
            aligns_to: [acme/growth, acme/growth@2026-Q1]
            key_results:
              - {id: ship, title: Offline mode, checkins: [{date: 2026-05-20, done: true}]}
        """
    files = {"content/teams/mobile/team.yml": "name: Mobile\nparent: acme\n", "content/teams/mobile/2026-S3.yml": mobile}
    result = okrsite(repo(files), "check")
    lines = [line for line in result.output.splitlines() if "error[" in line]
    assert lines == [
        "content/teams/mobile/2026-S3.yml:5:30: error[unresolved-reference]: aligns_to: "
        "'acme/growth@2026-Q1' resolves to nothing: team acme has no document for cycle 2026-Q1"
    ]


def test_dependency_without_overlapping_document(repo, okrsite):
    root = repo({"content/teams/acme/2026-Q1.yml": "objectives: []\n"}, drop=(ACME_DOC,))
    result = okrsite(root, "check")
    assert "team acme has no document in a cycle that overlaps 2026-Q2; pin one with '@cycle'" in result.output


def test_alias_bomb_is_refused_at_the_alias_that_crosses_the_bound(repo, okrsite):
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        bomb += f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]\n"
    root = repo({WEB: bomb})
    result = okrsite(root, "check")  # 9^9 values if expanded: a bounded count refuses it before that
    assert result.exit_code == 1
    assert f"{WEB}:6:8: error[yaml-too-large]: this file expands to more than 100,000 values" in result.output


def test_file_over_5_mb_is_refused(repo, okrsite):
    big = "objectives: []\n" + "# padding\n" * 600_000
    root = repo({WEB: big})
    result = okrsite(root, "check")
    assert f"{WEB}:1:1: error[file-too-large]: the file is 5.7 MB; expected at most 5 MB" in result.output


def test_link_out_of_the_content_folder_is_refused(repo, okrsite, tmp_path):
    outside = tmp_path / "secret.yml"
    outside.write_text("objectives: []\n")
    root = repo()
    (root / "content/teams/web/2026-Q1.yml").symlink_to(outside)
    result = okrsite(root, "check")
    assert result.exit_code == 1
    assert "content/teams/web/2026-Q1.yml:1:1: error[outside-content]" in result.output


def test_team_folder_that_is_not_an_id(repo, okrsite):
    root = repo({"content/teams/Web Team/team.yml": "name: Web team\n"})
    result = okrsite(root, "check")
    assert "content/teams/Web Team:1:1: error[invalid-id]: team folder 'Web Team' is not a valid id" in result.output


def test_github_format_gives_annotations(repo, okrsite):
    result = okrsite(repo(edit(WEB, "target: 400", "target: 800")), "check", "--format", "github")
    assert result.exit_code == 1
    assert (
        f"::error file={WEB},line=10,col=17,title=target-equals-baseline::target equals baseline (800); expected a change" in result.stdout
    )


def test_json_format(repo, okrsite):
    result = okrsite(repo(edit(WEB, "target: 400", "target: 800")), "check", "--format", "json")
    rows = json.loads(result.stdout)
    assert rows == [
        {
            "file": WEB,
            "line": 10,
            "col": 17,
            "level": "error",
            "code": "target-equals-baseline",
            "message": "target equals baseline (800); expected a change",
        }
    ]


def test_bad_as_of_is_a_usage_error(repo, okrsite):
    result = okrsite(repo(), "check", "--as-of", "18/05/2026")
    assert result.exit_code == 2
    assert "expected a date written YYYY-MM-DD" in result.output


def test_content_folder_from_plugin_options(repo, okrsite, tmp_path):
    root = repo({"mkdocs.yml": "site_name: x\nplugins:\n  - search\n  - okrsite:\n      content: okrs\n"})
    (root / "content").rename(root / "okrs")
    result = okrsite(root, "check")
    assert result.exit_code == 0, result.output
    assert "okrs/: 2 teams" in result.output


def test_missing_content_folder(tmp_path, okrsite):
    result = okrsite(tmp_path, "check")
    assert result.exit_code == 1
    assert "content:1:1: error[no-content]: found no folder 'content'" in result.output


HOSTILE_TITLE = r'"Launch it\nREADME.md:1:1: error[fake]: all is fine\x1b]0;pwned\x07\r\u202e\u2028::error file=x::forged\tend"'


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_content_cannot_forge_or_split_a_line_of_check_output(repo, okrsite, fmt):
    """A title holding a newline, a fake error, terminal escape sequences and bidirectional marks stays inside its own line."""
    root = repo(edit(WEB, "title: P95 load time in ms", f"title: {HOSTILE_TITLE}"))
    result = okrsite(root, "check", "--as-of", "2026-05-18", "--format", fmt)
    lines = result.stdout.splitlines()
    assert lines and not any(ch in result.stdout for ch in "\x1b\x07\r\u202e\u2028\t")
    if fmt == "text":
        assert all(re.match(r"content/teams/\w+/2026-Q2\.yml:\d+:\d+: (error|warning)\[[a-z-]+\]: ", line) for line in lines), lines
        forged = next(line for line in lines if "output-not-outcome" in line)
        assert r"Launch it\nREADME.md:1:1: error[fake]: all is fine\x1b]0;pwned\x07\r\u202e\u2028::error file=x::forged\tend" in forged
    else:
        assert all(line.startswith(("::warning file=content/", "::error file=content/")) for line in lines), lines
        assert not any("::error file=x::" in line.split("::", 2)[1] for line in lines)


def test_the_plugin_log_and_a_failed_build_keep_one_problem_to_a_line(repo, okrsite):
    root = repo(edit(WEB, "title: P95 load time in ms", f"title: {HOSTILE_TITLE}"))
    result = okrsite(root, "build", "--as-of", "2026-05-18", "--strict")
    assert result.exit_code == 1
    assert "\x1b]0;" not in result.output and "\r" not in result.output
    assert r"all is fine\x1b]0;pwned\x07" in result.output


def test_a_content_folder_outside_the_site_is_shown_by_its_own_path(repo, okrsite, tmp_path):
    elsewhere = write_repo(tmp_path / "shared", {name: text for name, text in ACME.items() if name.startswith("content/")})
    root = repo({"mkdocs.yml": ACME["mkdocs.yml"].replace("  - okrsite\n", f"  - okrsite:\n      content: {elsewhere / 'content'}\n")})
    (elsewhere / "content/teams/web/2026-Q2.yml").write_text("objectives: [\n", encoding="utf-8")
    result = okrsite(root, "check", "--as-of", "2026-05-18")
    assert result.exit_code == 1
    assert f"\n{(elsewhere / 'content/teams/web/2026-Q2.yml').as_posix()}:2:1: error[yaml-syntax]" in "\n" + result.output
