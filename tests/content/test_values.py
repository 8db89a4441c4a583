"""What the user typed is what the site shows: text stays text, numbers and dates read as a reader reads them.

YAML 1.1 (PyYAML's reading) turns `1:30` into 90, `012` into 10, `0x1F` into 31,
`no` into false and `2026-01-01` into a date. okrsite keeps the text of every
scalar and reads numbers, whole numbers, yes/no and dates by its own rules.
"""

from __future__ import annotations

import json
import textwrap

import pytest

from okrsite.content.folder import load_organisation

from ..conftest import ACME, write_repo

WEB = "content/teams/web/2026-Q2.yml"
TRICKY = ["1:30", "012", "0x1F", "no", "Yes", "off", "2026-01-01", "1e3", "1.50", "+1", "1_000", ".5", "0o17", "12:30:00", ".inf"]
"""Unquoted values that YAML 1.1 reads as numbers, booleans or dates."""


def document(**fields: str) -> str:
    text = textwrap.dedent(ACME[WEB])
    for old, new in fields.items():
        text = text.replace(old, new, 1)
    return text


def load(tmp_path, text: str, name: str = WEB):
    return load_organisation(write_repo(tmp_path / "site", {**ACME, name: text}))


@pytest.mark.parametrize("typed", TRICKY)
def test_a_text_field_keeps_exactly_the_characters_typed(tmp_path, typed):
    text = document(**{"title: Pages feel instant": f"title: {typed}", "title: P95 load time in ms": f"title: {typed}"})
    text = text.replace("        checkins:", f"        unit: {typed}\n        owner: {typed}\n        checkins:")
    text = text.replace("confidence: 7}", f"confidence: 7, note: {typed}}}")
    org, problems = load(tmp_path, text)
    assert problems.errors == []
    objective = org.teams["web"].documents["2026-Q2"].objectives[0]
    kr = objective.key_results[0]
    assert (objective.title, kr.title, kr.unit, kr.owner, kr.checkins[0].note) == (typed, typed, typed, typed, typed)


@pytest.mark.parametrize("typed", ["012", "1e3", "0x1F", "2026-01-01", "no"])
def test_ids_and_team_fields_keep_their_text(tmp_path, typed):
    files = {
        **ACME,
        "content/teams/web/team.yml": f"name: {typed}\nparent: acme\nlead: {typed}\nmembers: [{typed}, Li Wei]\nmission: {typed}\n",
        WEB: document(**{"- id: speed": f"- id: {typed}", "- id: p95": f"- id: {typed}"}) if typed != "no" else document(),
    }
    org, problems = load_organisation(write_repo(tmp_path / "site", files))
    assert problems.errors == []
    web = org.teams["web"]
    assert (web.name, web.lead, web.members[0], web.mission) == (typed, typed, typed, typed)
    if typed != "no":
        objective = web.documents["2026-Q2"].objectives[0]
        assert (objective.id, objective.key_results[0].id) == (typed, typed)


def test_the_site_and_the_export_show_the_text_typed(tmp_path, okrsite):
    root = write_repo(tmp_path / "site", {**ACME, WEB: document(**{"title: Pages feel instant": "title: 1:30"})})
    result = okrsite(root, "build", "--as-of", "2026-05-18")
    assert result.exit_code == 0, result.output
    page = (root / "site/teams/web/2026-Q2/index.html").read_text(encoding="utf-8")
    assert "1:30" in page and ">90<" not in page
    exported = json.loads((root / "site/okrs.json").read_text(encoding="utf-8"))
    web = next(t for t in exported["teams"] if t["id"] == "web")
    assert web["documents"][0]["objectives"][0]["title"] == "1:30"


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("1:30", "YAML 1.1 reads a:b as a number in base 60"),
        ("012", "a number without leading zeros (12)"),
        ("-007.5", "a number without leading zeros (-7.5)"),
        ("0x1F", "a number written in decimals"),
        ("1_000", "a number without '_' (1000)"),
        ("1,500", "a number without ','"),
        (".inf", "a finite number"),
        ("1e400", "a number of at most about 1.8e308"),
        ("fast", "expected a number"),
        ("no", "expected a number"),
    ],
)
def test_a_number_field_takes_only_what_reads_as_the_number_typed(tmp_path, okrsite, typed, words):
    root = write_repo(tmp_path / "site", {**ACME, WEB: document(**{"baseline: 800": f"baseline: {typed}"})})
    result = okrsite(root, "check", "--as-of", "2026-05-18")
    assert result.exit_code == 1
    line = next(line for line in result.output.splitlines() if "error[" in line)
    assert line.startswith(f"{WEB}:9:19: error[invalid-value]: baseline: found '{typed}'; expected "), line
    assert words in line


@pytest.mark.parametrize(("typed", "value"), [("1e3", 1000.0), ("+900", 900.0), ("850.", 850.0), ("1.5E+3", 1500.0), ("-0.25", -0.25)])
def test_numbers_in_decimals_read_as_typed(tmp_path, typed, value):
    org, problems = load(tmp_path, document(**{"baseline: 800": f"baseline: {typed}"}))
    assert problems.errors == []
    assert org.teams["web"].documents["2026-Q2"].objectives[0].key_results[0].baseline == value


@pytest.mark.parametrize(
    ("typed", "words"),
    [("7.5", "expected a whole number"), ("07", "a whole number without leading zeros (7)"), ("seven", "expected a whole number")],
)
def test_a_whole_number_field(tmp_path, okrsite, typed, words):
    root = write_repo(tmp_path / "site", {**ACME, WEB: document(**{"confidence: 7}": f"confidence: {typed}}}"})})
    result = okrsite(root, "check", "--as-of", "2026-05-18")
    assert f"{WEB}:13:56: error[invalid-value]: confidence: found '{typed}'; expected" in result.output
    assert words in result.output


def test_a_milestone_takes_yes_and_no_as_done(tmp_path):
    text = document(**{"        baseline: 800\n        target: 400\n": ""}).replace("value: 700", "done: yes")
    org, problems = load(tmp_path, text)
    assert problems.errors == []
    assert org.teams["web"].documents["2026-Q2"].objectives[0].key_results[0].checkins[0].done is True


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("2026-02-30", "which is not a day of the calendar"),
        ("2026-05-11T10:00:00", "expected a date without a time"),
        ("11/05/2026", "expected a date written YYYY-MM-DD"),
    ],
)
def test_a_date_field(tmp_path, okrsite, typed, words):
    root = write_repo(tmp_path / "site", {**ACME, WEB: document(**{"date: 2026-05-11": f"date: {typed}"})})
    result = okrsite(root, "check", "--as-of", "2026-05-18")
    assert f"{WEB}:13:20: error[invalid-value]: date: found '{typed}'" in result.output
    assert words in result.output


def test_every_problem_of_a_check_in_and_of_its_file_comes_out_at_once(tmp_path, okrsite):
    bad = document(
        **{
            "{date: 2026-05-11, value: 700, confidence: 7}": "{date: 2026-02-30, value: 1:30, confidence: 11, mood: good}",
            "baseline: 800": "baseline: !!python/name:os.system 800",
            "title: Pages feel instant": "title: Pages feel instant\n    title: Twice",
        }
    )
    root = write_repo(tmp_path / "site", {**ACME, WEB: bad})
    result = okrsite(root, "check", "--as-of", "2026-05-18")
    lines = [line for line in result.output.splitlines() if "error[" in line]
    errors = [line.split(": error[")[0] + " " + line.split("]: ")[1].split(":")[0] for line in lines]
    assert errors == [
        f"{WEB}:4:5 'title' appears twice in this mapping (first at line 3); keep one",
        f"{WEB}:10:19 found the tag tag",  # the tag's value is reported once, and the KR's kind not judged without it
        f"{WEB}:14:20 date",
        f"{WEB}:14:39 value",
        f"{WEB}:14:57 confidence",
        f"{WEB}:14:61 unknown field 'mood'; expected one of",
    ]


def test_a_whole_number_of_thousands_of_digits_says_what_it_expects(tmp_path, okrsite):
    root = write_repo(tmp_path / "site", {**ACME, WEB: document(**{"confidence: 7}": f"confidence: {'9' * 5000}}}"})})
    result = okrsite(root, "check", "--as-of", "2026-05-18")
    assert "expected a whole number of at most 18 digits" in result.output and "sys.set_int_max_str_digits" not in result.output
