"""`okrsite import FILE`: documents from a spreadsheet export (okrsite/commands/importer.py and the modules it reads with)."""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import Result

from okrsite.commands.import_table import FIELDS

from ..conftest import CYCLES, ROOT, build_example, write_repo

Run = Callable[..., Result]


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def empty_site(root: Path, cycles: str = CYCLES) -> Path:
    """A site whose content folder holds nothing but its calendar."""
    return write_repo(
        root, {"mkdocs.yml": "site_name: Imported\ntheme: {name: material}\nplugins:\n  - okrsite\n", "content/cycles.yml": cycles}
    )


def figures(okrs_json: Path) -> dict[tuple[str, ...], Any]:
    """Every document's, objective's and key result's figures in an okrs.json, by team, cycle, objective and key result."""
    data = json.loads(okrs_json.read_text(encoding="utf-8"))
    found: dict[tuple[str, ...], Any] = {}
    for team in data["teams"]:
        for doc in team["documents"]:
            found[(team["id"], doc["cycle"])] = (team["name"], doc["score"], doc["status"], doc["outdated"], doc["summary"])
            for objective in doc["objectives"]:
                where = (team["id"], doc["cycle"], objective["id"])
                found[where] = (objective["title"], objective["type"], objective["score"], objective["status"], objective["outdated"])
                for kr in objective["key_results"]:
                    found[(*where, kr["id"])] = (kr["kind"], kr["score"], kr["status"], kr["outdated"], kr["current"], kr["weight"])
    return found


def test_okrs_csv_imports_to_the_same_figures(tmp_path: Path, okrsite: Run) -> None:
    """The example's export, imported into a content folder with only its cycles.yml, builds to the same scores, statuses and values."""
    before = build_example(tmp_path / "example")
    site = empty_site(tmp_path / "imported", (ROOT / "content/cycles.yml").read_text(encoding="utf-8"))
    result = okrsite(site, "import", "--as-of", "2026-11-25", str(before / "okrs.csv"))
    assert result.exit_code == 0, result.output
    written = result.stdout.splitlines()
    assert written[:2] == ["content/teams/customer-success/team.yml", "content/teams/customer-success/2026-Q2.yml"]
    assert sorted(written) == sorted(f"content/{name}" for name in tree(site / "content") if name != "cycles.yml")
    assert len(written) == 8 + 26  # every team's team.yml, every document
    assert "okrs.csv: okrsite's own export" in result.stderr
    assert okrsite(site, "build", "--as-of", "2026-11-25").exit_code == 0
    old, new = figures(before / "okrs.json"), figures(site / "site/okrs.json")
    assert len([where for where in old if len(where) == 4]) == 145  # key results
    assert {k: v for k, v in old.items() if new.get(k) != v} == {}
    assert new.keys() == old.keys()
    # a health key result keeps the share of its check-ins that held the line as a grade that says so
    onboarding = (site / "content/teams/customer-success/2026-Q2.yml").read_text(encoding="utf-8")
    assert "score: 0.8181818181818182\n        score_note: 9 of 11 check-ins held the line before the import from okrs.csv" in onboarding


def test_a_document_reads_as_a_person_writes_it(repo: Callable[..., Path], okrsite: Run, tmp_path: Path) -> None:
    """Block style, keys in the order of SPEC's format, the check-in on one line, the team named as the export names it."""
    acme = repo()
    assert okrsite(acme, "build", "--as-of", "2026-05-20").exit_code == 0
    site = empty_site(tmp_path / "imported")
    result = okrsite(site, "import", "--as-of", "2026-05-20", str(acme / "site/okrs.csv"))
    assert result.exit_code == 0, result.output
    assert (site / "content/teams/web/team.yml").read_text() == "name: Web\n"
    assert (site / "content/teams/web/2026-Q2.yml").read_text() == textwrap.dedent("""\
        objectives:
          - id: speed
            title: Pages feel instant
            type: committed
            key_results:
              - id: p95
                title: P95 load time in ms
                baseline: 800
                target: 400
                checkins:
                  - {date: 2026-05-11, value: 700, confidence: 7}
        """)
    assert okrsite(site, "check", "--as-of", "2026-05-20").exit_code == 0


FOREIGN = (
    "\ufeffTeam;Period;Objective Name;Objective Kind;Key Result;Start value;Target value;Now;Checked;Confidence;Owner;Notes\r\n"
    "Data Science;Six weeks 3;Models people trust;Aspirational;Forecast error in %;12,5;8;10,25;2026-05-18;6;Li Wei;ignored\r\n"
    "Data Science;Six weeks 3;Models people trust;Aspirational;Weekly model reviews held;;;;;;Li Wei;\r\n"
    "Zoë's Team;2026-Q2;Ship with confidence;committed;Escaped defects per release;;;;;;;\r\n"
)
FOREIGN_MAP = (
    *("Period=cycle", "Objective Name=objective_title", "Objective Kind=objective_type", "Key Result=title"),
    *("Start value=baseline", "Target value=target", "Now=current", "Checked=current_date"),
)


def test_a_foreign_csv_by_its_map_with_semicolons(repo: Callable[..., Path], okrsite: Run) -> None:
    site = repo()
    export = site / "viva.csv"
    export.write_bytes(FOREIGN.encode("utf-8"))
    args = [a for m in FOREIGN_MAP for a in ("--map", m)]
    result = okrsite(site, "import", "--as-of", "2026-05-20", *args, export.name)
    assert result.exit_code == 0, result.output
    assert "'Period' -> cycle" in result.stderr and "left out the columns 'Notes'" in result.stderr
    assert (site / "content/teams/data-science/team.yml").read_text() == "name: Data Science\n"
    assert (site / "content/teams/data-science/2026-S3.yml").read_text() == textwrap.dedent("""\
        objectives:
          - id: models-people-trust
            title: Models people trust
            type: aspirational
            key_results:
              - id: forecast-error-in
                title: Forecast error in %
                baseline: 12.5
                target: 8
                owner: Li Wei
                checkins:
                  - {date: 2026-05-18, value: 10.25, confidence: 6}
              - id: weekly-model-reviews-held
                title: Weekly model reviews held
                owner: Li Wei
        """)
    # a team's id made from its name, a check-in without a day dated as of the import
    zoe = (site / "content/teams/zoe-s-team/2026-Q2.yml").read_text()
    assert "type: committed" in zoe and "title: Escaped defects per release" in zoe and "checkins" not in zoe
    assert okrsite(site, "check", "--as-of", "2026-05-20").exit_code == 0


def test_bad_rows_name_their_row_and_nothing_is_written(repo: Callable[..., Path], okrsite: Run) -> None:
    site = repo()
    export = site / "bad.csv"
    export.write_text(
        "team,cycle,objective_title,title,baseline,target,current,current_date,confidence\n"
        "shop,2026-Q2,Faster,Load time,800,fast,700,,7\n"
        "shop,2027-Q9,Faster,Paint time,900,500,,,\n"
        "shop,2026-Q2,Faster,Time to interactive,900,500,800,,11\n"
        '"Data\nScience",2026-Q1,Fresh,Lag,60,10,30,2026-04-01,\n',
        encoding="utf-8",
    )
    before = tree(site)
    result = okrsite(site, "import", "--as-of", "2026-05-20", export.name)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "bad.csv:2:6: error[value]: target: found 'fast'; expected a number",
        "bad.csv:3:2: error[unknown-cycle]: cycle '2027-Q9' is not in cycles.yml; add it there first "
        "(or give its first and last day in cycle_start and cycle_end columns)",
    ]
    assert result.stderr == "2 errors; nothing written\n"
    assert tree(site) == before
    # once the rows read, what loading the content finds is told at its row too
    export.write_text(export.read_text().replace("fast", "400").replace("2027-Q9", "2026-Q2"))
    before = tree(site)
    result = okrsite(site, "import", "--as-of", "2026-05-20", export.name)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "bad.csv:4:1: error[invalid-value]: confidence: found 11; expected a number from 1 to 10 "
        "(at content/teams/shop/2026-Q2.yml:21 as it would be written)",
        "bad.csv:5:1: error[checkin-outside-cycle]: check-in dated 2026-04-01; expected a date within 2026-Q1 (2026-01-05 to "
        "2026-03-27) (at content/teams/data-science/2026-Q1.yml:11 as it would be written)",
    ]
    assert tree(site) == before


def test_dry_run_shows_every_file_and_writes_nothing(repo: Callable[..., Path], okrsite: Run) -> None:
    site = repo({"content/cycles.yml": "# our calendar\n" + CYCLES})
    export = site / "new.csv"
    export.write_text(
        "team,team_name,cycle,cycle_name,cycle_start,cycle_end,objective,objective_title,objective_type,key_result,title,done\n"
        "ops,Operations,2026-H2,Second half,2026-07-01,2026-12-31,calm,Calm nights,committed,runbooks,Every alert has a runbook,no\n",
        encoding="utf-8",
    )
    before = tree(site)
    result = okrsite(site, "import", "--as-of", "2026-07-15", "--dry-run", export.name)
    assert result.exit_code == 0, result.output
    assert tree(site) == before
    assert result.stdout == textwrap.dedent("""\
        --- a/content/cycles.yml
        +++ b/content/cycles.yml
        @@ -11,3 +11,7 @@
             start: 2026-05-04
             end: 2026-06-12
             checkin_every: 14
        +  - id: 2026-H2
        +    name: Second half
        +    start: 2026-07-01
        +    end: 2026-12-31

        # content/teams/ops/team.yml (new)
        name: Operations

        # content/teams/ops/2026-H2.yml (new)
        objectives:
          - id: calm
            title: Calm nights
            type: committed
            key_results:
              - id: runbooks
                title: Every alert has a runbook
                checkins:
                  - {date: 2026-07-15, done: false}
        """)
    assert result.stderr.endswith("wrote nothing (--dry-run)\n")
    # and without --dry-run, the same: the calendar keeps its comment
    result = okrsite(site, "import", "--as-of", "2026-07-15", export.name)
    assert result.exit_code == 0, result.output
    assert (site / "content/cycles.yml").read_text().startswith("# our calendar\ncycles:\n  - id: 2026-Q1\n")
    assert okrsite(site, "check", "--as-of", "2026-07-15").exit_code == 0


def test_an_existing_document_is_not_overwritten(repo: Callable[..., Path], okrsite: Run) -> None:
    site = repo()
    export = site / "again.csv"
    export.write_text(
        "team,cycle,objective,objective_title,key_result,title,baseline,target\n"
        "mobile,2026-Q2,app,A calm app,crashes,Crash-free sessions,97,99.5\n"
        "web,2026-Q2,speed,Pages feel instant,p95,P95 load time in ms,800,300\n",
        encoding="utf-8",
    )
    before = tree(site)
    result = okrsite(site, "import", export.name)
    assert result.exit_code == 1
    assert result.stdout == (
        "again.csv:3:1: error[exists]: content/teams/web/2026-Q2.yml exists; okrsite import never overwrites a document: "
        "leave its rows out, or move the file away\n"
    )
    assert tree(site) == before  # not even the mobile team, whose rows were fine


def test_ids_are_made_from_names_and_collisions_are_errors(repo: Callable[..., Path], okrsite: Run) -> None:
    site = repo()
    export = site / "names.csv"
    export.write_text(
        "team,cycle,objective_title,title\n"
        "Growth Squad,2026-Q2,Grow,Launch the referral programme\n"
        "growth-squad,2026-Q2,Grow,Referrals that convert\n"
        "Growth Squad,2026-Q2,Grow,Launch the referral programme!\n"
        "Growth Squad,2026-Q2,Grow,Launch the referral programme\n"
        "日本,2026-Q2,Grow,Signups\n",
        encoding="utf-8",
    )
    result = okrsite(site, "import", export.name)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "names.csv:3:1: error[id-collision]: 'growth-squad' and 'Growth Squad' (line 2) both make the team id 'growth-squad'; "
        "change one of them",
        "names.csv:4:4: error[id-collision]: 'Launch the referral programme!' and 'Launch the referral programme' (line 2) both "
        "make the key_result id 'launch-the-referral-programme'; change one of them",
        "names.csv:5:4: error[duplicate-id]: key result 'launch-the-referral-programme' of growth-squad/grow in 2026-Q2 is on "
        "line 2 too; expected one row per key result",
        "names.csv:6:1: error[invalid-id]: team: found '日本', which makes no id; expected letters or digits in it",
    ]


def test_an_unknown_field_in_a_map_is_a_usage_error(repo: Callable[..., Path], okrsite: Run) -> None:
    site = repo()
    (site / "x.csv").write_text("a\n1\n")
    result = okrsite(site, "import", "--map", "Name=objective_name", "x.csv")
    assert result.exit_code == 2
    assert f"'objective_name' is not a field; expected one of {', '.join(FIELDS)}" in result.output


def test_the_readme_lists_every_field() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Importing from another tool") :]
    listed = re.findall(r"^\| `(\w+)` \|", section[: section.index("\n## ")], re.MULTILINE)
    assert listed == list(FIELDS)


def test_a_tab_separated_export_keeps_text_as_typed(tmp_path: Path, okrsite: Run) -> None:
    """Cut by tabs; the quote that guards a formula taken off; text that YAML would read otherwise written in quotes."""
    site = empty_site(tmp_path / "site")
    export = site / "okrs.tsv"
    export.write_text(
        "team\tcycle\tobjective\tobjective_type\tkey_result\ttitle\tkind\n"
        "web\t2026-Q2\tspeed\tcommitted\tp95\t'=SUM(1)\tmilestone\n"
        "web\t2026-Q2\tspeed\tcommitted\tno\t012\tmilestone\n",
        encoding="utf-8",
    )
    result = okrsite(site, "import", export.name)
    assert result.exit_code == 0, result.output
    text = (site / "content/teams/web/2026-Q2.yml").read_text()
    assert '      - id: p95\n        title: "=SUM(1)"\n' in text and '      - id: "no"\n        title: "012"\n' in text
    assert okrsite(site, "check", "--as-of", "2026-05-20").exit_code == 0


def test_a_new_team_that_differs_from_one_only_in_case_is_told_at_its_row(repo: Callable[..., Path], okrsite: Run) -> None:
    site = repo()
    (site / "case.csv").write_text("team,cycle,objective_title,title\nWeb,2026-q1,Fast,Pages load fast\n", encoding="utf-8")
    before = tree(site)
    result = okrsite(site, "import", "case.csv")
    assert result.exit_code == 1
    assert result.stdout == (
        "case.csv:2:1: error[case-collision]: team 'Web' differs from the team 'web' only in case; the two would collide on macOS "
        "and Windows checkouts: write it as that team's id\n"
    )
    assert tree(site) == before


def test_the_rows_of_one_objective_or_new_cycle_say_the_same(repo: Callable[..., Path], okrsite: Run) -> None:
    site = repo()
    (site / "split.csv").write_text(
        "team,cycle,cycle_start,cycle_end,objective_title,objective_type,title\n"
        "ops,H2,2026-07-01,2026-12-31,Calm nights,committed,Pages per night\n"
        "ops,H2,2026-07-01,2026-12-30,Calm nights,committed,Toil hours\n"
        "ops,H2,,,Calm nights,aspirational,Alerts without a runbook\n",
        encoding="utf-8",
    )
    result = okrsite(site, "import", "split.csv")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "split.csv:3:4: error[disagrees]: cycle 'H2' has cycle_end '2026-12-30' here and '2026-12-31' on line 2; "
        "expected the same on every row of it",
        "split.csv:4:6: error[disagrees]: objective 'calm-nights' has objective_type 'aspirational' here and 'committed' on line 2; "
        "expected the same on every row of it",
    ]
