"""`okrsite checkin`: a check-in written into the team's own file, one from the command line or many from a file."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from ..conftest import ACME

GROWTH = "content/teams/acme/2026-Q2.yml"
WEB = "content/teams/web/2026-Q2.yml"
AS_OF = ("--as-of", "2026-05-20")

COMMENTED = """\
# Acme's quarter: the numbers come from the billing dashboard.
objectives:
  - id:   growth      # spaced as the team likes it
    title: 'Customers pick Acme first'
    type: aspirational
    key_results:
      - id: revenue
        title: "Monthly recurring revenue in k EUR"
        unit: k EUR
        baseline: 100
        target: 150
        checkins:
          - {date: 2026-05-11, value: 120, confidence: 6}   # after the spring promotion
        revisions: []
      - id: launch
        title: The EU shop is live
        score: ~
    # initiatives come once the team has met
"""


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "content").rglob("*")) if p.is_file()}


def added_lines(before: str, after: str) -> list[str]:
    """The lines `after` adds to `before`, asserting that every line of `before` is still there, in order and byte for byte."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    added, i = [], 0
    for line in new:
        if i < len(old) and line == old[i]:
            i += 1
        else:
            added.append(line)
    assert i == len(old), f"line {i + 1} changed: {old[i]!r}"
    return added


def test_a_checkin_changes_nothing_but_its_own_line(repo, okrsite) -> None:
    root = repo({GROWTH: COMMENTED})
    path = root / GROWTH
    path.chmod(0o640)
    result = okrsite(root, "checkin", *AS_OF, "acme", "revenue", "125", "--confidence", "7")
    assert result.exit_code == 0, result.output
    assert (
        result.stdout == f"{GROWTH}: growth/revenue on 2026-05-20: added the check-in; as of 2026-05-20: 125 k EUR, score 0.50, on track\n"
    )
    assert added_lines(COMMENTED, path.read_text()) == ["          - {date: 2026-05-20, value: 125, confidence: 7}\n"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in path.parent.iterdir()) == ["2026-Q2.yml", "team.yml"]  # no temporary file left


def test_a_checkin_goes_in_date_order_and_a_first_one_makes_the_list(repo, okrsite) -> None:
    root = repo({GROWTH: COMMENTED})
    earlier = okrsite(root, "checkin", *AS_OF, "acme", "growth/revenue", "110", "--date", "2026-05-04")
    first = okrsite(root, "checkin", *AS_OF, "acme", "launch", "--not-done", "--note", "Payments: waiting for the bank")
    assert earlier.exit_code == 0 and first.exit_code == 0, earlier.output + first.output
    assert added_lines(COMMENTED, (root / GROWTH).read_text()) == [
        "          - {date: 2026-05-04, value: 110}\n",
        "        checkins:\n",
        "          - date: 2026-05-20\n",
        "            done: false\n",
        "            note: 'Payments: waiting for the bank'\n",
    ]
    text = (root / GROWTH).read_text()
    assert text.index("value: 110") < text.index("value: 120") and text.index("done: false") < text.index("score: ~")


def test_crlf_line_ends_and_a_last_line_without_one_stay_a_file_of_lines(repo, okrsite) -> None:
    root = repo()
    original = (root / WEB).read_bytes().rstrip(b"\n")
    (root / WEB).write_bytes(original.replace(b"\n", b"\r\n"))
    assert okrsite(root, "checkin", *AS_OF, "web", "p95", "650").exit_code == 0
    added = b"\r\n          - {date: 2026-05-20, value: 650}\r\n"
    assert (root / WEB).read_bytes() == original.replace(b"\n", b"\r\n") + added


def test_a_document_that_is_a_link_stays_a_link(repo, okrsite) -> None:
    root = repo()
    target = root / "content/kept/web-2026-Q2.yml"
    target.parent.mkdir()
    (root / WEB).rename(target)
    (root / WEB).symlink_to("../../kept/web-2026-Q2.yml")
    assert okrsite(root, "checkin", *AS_OF, "web", "p95", "650").exit_code == 0
    assert (root / WEB).is_symlink() and "- {date: 2026-05-20, value: 650}" in target.read_text()


def test_a_day_in_two_of_the_team_s_cycles_is_pinned_with_the_cycle(repo, okrsite) -> None:
    six_weeks = ACME[WEB].replace("checkins:\n                  - {date: 2026-05-11, value: 700, confidence: 7}\n", "")
    root = repo({"content/teams/web/2026-S3.yml": six_weeks})
    both = okrsite(root, "checkin", *AS_OF, "web", "p95", "650")
    assert both.exit_code == 1
    assert both.stderr.splitlines()[0] == (
        f"okrsite checkin: 'p95' is a key result of several objectives in {WEB} and content/teams/web/2026-S3.yml: "
        "'speed/p95@2026-Q2', 'speed/p95@2026-S3'; name one"
    )
    pinned = okrsite(root, "checkin", *AS_OF, "web", "speed/p95@2026-S3", "650")
    assert pinned.exit_code == 0 and pinned.stdout.startswith("content/teams/web/2026-S3.yml: speed/p95 on 2026-05-20: added the check-in")
    written = (root / "content/teams/web/2026-S3.yml").read_text()
    assert written.endswith("        checkins:\n          - date: 2026-05-20\n            value: 650\n")


def test_a_markdown_document_keeps_its_body_byte_for_byte(repo, okrsite) -> None:
    body = "The quarter in our words.\n\n---\n\nA rule above, *Markdown* below, no newline at the end:  \n  indented"
    front = "---\n" + COMMENTED + "---\n"
    root = repo(drop=(GROWTH,))
    (root / "content/teams/acme/2026-Q2.md").write_bytes((front + body).encode())
    result = okrsite(root, "checkin", *AS_OF, "acme", "revenue", "131.5")
    assert result.exit_code == 0, result.output
    after = (root / "content/teams/acme/2026-Q2.md").read_bytes().decode()
    assert after.endswith("\n---\n" + body)
    assert added_lines(front, after.removesuffix(body)) == ["          - {date: 2026-05-20, value: 131.5}\n"]
    assert "131.5 k EUR, score 0.63" in result.stdout


def test_a_milestone_is_checked_in_as_done(repo, okrsite) -> None:
    root = repo({GROWTH: COMMENTED})
    done = okrsite(root, "checkin", *AS_OF, "acme", "launch", "--done", "--confidence", "9")
    assert done.exit_code == 0, done.output
    assert done.stdout.endswith("growth/launch on 2026-05-20: added the check-in; as of 2026-05-20: done, score 1.00, on track\n")
    before = snapshot(root)
    number = okrsite(root, "checkin", *AS_OF, "acme", "launch", "1", "--date", "2026-05-21")
    assert number.exit_code == 1
    assert "okrsite checkin: growth/launch is a milestone key result: its check-in says done or not done, not a number (found 1)" in (
        number.stderr
    )
    metric = okrsite(root, "checkin", *AS_OF, "acme", "revenue", "--done")
    assert metric.exit_code == 1 and "growth/revenue is a metric key result: its check-in is a number, not 'done'" in metric.stderr
    both = okrsite(root, "checkin", *AS_OF, "acme", "launch", "1", "--done")
    assert both.exit_code == 2 and "give one of the two" in both.stderr
    assert snapshot(root) == before


TWO_NPS = """\
objectives:
  - id: onboarding
    title: New customers settle in
    type: committed
    key_results:
      - {id: nps, title: Onboarding NPS, baseline: 20, target: 40}
  - id: support
    title: Support that helps
    type: committed
    key_results:
      - {id: nps, title: Support NPS, baseline: 30, target: 50}
      - {id: first-reply, title: Hours to a first reply, baseline: 12, target: 2}
"""


def test_a_kr_id_in_two_objectives_asks_which(repo, okrsite) -> None:
    root = repo({WEB: TWO_NPS})
    before = snapshot(root)
    ambiguous = okrsite(root, "checkin", *AS_OF, "web", "nps", "25")
    assert ambiguous.exit_code == 1
    assert ambiguous.stderr.splitlines()[0] == (
        f"okrsite checkin: 'nps' is a key result of several objectives in {WEB}: 'onboarding/nps', 'support/nps'; name one"
    )
    unknown = okrsite(root, "checkin", *AS_OF, "web", "first-replies", "8")
    assert f"'first-replies' is not a key result of {WEB}; did you mean 'support/first-reply'?" in unknown.stderr
    team = okrsite(root, "checkin", *AS_OF, "wbe", "nps", "25")
    assert "'wbe' is not a team of the content; did you mean 'web'?" in team.stderr
    assert snapshot(root) == before
    named = okrsite(root, "checkin", *AS_OF, "web", "support/nps", "33")
    assert named.exit_code == 0 and "support/nps on 2026-05-20: added" in named.stdout


def test_a_day_with_a_checkin_is_replaced_only_when_asked(repo, okrsite) -> None:
    root = repo()
    before = snapshot(root)
    refused = okrsite(root, "checkin", *AS_OF, "web", "p95", "650", "--date", "2026-05-11")
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[0] == (
        f"okrsite checkin: speed/p95 has a check-in on 2026-05-11 already ({WEB}:13:13: value 700, confidence 7); "
        "pass --replace to replace it"
    )
    assert snapshot(root) == before
    same = okrsite(root, "checkin", *AS_OF, "web", "p95", "700", "--date", "2026-05-11", "--confidence", "7")
    assert same.exit_code == 0 and "nothing to change, it has this check-in already" in same.stdout and snapshot(root) == before
    replaced = okrsite(root, "checkin", *AS_OF, "web", "p95", "650", "--date", "2026-05-11", "--confidence", "8", "--replace")
    assert replaced.exit_code == 0 and "replaced the check-in; as of 2026-05-20: 650, score 0.38" in replaced.stdout
    old, new = before[WEB].decode().splitlines(), (root / WEB).read_text().splitlines()
    assert [(a, b) for a, b in zip(old, new, strict=True) if a != b] == [
        ("          - {date: 2026-05-11, value: 700, confidence: 7}", "          - {date: 2026-05-11, value: 650, confidence: 8}")
    ]


def test_a_date_outside_the_cycle_or_a_bad_confidence_writes_nothing(repo, okrsite) -> None:
    root = repo()
    before = snapshot(root)
    outside = okrsite(root, "checkin", *AS_OF, "web", "p95", "650", "--date", "2026-07-01")
    assert outside.exit_code == 1
    assert outside.stderr.splitlines()[0] == (
        "okrsite checkin: team web has no document for a cycle containing 2026-07-01; "
        "expected a date within one of its documents: 2026-Q2 (2026-04-06 to 2026-06-26)"
    )
    pinned = okrsite(root, "checkin", *AS_OF, "web", "p95@2026-Q2", "650", "--date", "2026-04-01")
    assert "the check-in is dated 2026-04-01, outside 2026-Q2 (2026-04-06 to 2026-06-26); give a date within it" in pinned.stderr
    confidence = okrsite(root, "checkin", *AS_OF, "web", "p95", "650", "--confidence", "11")
    assert confidence.exit_code == 2 and "Invalid value for '--confidence': 11 is not in the range 1<=x<=10" in confidence.stderr
    day = okrsite(root, "checkin", *AS_OF, "web", "p95", "650", "--date", "2026-02-30")
    assert day.exit_code == 2 and "found '2026-02-30'; expected a date written YYYY-MM-DD" in day.stderr
    value = okrsite(root, "checkin", *AS_OF, "web", "p95", "6,50")
    assert value.exit_code == 2 and "found '6,50'; expected a number" in value.stderr
    assert snapshot(root) == before
    assert "Traceback" not in outside.output + pinned.output + confidence.output + day.output + value.output


def test_content_with_errors_is_fixed_first(repo, okrsite) -> None:
    root = repo({"content/teams/acme/team.yml": "name: Acme\nleed: Road Runner\n"})
    before = snapshot(root)
    result = okrsite(root, "checkin", *AS_OF, "web", "p95", "650")
    assert result.exit_code == 1 and snapshot(root) == before
    assert result.stderr.startswith("content/teams/acme/team.yml:2:1: error[unknown-field]")
    assert result.stderr.splitlines()[-1] == "okrsite checkin: content/ has 1 error(s): fix them first (okrsite check); nothing written"


ROWS = """\
team,objective,key_result,date,value,confidence,note
acme,,revenue,2026-05-18,125,6,
web,speed,p95,2026-05-18,650,7,"CDN in front of images, at last"
acme,growth,launch,2026-05-18,done,8,
"""


def test_a_bulk_file_with_bad_rows_writes_nothing_and_names_each(repo, okrsite) -> None:
    root = repo({GROWTH: COMMENTED})
    bad = ROWS.replace("acme,,revenue,2026-05-18,125,6,", "acme,,revenue,2026-05-18,12 5,6,").replace("p95,", "p96,")
    (root / "checkins.csv").write_text(bad + "web,speed,p95,2026-05-18,600,11,\n")
    before = snapshot(root)
    result = okrsite(root, "checkin", *AS_OF, "--from", "checkins.csv")
    assert result.exit_code == 1 and snapshot(root) == before
    assert result.stderr.splitlines() == [
        "checkins.csv:2: value: found '12 5'; expected a number, or done / not done for a milestone",
        f"checkins.csv:3: 'speed/p96' is not a key result of {WEB}; did you mean 'speed/p95'?",
        "checkins.csv:5: confidence: found '11'; expected a whole number from 1 to 10",
        "okrsite checkin: 3 check-in(s) cannot be made; nothing written",
    ]
    (root / "checkins.csv").write_text("team,key_result,vaule\n")
    header = okrsite(root, "checkin", *AS_OF, "--from", "checkins.csv")
    assert header.stderr.splitlines()[:2] == [
        "checkins.csv:1: unknown column 'vaule'; did you mean 'value'?",
        "checkins.csv:1: found no column 'value'; expected team, objective, key_result, date, value, confidence, note",
    ]


def test_running_a_bulk_file_again_changes_nothing(repo, okrsite) -> None:
    root = repo({GROWTH: COMMENTED})
    (root / "checkins.csv").write_text(ROWS)
    first = okrsite(root, "checkin", *AS_OF, "--from", "checkins.csv")
    assert first.exit_code == 0, first.output
    assert first.stdout == f"{GROWTH}: 2 added\n{WEB}: 1 added\n"
    assert first.stderr == "3 added, 0 replaced, 0 unchanged in 2 files\n"
    assert added_lines(COMMENTED, (root / GROWTH).read_text()) == [
        "          - {date: 2026-05-18, value: 125, confidence: 6}\n",
        "        checkins:\n",
        "          - {date: 2026-05-18, done: true, confidence: 8}\n",  # in the style of the document's other check-ins
    ]
    after = snapshot(root)
    again = okrsite(root, "checkin", *AS_OF, "--from", "checkins.csv")
    assert again.exit_code == 0 and snapshot(root) == after
    assert again.stdout == f"{GROWTH}: 2 unchanged\n{WEB}: 1 unchanged\n"
    (root / "checkins.csv").write_text(ROWS.replace("650,7", "640,7"))
    changed = okrsite(root, "checkin", *AS_OF, "--from", "checkins.csv")
    assert changed.exit_code == 1 and snapshot(root) == after
    assert f"checkins.csv:3: speed/p95 has a check-in on 2026-05-18 already ({WEB}:14:13: value 650, confidence 7)" in changed.stderr
    replaced = okrsite(root, "checkin", *AS_OF, "--from", "checkins.csv", "--replace")
    assert replaced.exit_code == 0 and replaced.stdout == f"{GROWTH}: 2 unchanged\n{WEB}: 1 replaced\n"


def test_json_lines_read_as_csv_rows_do(repo, okrsite) -> None:
    root = repo({GROWTH: COMMENTED})
    rows = [
        {"team": "acme", "key_result": "revenue", "date": "2026-05-18", "value": 125, "confidence": 6},
        {"team": "acme", "objective": "growth", "key_result": "launch", "date": "2026-05-18", "value": True},
    ]
    (root / "checkins.jsonl").write_text("\n".join(json.dumps(row) for row in rows) + "\n\n")
    result = okrsite(root, "checkin", *AS_OF, "--from", "checkins.jsonl")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{GROWTH}: 2 added\n"
    assert "- {date: 2026-05-18, value: 125, confidence: 6}" in (root / GROWTH).read_text()
    after = snapshot(root)
    (root / "more.txt").write_text('{"team": "web", "key_result": "p95", "value": "fast"}\n["web"]\n{"team": "web", "kr": "p95"}\n')
    unknown = okrsite(root, "checkin", *AS_OF, "--from", "more.txt")
    assert unknown.exit_code == 2 and "cannot tell the format of more.txt" in unknown.stderr
    bad = okrsite(root, "checkin", *AS_OF, "--from", "more.txt", "--format", "jsonl")
    assert bad.exit_code == 1 and snapshot(root) == after
    assert bad.stderr.splitlines()[:4] == [
        "more.txt:1: value: found 'fast'; expected a number, or done / not done for a milestone",
        "more.txt:2: found list; expected a JSON object per line",
        "more.txt:3: unknown column 'kr'; expected team, objective, key_result, date, value, confidence, note",
        "more.txt:3: found no column 'key_result', 'value'; expected team, objective, key_result, date, value, confidence, note",
    ]
