"""`okrsite diff`: what a pull request changes in OKR terms, as Markdown for a comment on it.

Both sides are the same validated model, analysed the same way: the base
revision's content comes from `okrsite.sources.revision`; this module only
compares the two.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator

from ..analysis.compare import GOAL_FIELDS, Comparison, ObjectivePair, compare
from ..analysis.computed import Analysis
from ..analysis.score import kr_score
from ..content.errors import one_line
from ..content.model import Checkin, Document, KeyResult, Organisation, Retrospective
from ..content.values import written

_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")


def diff_markdown(before: Analysis, after: Analysis, base: str = "BASE", base_errors: int = 0) -> str:
    """Markdown for a pull-request comment: a headline, then what changed in each team's document for a cycle.

    `base` names the revision in the text; `base_errors` counts the errors of the content at it, which is
    compared as far as it could be read.
    """
    sections: list[tuple[Document, list[str]]] = []
    for old, new in _pairs(before.org, after.org):
        doc = new or old
        changes = _document_changes(before, after, old, new)
        if doc is not None and changes:
            sections.append((doc, changes))
    where = f"between {comment_text(base)} and the working tree"
    teams = {doc.team.id: comment_text(doc.team.name) for doc, _ in sections}
    headline = f"**{_count(len(teams), 'team')} changed** {where}: {', '.join(teams.values())}" if teams else f"No OKR changes {where}."
    lines = [headline]
    if base_errors:
        lines += [
            "",
            f"> **Note:** the content at {comment_text(base)} has {_count(base_errors, 'error')}; this compares what could be read, "
            "so a document that could not be read there shows as new.",
        ]
    for doc, changes in sections:
        lines += ["", f"### {comment_text(doc.team.name)} · {comment_text(doc.cycle.title)}", "", *changes]
    return "\n".join(lines) + "\n"


def _pairs(before: Organisation, after: Organisation) -> Iterator[tuple[Document | None, Document | None]]:
    """Each team's document for a cycle on both sides, matched by team and cycle id, in team then cycle order."""
    old = {(d.team.id, d.cycle.id): d for d in before.documents()}
    new = {(d.team.id, d.cycle.id): d for d in after.documents()}

    def order(key: tuple[str, str]) -> tuple[str, dt.date, str]:
        return key[0], (new.get(key) or old[key]).cycle.start, key[1]

    for key in sorted(old.keys() | new.keys(), key=order):
        yield old.get(key), new.get(key)


def _document_changes(before: Analysis, after: Analysis, old: Document | None, new: Document | None) -> list[str]:
    if new is None:
        assert old is not None
        return [f"- Document removed ({_size(old)})"]
    comparison = compare(old, new)
    lines = [f"- New document ({_size(new)})"] if old is None else []
    lines += _objective_changes(comparison)
    lines += _checkins(comparison)
    lines += _retrospective_changes(old.retrospective if old else None, new.retrospective)
    lines += _signal_changes(before, after, old, new)
    return lines


def _objective_changes(c: Comparison) -> Iterator[str]:
    for pair in c.objectives:
        objective, was = pair.new, pair.old
        if objective is None:
            continue
        name = f"`{objective.id}`"
        if was is None:
            yield f"- Objective {name} added: {comment_text(objective.title)} ({objective.type})"
            for kr in objective.key_results:
                yield f"  - Key result `{kr.id}`: {comment_text(kr.title)} ({_goal(kr)})"
            continue
        if pair.retitled:
            yield f"- Objective {name} retitled: {comment_text(was.title)} → {comment_text(objective.title)}"
        if pair.retyped:
            yield f"- Objective {name} type: {was.type} → {objective.type}"
        yield from _kr_changes(objective.id, pair)
    for pair in c.objectives:
        if pair.new is None and pair.old is not None:
            yield f"- Objective `{pair.old.id}` removed: {comment_text(pair.old.title)}"


def _kr_changes(objective_id: str, pair: ObjectivePair) -> Iterator[str]:
    for kp in pair.krs:
        if kp.old is None and kp.new is not None:
            yield f"- Key result `{objective_id}/{kp.new.id}` added: {comment_text(kp.new.title)} ({_goal(kp.new)})"
        elif kp.new is None and kp.old is not None:
            yield f"- Key result `{objective_id}/{kp.old.id}` removed: {comment_text(kp.old.title)}"
        elif kp.old is not None and kp.new is not None:
            name = f"`{objective_id}/{kp.new.id}`"
            for field in kp.changed:
                old, new = getattr(kp.old, field), getattr(kp.new, field)
                if field == "title":
                    yield f"- Key result {name} retitled: {comment_text(old)} → {comment_text(new)}"
                else:
                    yield f"- Key result {name} {field.replace('_', ' ')}: {written(old)} → {written(new)}"


def _checkins(c: Comparison) -> Iterator[str]:
    """Check-ins on dates the KR had none before, each with the score it moves the KR to on its date."""
    for pair in c.objectives:
        for kp in pair.krs:
            for checkin in kp.new_checkins:  # none for a KR or objective that was removed
                assert pair.new is not None and kp.new is not None
                score = kr_score(kp.new, checkin.date)
                yield f"- Check-in `{pair.new.id}/{kp.new.id}` {checkin.date}: {_reading(checkin)} → score {score:.2f}"


def _reading(checkin: Checkin) -> str:
    found = "done" if checkin.done else "not done" if checkin.done is not None else written(checkin.value)
    return found if checkin.confidence is None else f"{found}, confidence {checkin.confidence}"


def _retrospective_changes(old: Retrospective | None, new: Retrospective | None) -> Iterator[str]:
    if new is not None and old is None:
        parts = [f"{len(new.landed)} landed", f"{len(new.missed)} missed", f"{_count(len(new.changes), 'change')} for next cycle"]
        yield f"- Retrospective added: {', '.join(parts)}"
    elif new is None and old is not None:
        yield "- Retrospective removed"


def _signal_changes(before: Analysis, after: Analysis, old: Document | None, new: Document) -> Iterator[str]:
    """Signals matched by code and by what they are about: one whose evidence moved (a count, a date) has changed, it is
    neither new nor gone."""
    was = [(s.code, s.about, s.message) for s in before.signals(old)] if old else []
    now = [(s.code, s.about, s.message) for s in after.signals(new)]
    for signal in [s for s in now if s in was]:
        was.remove(signal)
        now.remove(signal)
    for code, about, message in now:
        earlier = next((w for w in was if w[:2] == (code, about)), None)
        if earlier is None:
            yield f"- New health signal `{code}`: {comment_text(message)}"
        else:
            was.remove(earlier)
            yield f"- Health signal `{code}` changed: {comment_text(message)} (was: {comment_text(earlier[2])})"
    for code, _, message in was:
        yield f"- Health signal gone `{code}`: {comment_text(message)}"


def _goal(kr: KeyResult) -> str:
    """What a new KR aims at: its baseline and target, the line it holds, or a milestone."""
    parts = [f"{field.replace('_', ' ')} {written(getattr(kr, field))}" for field in GOAL_FIELDS if getattr(kr, field) is not None]
    return ", ".join(parts) or "milestone"


def _size(doc: Document) -> str:
    krs = sum(len(o.key_results) for o in doc.objectives)
    return f"{_count(len(doc.objectives), 'objective')}, {_count(krs, 'key result')}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def comment_text(text: str) -> str:
    """Content as literal text: a title cannot add a link, emphasis, HTML or a line break to the comment.

    Lighter than `text.md_text`, as mail notifications show the raw Markdown: content never starts a line
    here, so the characters that only matter there (`-`, `+`, `.`) stay as typed.
    """
    return _MD_SPECIAL.sub(r"\\\1", html.escape(one_line(" ".join(text.split())), quote=False))
