"""Files parsed ahead on forked copies of the process: the same organisation, places and problems as one process parsing
them alone, whatever a file holds and whether or not a copy gets to the end."""

from __future__ import annotations

import gc
import os
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from okrsite.content import forks, parsing
from okrsite.content.folder import load_organisation
from okrsite.content.model import Document

from ..conftest import write_repo

CYCLES = "cycles:\n  - {id: 2026-Q1, start: 2026-01-01, end: 2026-03-31}\n  - {id: 2026-Q2, start: 2026-04-01, end: 2026-06-30}\n"
DOCUMENT = """\
    objectives:
      - id: reach
        title: Team {i} reaches more people
        type: committed
        key_results:
          - id: people
            title: People reached
            baseline: 0
            target: {target}
            checkins:
              - {{date: {day}, value: {i}, confidence: 7}}
    """
BROKEN = {
    "content/teams/t03/2026-Q1.yml": "objectives:\n  - id: [reach\n",  # not YAML
    "content/teams/t04/2026-Q2.yml": DOCUMENT.format(i=4, target="'a lot'", day="2026-05-04"),  # a target that is no number
    "content/teams/t05/team.yml": "name: Five\nname: Again\n",  # a key twice
    "content/teams/t06/2026-Q2.md": f"---\n{textwrap.dedent(DOCUMENT.format(i=6, target=60, day='2026-05-04'))}---\nWhat we learnt.\n",
    "content/teams/t07/2026-Q3.yml": "objectives: []\n",  # no such cycle
    "content/teams/t08/2026-Q2.yml": "\ufeff" + textwrap.dedent(DOCUMENT.format(i=8, target=80, day="2026-05-04")),  # a byte order mark
}


def organisation(root: Path, teams: int = 40) -> Path:
    files = {"mkdocs.yml": "site_name: Many\nplugins:\n  - okrsite\n", "content/cycles.yml": CYCLES}
    for i in range(teams):
        files[f"content/teams/t{i:02}/team.yml"] = f"name: Team {i}\n" + ("parent: t00\n" if i else "")
        files[f"content/teams/t{i:02}/2026-Q1.yml"] = DOCUMENT.format(i=i, target=100 + i, day="2026-02-02")
    write_repo(root, files | BROKEN)
    os.mkfifo(root / "content/teams/t09/2026-Q2.yml")  # never read: reading waits for a writer
    (root / "content/teams/t10/2026-Q2.md").symlink_to("../t06/2026-Q2.md")  # a link inside the content, which the walk follows
    return root


def given(doc: Document) -> list[list[str]]:
    """The fields its writer gave, of the document, its objectives and their key results."""
    objects = [doc, *doc.objectives, *(kr for o in doc.objectives for kr in o.key_results)]
    return [sorted(o.model_fields_set) for o in objects]


def loaded(root: Path, for_good: bool) -> tuple[list[str], dict[str, object]]:
    """What a load gives, as text: its problems, and each document's values, those its writer gave, and the places of its
    objectives."""
    org, problems = load_organisation(root, "content", for_good=for_good)
    if for_good:
        gc.unfreeze()  # a test process goes on after it
    documents = {
        doc.file: (doc.model_dump(), given(doc), [str(o.loc("title")) for o in doc.objectives], doc.narrative) for doc in org.documents()
    }
    teams = {team.id: (team.model_dump(), str(team.loc("name"))) for team in org.teams.values()}
    return [str(p) for p in problems.sorted()], {"documents": documents, "teams": teams}


@pytest.fixture
def copies(monkeypatch) -> Iterator[list[int]]:
    """Copies are made whenever two files are to be parsed, two at a time, as on a machine of three cores; the pids made."""
    made: list[int] = []
    fork = os.fork

    def counted() -> int:
        pid = fork()
        if pid:
            made.append(pid)
        return pid

    monkeypatch.setattr(parsing, "MIN_FILES", 2)
    monkeypatch.setattr(forks, "BATCH", 4)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2})
    monkeypatch.setattr(os, "fork", counted)
    yield made


def test_files_parsed_by_copies_load_as_in_one_process(tmp_path, copies):
    root = organisation(tmp_path)
    alone = loaded(root, for_good=False)  # a load that serve makes: never forks
    assert copies == []
    shared = loaded(root, for_good=True)
    assert len(copies) == 2
    assert shared == alone
    problems = "\n".join(shared[0])
    assert "content/teams/t03/2026-Q1.yml:2:" in problems and "content/teams/t05/team.yml:2:1: error[duplicate-key]" in problems
    assert "content/teams/t04/2026-Q2.yml:9:17: error[invalid-value]" in problems
    assert "content/teams/t09/2026-Q2.yml:1:1: error[not-a-file]" in problems
    assert [shared[1]["documents"][f"content/teams/{team}/2026-Q2.md"][3].strip() for team in ("t06", "t10")] == ["What we learnt."] * 2


def test_a_copy_that_stops_half_way_leaves_its_files_to_the_load(tmp_path, copies, monkeypatch):
    root = organisation(tmp_path)
    alone = loaded(root, for_good=False)
    parse, parent, batches = parsing._parse, os.getpid(), []

    def stopping(jobs):
        batches.append(jobs)
        if os.getpid() != parent and len(batches) == 3:
            os._exit(9)  # a copy killed after sending two batches
        return parse(jobs)

    monkeypatch.setattr(parsing, "_parse", stopping)
    assert loaded(root, for_good=True) == alone
    assert len(copies) == 2


def test_a_process_with_another_thread_parses_alone(tmp_path, copies):
    root = organisation(tmp_path)
    stop = threading.Event()
    waiting = threading.Thread(target=stop.wait)
    waiting.start()
    try:
        loaded(root, for_good=True)
    finally:
        stop.set()
        waiting.join()
    assert copies == []
