"""People (SPEC section 6): one person per name as written, a slug per person that is distinct, stable and a safe path."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import pytest

from okrsite.analysis.people import due_checkins, people, person_key, slug_of
from okrsite.content.folder import load_organisation
from okrsite.content.model import Organisation

from ..conftest import CYCLES

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def org_of(tmp_path: Path, teams: dict[str, str], docs: dict[str, str] | None = None) -> Organisation:
    files = {"content/cycles.yml": CYCLES}
    files.update({f"content/teams/{team}/team.yml": text for team, text in teams.items()})
    files.update({f"content/teams/{name}.yml": text for name, text in (docs or {}).items()})
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    org, problems = load_organisation(tmp_path)
    assert not problems.errors, problems.errors
    return org


def owned(*owners_and_checkins: tuple[str, str | None]) -> str:
    """A document with one objective whose key results have these owners, each with a check-in on that day (or none)."""
    lines = ["objectives:", "  - id: o", "    title: An objective", "    type: committed", "    key_results:"]
    for i, (owner, day) in enumerate(owners_and_checkins):
        lines += [
            f"      - id: k{i}",
            f"        title: Result {i}",
            "        baseline: 0",
            "        target: 10",
            f"        owner: {owner!r}",
        ]
        if day:
            lines += [f"        checkins: [{{date: {day}, value: 5}}]"]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Ana Silva", "ana-silva"),
        ("  Zoë   O'Neill ", "zoe-o-neill"),
        ("Łukasz Żółć", "lukasz-zolc"),
        ("Jürgen Straße", "jurgen-strasse"),
        ("../../etc/passwd", "etc-passwd"),
        ('<script>alert("x")</script>', "script-alert-x-script"),
        ("José   MARÍA", "jose-maria"),
    ],
)
def test_a_slug_is_the_name_in_lowercase_ascii(name, slug):
    assert slug_of(name) == slug


@pytest.mark.parametrize("name", ["李伟", "王芳", "---", "..", "/", "\u202e", "😀", "a" * 500, "Ω" * 3 + " ../" * 40])
def test_a_slug_is_never_a_path_of_its_own(name):
    slug = slug_of(name)
    assert SLUG.fullmatch(slug) and len(slug) <= 64, slug


def test_names_with_nothing_in_ascii_get_distinct_slugs_from_their_digest():
    assert slug_of("李伟").startswith("person-") and slug_of("王芳").startswith("person-")
    assert slug_of("李伟") != slug_of("王芳")
    assert slug_of("李伟") == slug_of(" 李伟 ")  # the same name written the same way: the same slug


def test_the_same_name_written_the_same_way_is_one_person(tmp_path):
    assert person_key("Ana  Silva") == person_key("ana silva") == person_key("ANA SILVA\t")
    assert person_key("Ana Silva") != person_key("Ana-Silva") != person_key("A. Silva")  # never fuzzy
    assert person_key("Zo\u00eb") == person_key("Zoe\u0308")  # one letter, however Unicode composes it
    org = org_of(
        tmp_path,
        {"web": "name: Web\nlead: Ana Silva\nmembers: [ana silva, Li Wei]\n"},
        {"web/2026-Q2": owned(("ANA  SILVA", None), ("Ana Silva", None), ("A. Silva", None))},
    )
    found = people(org)
    assert [p.name for p in found.everyone] == ["A. Silva", "Ana Silva", "Li Wei"]
    ana = found.of("ana silva")
    assert ana is not None and ana.name == "Ana Silva"  # the spelling most places use
    assert [(r.team.id, r.label) for r in ana.roles] == [("web", "lead")]  # a lead listed as a member is its lead
    assert [kr.id for kr in ana.key_results] == ["k0", "k1"]


def test_everyone_is_in_alphabetical_order_case_and_accents_aside(tmp_path):
    names = ["zoe Brandt", "Élodie Martin", "Ana Silva", "李伟", "Émile Zola", "eva Berg"]
    teams = {f"t{i}": f"name: T{i}\nlead: {name}\n" for i, name in enumerate(names)}
    assert [p.name for p in people(org_of(tmp_path, teams)).everyone] == [
        "Ana Silva",
        "Élodie Martin",
        "Émile Zola",
        "eva Berg",
        "zoe Brandt",
        "李伟",
    ]


def test_names_that_give_one_slug_get_distinct_stable_slugs(tmp_path):
    names = ["Ana Silva", "Ana-Silva", "ana_silva", "Ana Silva 2", "李伟", "王芳"]
    teams = {f"t{i}": f"name: T{i}\nlead: {name!r}\n" for i, name in enumerate(names)}
    slugs = {p.name: p.slug for p in people(org_of(tmp_path / "a", teams)).everyone}
    assert len(set(slugs.values())) == len(names)
    assert slugs["Ana Silva"] == "ana-silva" and slugs["Ana Silva 2"] == "ana-silva-2"  # a name keeps its own slug
    assert {slugs["Ana-Silva"], slugs["ana_silva"]} == {"ana-silva-3", "ana-silva-4"}
    assert slugs["李伟"].startswith("person-") and slugs["王芳"].startswith("person-")
    reversed_teams = {f"t{i}": text for i, text in enumerate(reversed(list(teams.values())))}
    again = {p.name: p.slug for p in people(org_of(tmp_path / "b", reversed_teams)).everyone}
    assert again == slugs  # whatever order the content names them in


def test_due_a_check_in_is_a_running_key_result_checked_in_longer_ago_than_its_cadence(tmp_path):
    org = org_of(
        tmp_path,
        {"web": "name: Web\n", "data": "name: Data\n"},
        {
            "web/2026-Q1": owned(("Ana", "2026-01-12")),  # ended: never due
            "web/2026-Q2": owned(("Ana", "2026-05-13"), ("Ana", "2026-05-12"), ("Ana", None), ("Li", "2026-04-20")),
            "data/2026-S3": owned(("Ana", "2026-05-07"), ("Ana", "2026-05-05")),  # checked in every 14 days
        },
    )
    on = dt.date(2026, 5, 20)
    ana = people(org).of("Ana")
    assert ana is not None
    due = [(d.key_result.objective.document.file, d.key_result.id, d.last, d.days) for d in due_checkins(ana, on)]
    assert due == [
        ("content/teams/web/2026-Q2.yml", "k2", None, 44),  # none yet: 44 days since Q2 began
        ("content/teams/data/2026-S3.yml", "k1", dt.date(2026, 5, 5), 15),
        ("content/teams/web/2026-Q2.yml", "k1", dt.date(2026, 5, 12), 8),
    ]  # web k0 (7 days, its cadence exactly) and data k0 (13 of 14) are not due yet; Li's is Li's


def test_a_done_milestone_or_a_graded_key_result_is_never_due(tmp_path):
    done = """\
        objectives:
          - id: o
            title: An objective
            type: committed
            key_results:
              - {id: shipped, title: Shipped, owner: Ana, checkins: [{date: 2026-04-13, done: true}]}
              - {id: pending, title: Not yet, owner: Ana, checkins: [{date: 2026-04-13, done: false}]}
              - {id: graded, title: Graded, owner: Ana, baseline: 0, target: 10, score: 0.5, score_note: Judged early}
        """
    org = org_of(tmp_path, {"web": "name: Web\n"}, {"web/2026-Q2": textwrap.dedent(done)})
    ana = people(org).of("Ana")
    assert ana is not None
    assert [d.key_result.id for d in due_checkins(ana, dt.date(2026, 5, 20))] == ["pending"]
