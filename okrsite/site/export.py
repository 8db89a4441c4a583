"""`/okrs.json` and `/okrs.csv`: all content with its computed figures, for other tools.

The JSON shape is documented in the README ("The JSON export"); change both together.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ..analysis.computed import Analysis
from ..analysis.facts import Facts, KrFacts
from ..analysis.people import People
from ..analysis.score import holds_line
from ..content.model import Document, KeyResult, Organisation, Team
from .parts import TeamParts

SCHEMA_VERSION = 1
CSV_COLUMNS = [
    "team",
    "cycle",
    "objective",
    "objective_type",
    "key_result",
    "title",
    "kind",
    "baseline",
    "target",
    "keep_above",
    "keep_below",
    "unit",
    "current",
    "score",
    "computed_score",
    "status",
    "confidence",
    "owner",
    "file",
    "line",
    # appended, so that readers by position keep working: what `okrsite import` needs to write the same documents again
    "objective_title",
    "team_name",
    "direction",
    "weight",
    "current_date",
    "done",
    "score_note",
    "checkins",
    "held",
]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _document(analysis: Analysis, doc: Document) -> dict[str, Any]:
    facts = analysis.facts.of(doc)
    log = analysis.change_log(doc)
    data = doc.model_dump(mode="json", by_alias=True, exclude={"objectives"})
    objectives = []
    for of in facts.objectives:
        item = of.objective.model_dump(mode="json", by_alias=True, exclude={"key_results"})
        item.update(score=_round(of.score), status=of.status.label, outdated=of.status.outdated)
        item["key_results"] = [
            {
                **kf.kr.model_dump(mode="json", by_alias=True),
                "kind": kf.kr.kind,
                "current": kf.current,
                "score": _round(kf.score),
                "computed_score": _round(kf.computed),
                "status": kf.status.label,
                "outdated": kf.status.outdated,
            }
            for kf in of.krs
        ]
        objectives.append(item)
    summary = facts.summary
    return {
        "cycle": doc.cycle.id,
        "file": doc.file,
        "score": _round(facts.score),
        "status": facts.status.label,
        "outdated": facts.status.outdated,
        "expected_progress": _round(facts.expected),
        "summary": {
            "committed_krs": summary.committed,
            "committed_landed": summary.landed,
            "aspirational_krs": summary.aspirational,
            "aspirational_mean": _round(summary.aspirational_mean),
        },
        "objectives": objectives,
        **data,
        "narrative": doc.narrative,
        "signals": [{"code": s.code, "message": s.message, "line": s.loc.line} for s in analysis.signals(doc)],
        "changes": {
            "previous_cycle": log.previous.cycle.id if log.previous else None,
            "nothing_changed": log.nothing_changed,
            "entries": [{"kind": c.kind, "message": c.message, "date": c.date.isoformat() if c.date else None} for c in log.changes],
        },
    }


def _reference(kr: KeyResult) -> dict[str, str]:
    doc = kr.objective.document
    return {"team": doc.team.id, "cycle": doc.cycle.id, "objective": kr.objective.id, "key_result": kr.id}


def _people(people: People) -> list[dict[str, Any]]:
    return [
        {
            "name": person.name,
            "slug": person.slug,
            "teams": [{"team": role.team.id, "role": role.label} for role in person.roles],
            "key_results": [_reference(kr) for kr in person.key_results],
        }
        for person in people.everyone
    ]


def okrs_json(analysis: Analysis, version: str, people: People, kept: TeamParts | None = None, made: TeamParts | None = None) -> bytes:
    """The export, written one team at a time: the whole of it as Python objects takes seven times its size in memory.

    UTF-8 as it is made: as one text it would take twice its size (an arrow in it makes every character two bytes),
    and twice that again while the teams' texts are joined; 500 MB at 2,000 teams.
    A team's part found in `kept` is taken as it is; every team's part is put in `made`, if given.
    """
    org, facts = analysis.org, analysis.facts
    head = {
        "schema_version": SCHEMA_VERSION,
        "generator": f"okrsite {version}",
        "as_of": facts.on.isoformat(),
        "current_cycle": facts.current_cycle(),
        "cycles": [c.model_dump(mode="json") for c in org.cycles.values()],
    }
    out = io.BytesIO()
    out.write((_compact(head)[:-1] + ',"teams":[').encode())
    for i, team in enumerate(org.teams.values()):
        part = kept.json.get(team.id) if kept is not None else None
        if part is None:
            documents = [_document(analysis, d) for d in team.documents.values()]
            part = _compact({"id": team.id, **team.model_dump(mode="json"), "documents": documents}).encode()
        if made is not None:
            made.json[team.id] = part
        out.write(b"," * (i > 0) + part)
    out.write(('],"people":' + _compact(_people(people)) + "}\n").encode())
    return out.getvalue()


def _compact(value: object) -> str:
    """Compact JSON: the C encoder, and less to download. NaN is refused, as it is not JSON (figures are finite by construction)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def okrs_csv(org: Organisation, facts: Facts, kept: TeamParts | None = None, made: TeamParts | None = None) -> str:
    """One row per key result; a team's rows are taken from `kept` or put in `made` as for `okrs_json`."""
    out = io.StringIO()
    _writer(out).writerow(CSV_COLUMNS)
    for team in org.teams.values():
        rows = kept.csv.get(team.id) if kept is not None else None
        if rows is None:
            rows = _rows(team, facts)
        if made is not None:
            made.csv[team.id] = rows
        out.write(rows)
    return out.getvalue()


def _writer(out: io.StringIO) -> Any:
    return csv.writer(out, lineterminator="\r\n")  # RFC 4180: and a CR inside a cell is then quoted, never a row break


def _rows(team: Team, facts: Facts) -> str:
    out = io.StringIO()
    writer = _writer(out)
    for doc in team.documents.values():
        for of in facts.of(doc).objectives:
            for kf in of.krs:
                kr = kf.kr
                row = [
                    *(doc.team.id, doc.cycle.id, of.objective.id, of.objective.type, kr.id, kr.title, kr.kind),
                    *(_plain(kr.baseline), _plain(kr.target), _plain(kr.keep_above), _plain(kr.keep_below), kr.unit),
                    *(_plain(kf.current), f"{kf.score:.4f}", f"{kf.computed:.4f}", kf.status.label, kf.confidence, kr.owner),
                    *(doc.file, kr.loc().line),
                    *(of.objective.title, doc.team.name, kr.direction, _plain(kr.weight), *_last_checkin(kf), kr.score_note),
                    *(len(kf.checkins), _held(kf)),
                ]
                writer.writerow([_cell(value) if isinstance(value, str) else value for value in row])
    return out.getvalue()


def _last_checkin(kf: KrFacts) -> tuple[str | None, str | None]:
    """The day of the check-in that `current` and `score` come from, and a milestone's done state in it (none: empty)."""
    if not kf.checkins:
        return None, None
    last = kf.checkins[-1]
    return last.date.isoformat(), ("true" if last.done else "false") if kf.kr.kind == "milestone" else None


def _held(kf: KrFacts) -> int | None:
    """How many of a health KR's check-ins held the line: its score is their share, which `current` alone cannot give again."""
    if kf.kr.kind != "health":
        return None
    return sum(holds_line(kf.kr, c.value) for c in kf.checkins if c.value is not None)


def _plain(value: float | None) -> float | int | None:
    """800.0 is written 800, as the writer wrote it; 1.7e+308 as such, not as 309 digits."""
    return int(value) if value is not None and value.is_integer() and abs(value) < 1e15 else value


def _cell(text: str) -> str:
    """Text that a spreadsheet would run as a formula starts with a quote instead (OWASP's advice on CSV injection).

    Every text cell, ids and paths included: a content folder named `=cmd` is text too. Numbers stay numbers.
    """
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
