"""Reading YAML and Markdown content files with the place of every value."""

from __future__ import annotations

from pathlib import Path

from okrsite.content import validate
from okrsite.content.errors import Loc, Problems
from okrsite.content.files import read_source
from okrsite.content.folder import ParsedFiles, load_organisation
from okrsite.content.source import parse_yaml

from ..conftest import ACME, write_repo


def parse(text: str) -> tuple[object, list[str]]:
    problems = Problems()
    source = parse_yaml(text, "f.yml", problems)
    return source, [str(p) for p in problems.items]


def test_every_key_and_value_keeps_its_line_and_column():
    source, errors = parse("a: 1\nlist:\n  - {x: 2026-01-05, y: two}\n  - z: [1, 2]\n")
    assert errors == []
    assert source.data == {"a": "1", "list": [{"x": "2026-01-05", "y": "two"}, {"z": ["1", "2"]}]}  # text as typed: the model reads it
    assert source.loc(("list", 0, "y")) == Loc("f.yml", 3, 24)
    assert source.key_loc(("list", 1, "z")) == Loc("f.yml", 4, 5)
    assert source.loc(("list", 1, "z", 1)) == Loc("f.yml", 4, 12)
    assert source.loc(("list", 5, "missing")) == Loc("f.yml", 3, 3)  # the nearest value that exists


def test_duplicated_key_is_an_error_not_a_silent_overwrite():
    source, errors = parse("a:\n  b: 1\n  c: 2\n  b: 3\n")
    assert source.data == {"a": {"b": "1", "c": "2"}}  # the rest of the file is kept, for the model to check
    assert errors == ["f.yml:4:3: error[duplicate-key]: 'b' appears twice in this mapping (first at line 2); keep one"]


def test_every_duplicate_of_a_file_is_reported():
    _, errors = parse("a: 1\na: 2\nb: {c: 1, c: 2}\n")
    assert len(errors) == 2


def test_tab_indentation_gets_a_plain_explanation():
    _, errors = parse("a:\n  b: 1\n\tc: 2\n")
    assert errors == ["f.yml:3:1: error[yaml-syntax]: found a tab character; YAML is indented with spaces only"]


def test_python_tags_are_refused():
    _, errors = parse("a: !!python/object/apply:os.system [echo hi]\n")
    assert len(errors) == 1 and "error[yaml-" in errors[0] and "f.yml:1:4" in errors[0]


def test_merge_keys_are_refused_with_advice():
    _, errors = parse("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n")
    assert errors == ["f.yml:3:3: error[yaml-merge-key]: found a merge key '<<'; write the fields out instead"]


def test_small_aliases_still_work():
    source, errors = parse("owner: &lead Ana\nsecond: *lead\n")
    assert errors == [] and source.data == {"owner": "Ana", "second": "Ana"}


def test_recursive_alias_is_refused():
    _, errors = parse("a: &x [*x]\n")
    assert errors == ["f.yml:1:8: error[yaml-alias]: found the alias *x, inside the value it names: a loop"]


def test_markdown_front_matter_lines_count_from_the_top_of_the_file(tmp_path: Path):
    path = tmp_path / "2026-Q1.md"
    path.write_text("---\nobjectives:\n  - id: a\n    title: x\n---\n# Narrative\n\nWe *learned*.\n")
    problems = Problems()
    source = read_source(path, "teams/t/2026-Q1.md", problems)
    assert problems.items == []
    assert source.loc(("objectives", 0, "title")) == Loc("teams/t/2026-Q1.md", 4, 12)
    assert source.body == "# Narrative\n\nWe *learned*.\n"


def test_markdown_front_matter_error_points_into_the_file(tmp_path: Path):
    path = tmp_path / "2026-Q1.md"
    path.write_text("---\nobjectives:\n  - id: a\n   title: x\n---\nbody\n")
    problems = Problems()
    read_source(path, "2026-Q1.md", problems)
    assert [p.loc.line for p in problems.items] == [4]


def test_file_that_is_not_utf8(tmp_path: Path):
    path = tmp_path / "x.yml"
    path.write_bytes(b"title: caf\xe9\n")
    problems = Problems()
    assert read_source(path, "x.yml", problems) is None
    expected = "x.yml:1:1: error[encoding]: found a byte that is not UTF-8 at offset 10; save the file as UTF-8"
    assert str(problems.items[0]) == expected


def test_a_second_load_parses_again_only_the_files_that_changed(tmp_path):
    root = write_repo(tmp_path, ACME)
    parsed = ParsedFiles()
    first, problems = load_organisation(root, parsed=parsed)
    assert not problems.items
    web = root / "content/teams/web/2026-Q2.yml"
    web.write_text(web.read_text(encoding="utf-8").replace("value: 700", "value: 650"), encoding="utf-8")
    second, problems = load_organisation(root, parsed=parsed)
    assert not problems.items
    assert second.teams["acme"].documents["2026-Q2"] is first.teams["acme"].documents["2026-Q2"]  # unchanged: not parsed again
    changed = second.teams["web"].documents["2026-Q2"]
    assert changed.objectives[0].key_results[0].checkins[0].value == 650
    assert changed.team is second.teams["web"] and changed.objectives[0].aligns[0].document.team is second.teams["acme"]


def test_a_file_parsed_before_reports_its_errors_on_every_load(tmp_path):
    root = write_repo(tmp_path, {**ACME, "content/teams/acme/team.yml": "name: Acme\nlead: [Road, Runner]\n"})
    parsed = ParsedFiles()
    reports = [[str(p) for p in load_organisation(root, parsed=parsed)[1].errors] for _ in range(2)]
    assert reports[0] == reports[1] and any("content/teams/acme/team.yml:2:7" in line for line in reports[0])


def test_a_deleted_file_is_forgotten(tmp_path):
    root = write_repo(tmp_path, ACME)
    parsed = ParsedFiles()
    load_organisation(root, parsed=parsed)
    (root / "content/teams/acme/2026-Q2.yml").unlink()
    org, problems = load_organisation(root, parsed=parsed)
    assert "2026-Q2" not in org.teams["acme"].documents
    assert [p.code for p in problems.errors] == ["unresolved-reference", "unresolved-reference"]
    assert parsed.get(root / "content/teams/acme/2026-Q2.yml", b"") is None


def test_an_edit_not_yet_written_is_judged_with_the_whole_organisation(tmp_path):
    root = write_repo(tmp_path, ACME)
    web = root / "content/teams/web/2026-Q2.yml"
    on_disk = web.read_bytes()
    edited = on_disk.replace(b"confidence: 7}", b"confidence: 7}\n          - {date: 2026-07-01, value: 650}")
    org, problems = load_organisation(root, replaced={web: edited})
    assert [str(p) for p in problems.errors] == [
        "content/teams/web/2026-Q2.yml:14:20: error[checkin-outside-cycle]: check-in dated 2026-07-01; "
        "expected a date within 2026-Q2 (2026-04-06 to 2026-06-26)"
    ]
    assert len(org.teams["web"].documents["2026-Q2"].objectives[0].key_results[0].checkins) == 2
    assert web.read_bytes() == on_disk


def test_objects_places_are_kept_and_other_places_found_again_when_a_message_needs_them():
    source, _ = parse("objectives:\n  - id: a\n    key_results:\n      - {id: k, target: 5}\n")
    assert source.loc(("objectives", 0, "key_results", 0)) == Loc("f.yml", 4, 9)  # an object: kept from the first parse
    assert not source.complete
    assert source.loc(("objectives", 0, "key_results", 0, "target")) == Loc("f.yml", 4, 25)  # a field: the text is parsed again
    assert source.key_loc(("objectives", 0, "id")) == Loc("f.yml", 2, 5)
    assert source.complete


def test_an_alias_of_a_refused_value_is_reported_once():
    source, errors = parse("a: &t !!binary aGk=\nb: *t\n")
    assert errors == ["f.yml:1:4: error[yaml-tag]: found the tag tag:yaml.org,2002:binary; expected plain YAML values"]
    assert source is not None and ("b",) in source.reported


WEB_Q1 = """\
objectives:
  - id: speed
    title: Pages load fast
    type: committed
    key_results:
      - id: p95
        title: P95 load time in ms
        baseline: 900
        target: 800
        checkins:
          - {date: 2026-02-02, value: 850}
"""


def _continued(tmp_path: Path) -> Path:
    """Acme, with web's Q2 objective continuing its Q1 one and shared with a team `ops` not there yet."""
    root = write_repo(tmp_path, {**ACME, "content/teams/web/2026-Q1.yml": WEB_Q1})
    q2 = root / "content/teams/web/2026-Q2.yml"
    q2.write_text(
        q2.read_text(encoding="utf-8").replace("type: committed\n", "type: committed\n    continues: speed\n    shared_with: [ops]\n")
    )
    return root


def test_a_second_load_judges_an_unchanged_document_again_when_what_its_rules_read_changed(tmp_path):
    """A document's own rules read its cycle, its team's previous document and the teams it shares with: an edit
    to any of these changes what the document is found to have, though its own file is the same."""
    root = _continued(tmp_path)
    parsed = ParsedFiles()

    def both() -> list[str]:
        found = [str(p) for p in load_organisation(root, parsed=parsed)[1].sorted()]
        assert found == [str(p) for p in load_organisation(root)[1].sorted()], "a load reusing earlier ones differs from a fresh one"
        return found

    assert [line.split(": ", 1)[1] for line in both()] == [
        "error[unknown-team]: shared_with: found 'ops'; expected another team's folder name"
    ]
    write_repo(root, {"content/teams/ops/team.yml": "name: Ops\nparent: acme\n"})
    assert both() == []
    q1 = root / "content/teams/web/2026-Q1.yml"
    q1.write_text(WEB_Q1.replace("id: speed", "id: quick"), encoding="utf-8")
    assert both() == [
        "content/teams/web/2026-Q2.yml:5:16: error[unknown-objective]: continues: found 'speed', "
        "which is not an objective of content/teams/web/2026-Q1.yml"
    ]
    cycles = root / "content/cycles.yml"
    cycles.write_text(cycles.read_text(encoding="utf-8").replace("end: 2026-06-26", "end: 2026-05-08"), encoding="utf-8")
    assert [line for line in both() if "checkin-outside-cycle" in line] == [
        "content/teams/acme/2026-Q2.yml:11:20: error[checkin-outside-cycle]: check-in dated 2026-05-11; "
        "expected a date within 2026-Q2 (2026-04-06 to 2026-05-08)",
        "content/teams/web/2026-Q2.yml:15:20: error[checkin-outside-cycle]: check-in dated 2026-05-11; "
        "expected a date within 2026-Q2 (2026-04-06 to 2026-05-08)",
    ]


def test_a_second_load_does_not_judge_again_a_document_whose_file_and_basis_are_the_same(tmp_path, monkeypatch):
    root = _continued(tmp_path)
    write_repo(root, {"content/teams/ops/team.yml": "name: Ops\nparent: acme\n"})
    parsed = ParsedFiles()
    load_organisation(root, parsed=parsed)
    judged: list[str] = []
    real = validate._check_document
    monkeypatch.setattr(validate, "_check_document", lambda org, doc, problems: (judged.append(doc.file), real(org, doc, problems)))
    load_organisation(root, parsed=parsed)
    assert judged == []
    q1 = root / "content/teams/web/2026-Q1.yml"
    q1.write_text(WEB_Q1.replace("value: 850", "value: 840"), encoding="utf-8")
    load_organisation(root, parsed=parsed)
    assert sorted(judged) == ["content/teams/web/2026-Q1.yml", "content/teams/web/2026-Q2.yml"]  # and Q2, whose previous it is
