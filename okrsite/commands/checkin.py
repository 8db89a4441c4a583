"""Check-ins from the command line (`okrsite checkin`, SPEC section 7): one, or many from a file, all or nothing.

Each check-in is matched to its key result in the loaded organisation and written
into the team's document by a round trip (roundtrip.py), so the team's comments
and layout stay. Every edited document is judged with the whole organisation
before any file is written; then each is written atomically.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import os
import re
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any, Literal

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from ..content.errors import one_line
from ..content.fields import ID_RE
from ..content.files import split_front_matter
from ..content.folder import load_organisation
from ..content.model import Checkin, Document, KeyResult, Organisation, Team
from .roundtrip import carried_over, dumped, round_trip, written_number

_TARGET = re.compile(rf"(?:(?P<objective>{ID_RE.pattern})/)?(?P<kr>{ID_RE.pattern})(?:@(?P<cycle>{ID_RE.pattern}))?")
_AFTER_CHECKINS = ("revisions", "score", "score_note")
"""A new `checkins:` goes before these keys of a KR, where SPEC lists it."""

Action = Literal["added", "replaced", "unchanged"]


@dataclass(frozen=True)
class Entry:
    """One check-in to make, as given on the command line or in a row of a file."""

    where: str
    """What messages about it start with: `okrsite checkin`, or the file and line of its row (`checkins.csv:4`)."""
    team: str
    key_result: str
    """`kr` (unique in the document), or `objective/kr`; `@cycle` after it picks the document of that cycle."""
    date: dt.date
    value: float | None = None
    """The measured value (metric and health KRs)."""
    done: bool | None = None
    """Whether the milestone is reached (milestone KRs)."""
    confidence: int | None = None
    note: str | None = None
    line: int = 0
    """The line of its row, for the order of messages."""


class CheckinFailed(Exception):
    """Nothing was written; `errors` are every reason, one line each."""

    def __init__(self, errors: list[str], summary: str) -> None:
        super().__init__(summary)
        self.errors = errors
        self.summary = summary


@dataclass(frozen=True)
class Made:
    """What became of one entry."""

    entry: Entry
    file: str
    """The document's path, as messages show it."""
    team: str
    cycle: str
    name: str
    """`objective/kr`."""
    action: Action


@dataclass
class _Change:
    entry: Entry
    kr: KeyResult
    existing: int | None
    """The index of the check-in it replaces."""


@dataclass
class Plan:
    """The check-ins matched to their key results; `errors` (with their lines) when some cannot be made."""

    root: Path
    content: str
    made: list[Made] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    changes: dict[Path, list[_Change]] = field(default_factory=dict)


def plan_checkins(root: Path, content: str, entries: Iterable[Entry], replace: bool) -> Plan:
    """Match every entry to its key result and its place among the check-ins; the content must be free of errors."""
    org, problems = load_organisation(root, content)
    if problems.errors:
        errors = [str(p) for p in problems.sorted() if p.level == "error"]
        raise CheckinFailed(errors, f"{content}/ has {len(errors)} error(s): fix them first (okrsite check); nothing written")
    plan = Plan(root, content)
    first: dict[tuple[int, dt.date], Entry] = {}
    for entry in entries:
        found = _key_result(org, entry)
        if isinstance(found, str):
            plan.errors.append((entry.line, f"{entry.where}: {found}"))
            continue
        doc, kr = found.objective.document, found
        name = f"{kr.objective.id}/{kr.id}"
        problem = _wrong_kind(kr, name, entry)
        twin = first.setdefault((id(kr), entry.date), entry)
        if twin is not entry:
            problem = f"a second check-in of {name} on {entry.date} (first at {twin.where})"
        existing = next((i for i, c in enumerate(kr.checkins) if c.date == entry.date), None)
        action: Action = "added"
        if problem is None and existing is not None:
            old = kr.checkins[existing]
            action = "unchanged" if _same(old, entry) else "replaced"
            if action == "replaced" and not replace:
                problem = f"{name} has a check-in on {entry.date} already ({old.loc()}: {_said(old)}); pass --replace to replace it"
        if problem is not None:
            plan.errors.append((entry.line, f"{entry.where}: {problem}"))
            continue
        plan.made.append(Made(entry, doc.file, doc.team.id, doc.cycle.id, name, action))
        if action != "unchanged":
            plan.changes.setdefault(_path(root, content, doc), []).append(_Change(entry, kr, existing))
    return plan


@dataclass(frozen=True)
class Written:
    org: Organisation
    """The organisation with the check-ins made."""
    relaid: list[str]
    """Documents whose other lines ruamel.yaml wrote its own way too (the text could not be kept as it was)."""


def write_checkins(plan: Plan) -> Written:
    """Edit every document of the plan, judge them with the whole organisation, then write them; nothing on an error."""
    texts: dict[Path, bytes] = {}
    relaid, errors = [], []
    for path, changes in plan.changes.items():
        file = changes[0].kr.objective.document.file
        try:
            texts[path], kept = _edited(path.read_bytes(), path.suffix == ".md", changes)
        except (OSError, UnicodeDecodeError, YAMLError) as exc:
            errors.append(f"{file}: cannot edit this file ({one_line(str(exc))})")
            continue
        if not kept:
            relaid.append(file)
    if errors:
        raise CheckinFailed(errors, f"could not edit {len(errors)} file(s); nothing written")
    org, problems = load_organisation(plan.root, plan.content, replaced=texts)
    if problems.errors:
        found = [str(p) for p in problems.sorted() if p.level == "error"]
        raise CheckinFailed(found, f"the check-ins would leave {len(found)} error(s) in {plan.content}/; nothing written")
    _write_all(texts)
    return Written(org, relaid)


def _key_result(org: Organisation, entry: Entry) -> KeyResult | str:
    """The entry's key result, else why there is none (with the names it may have meant)."""
    team = org.teams.get(entry.team)
    if team is None:
        close = difflib.get_close_matches(entry.team, list(org.teams), n=3)
        hint = f"did you mean {' or '.join(map(repr, close))}?" if close else f"expected one of {', '.join(org.teams) or 'none'}"
        return f"{entry.team!r} is not a team of the content; {hint}"
    target = _TARGET.fullmatch(entry.key_result)
    if target is None:
        return f"found the key result {entry.key_result!r}; expected 'kr' or 'objective/kr' (ids), optionally with '@cycle'"
    docs = _documents(team, entry.date, target["cycle"])
    if isinstance(docs, str):
        return docs
    krs = [kr for doc in docs for o in doc.objectives for kr in o.key_results]
    named = [kr for kr in krs if kr.id == target["kr"] and target["objective"] in (None, kr.objective.id)]
    where = " and ".join(f"{d.file}" for d in docs)
    if len(named) == 1:
        return named[0]
    if named:
        return f"{entry.key_result!r} is a key result of several objectives in {where}: {', '.join(_names(named, docs))}; name one"
    typed = entry.key_result.partition("@")[0]
    keys: dict[str, list[KeyResult]] = {}
    for kr in krs:
        keys.setdefault(f"{kr.objective.id}/{kr.id}" if target["objective"] else kr.id, []).append(kr)
    close = [key for key in keys if key.startswith(typed)] or difflib.get_close_matches(typed, list(keys), n=3)
    meant = [kr for key in close[:3] for kr in keys[key]]
    hint = f"did you mean {' or '.join(_names(meant, docs))}?" if meant else f"expected one of {', '.join(_names(krs, docs))}"
    return f"{entry.key_result!r} is not a key result of {where}; {hint}"


def _documents(team: Team, day: dt.date, pinned: str | None) -> list[Document] | str:
    """The team's documents a check-in on `day` can go to: the pinned cycle's, else those of the cycles containing it."""
    listed = ", ".join(f"{d.cycle.id} ({d.cycle.start} to {d.cycle.end})" for d in team.documents.values()) or "none yet"
    if pinned is not None:
        doc = team.documents.get(pinned)
        if doc is None:
            return f"team {team.id} has no document for the cycle {pinned!r}; its documents: {listed}"
        if not doc.cycle.contains(day):
            return f"the check-in is dated {day}, outside {pinned} ({doc.cycle.start} to {doc.cycle.end}); give a date within it"
        return [doc]
    docs = [d for d in team.documents.values() if d.cycle.contains(day)]
    return docs or f"team {team.id} has no document for a cycle containing {day}; expected a date within one of its documents: {listed}"


def _names(krs: Iterable[KeyResult], docs: list[Document]) -> list[str]:
    """`objective/kr`, with `@cycle` when the check-in's day falls in several of the team's cycles."""
    pin = len(docs) > 1
    return [f"'{kr.objective.id}/{kr.id}{'@' + kr.objective.document.cycle.id if pin else ''}'" for kr in krs]


def _wrong_kind(kr: KeyResult, name: str, entry: Entry) -> str | None:
    if kr.kind == "milestone" and entry.done is None:
        return f"{name} is a milestone key result: its check-in says done or not done, not a number (found {entry.value:g})"
    if kr.kind != "milestone" and entry.done is not None:
        said = "done" if entry.done else "not done"
        return f"{name} is a {kr.kind} key result: its check-in is a number, not {said!r}"
    return None


def _same(old: Checkin, entry: Entry) -> bool:
    return (old.value, old.done, old.confidence, old.note or None) == (entry.value, entry.done, entry.confidence, entry.note or None)


def _said(checkin: Checkin) -> str:
    measured_ = f"done: {str(checkin.done).lower()}" if checkin.done is not None else f"value {checkin.value:g}"
    return measured_ + (f", confidence {checkin.confidence}" if checkin.confidence is not None else "")


def _path(root: Path, content: str, doc: Document) -> Path:
    """The document's file, as load_organisation reaches it (its `replaced` keys)."""
    return root / content / "teams" / doc.team.id / PurePath(doc.file).name


def _edited(raw: bytes, is_markdown: bool, changes: list[_Change]) -> tuple[bytes, bool]:
    """The document's bytes with the check-ins made, and whether every other line stayed as it was.

    A Markdown document's front matter is edited; its body, a byte-order mark and CRLF line ends are kept
    (a YAML file that does not end its last line gets a line end).
    """
    text = raw.decode("utf-8")
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    text = text.removeprefix(bom)
    head, front, tail = "", text, ""
    if is_markdown:
        found, _ = split_front_matter(text)
        assert found is not None, "load_organisation read this front matter"
        head = text.splitlines(keepends=True)[0]
        front, tail = found, text[len(head) + len(found) :]
    crlf = "\r\n" in front
    front = front.replace("\r\n", "\n")
    if not front.endswith("\n"):
        front += "\n"  # so that a check-in added at the end starts a line of its own
    yaml, data = round_trip(front)
    before = dumped(yaml, data)
    days: dict[int, list[dt.date]] = {}
    for change in changes:
        _make(data, change, days.setdefault(id(change.kr), [c.date for c in change.kr.checkins]))
    after = dumped(yaml, data)
    kept = carried_over(front, before, after)
    edited = after if kept is None else kept
    return (bom + head + (edited.replace("\n", "\r\n") if crlf else edited) + tail).encode("utf-8"), kept is not None


def _make(data: Any, change: _Change, days: list[dt.date]) -> None:
    """Make one check-in in the loaded YAML: replaced in place, or added in date order (the list's own, if newest first)."""
    kr = change.kr
    objective = kr.objective
    o = next(i for i, candidate in enumerate(objective.document.objectives) if candidate is objective)
    k = next(i for i, candidate in enumerate(objective.key_results) if candidate is kr)
    raw_kr = data["objectives"][o]["key_results"][k]
    items = raw_kr.get("checkins")
    if change.existing is not None:
        items[change.existing] = _item(change.entry, _is_flow(items[change.existing]))
        return
    if not items:
        items = CommentedSeq()
        if "checkins" in raw_kr:
            raw_kr["checkins"] = items
        else:
            later = [i for i, key in enumerate(raw_kr) if key in _AFTER_CHECKINS]
            raw_kr.insert(later[0] if later else len(raw_kr), "checkins", items)
    newest_first = len(days) > 1 and all(a > b for a, b in itertools.pairwise(days))
    at = len(days)
    if newest_first:
        at = next((i for i, day in enumerate(days) if day < change.entry.date), len(days))
    else:
        while at and days[at - 1] > change.entry.date:
            at -= 1
    neighbour = items[at - 1] if at else items[0] if items else _first_checkin(data)
    items.insert(at, _item(change.entry, _is_flow(neighbour)))
    days.insert(at, change.entry.date)


def _item(entry: Entry, flow: bool) -> CommentedMap:
    """A check-in as a writer types it; on one line like its neighbour, unless it has a note."""
    item = CommentedMap()
    item["date"] = entry.date
    if entry.done is not None:
        item["done"] = entry.done
    else:
        assert entry.value is not None
        item["value"] = written_number(entry.value)
    if entry.confidence is not None:
        item["confidence"] = entry.confidence
    if entry.note:
        item["note"] = entry.note
    elif flow:
        item.fa.set_flow_style()
    return item


def _is_flow(item: Any) -> bool:
    return isinstance(item, CommentedMap) and bool(item.fa.flow_style())


def _first_checkin(data: Any) -> Any:
    """The document's first check-in, whose style a KR's first one follows."""
    for objective in data.get("objectives") or []:
        for kr in objective.get("key_results") or []:
            for checkin in kr.get("checkins") or []:
                return checkin
    return None


def _write_all(texts: dict[Path, bytes]) -> None:
    """Write each file through a temporary one beside it, with the file's mode; the files are replaced once all are ready.

    A document that is a link (to a file inside the content folder: the loader saw to it) stays a link: its target is written.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for link, data in texts.items():
            path = link.resolve()
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".okrsite")
            staged.append((temporary, path))
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, stat.S_IMODE(path.stat().st_mode))
        for temporary, path in staged:
            os.replace(temporary, path)
    finally:
        for temporary, _ in staged:
            if os.path.exists(temporary):
                os.unlink(temporary)
