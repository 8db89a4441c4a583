"""`okrsite digest`: the weekly digest as Markdown (for chat), plain text (for mail) or JSON (for a bot).

`okrsite.analysis.digest` decides what goes in; this module reads the content as it stood on the last digest's
date and words the digest. "As it stood" is the content git had on that day, not today's content read as of
that day: a target edited or an objective added this week then shows its signals as new, where today's content
would say they were always there. Where the history cannot say (no repository, a shallow clone, a history that
begins later), today's content as of that day stands in, and the command says so.

The JSON (`--format json`) is one object: `as_of` and `since` (YYYY-MM-DD), `compared_with` (the commit whose
content gave the signals as of `since`, or null) and `owners`, each with `name`, `slug`, `url` (their person page,
or null without a `site_url`), `due`, `moved` and `new_signals`; every key is always present.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..analysis.computed import Analysis
from ..analysis.digest import Digest, Move, OwnerDigest, Reading, UnknownOwner, digest
from ..analysis.health import Signal
from ..analysis.people import Due, Person
from ..content.errors import one_line
from ..content.model import Document, KeyResult, Organisation
from ..content.values import with_unit, written
from ..site.urls import absolute_url, document_uri, kr_anchor, objective_anchor, person_uri
from ..sources.revision import DiffError, NoHistory, commit_on, organisation_at
from ..sources.site_config import SiteConfig
from .diff import comment_text

TEXT_WIDTH = 80
DAYS = 7
"""The default `--since`: this many days before the as-of date, for a weekly digest."""


class DigestError(Exception):
    """What was asked for cannot be given (an unknown owner, a --since not before the as-of date): a usage error."""


def write_digest(site: SiteConfig, current: Analysis, since: dt.date | None, owner: str | None, fmt: str) -> tuple[str, str | None]:
    """The digest of the site's valid content as of `current.on` in `fmt`, and what the command's log should say
    (that today's content stood in for the content at `since`, or that part of it could not be read)."""
    since = since or current.on - dt.timedelta(days=DAYS)
    if since >= current.on:
        raise DigestError(f"--since {since} is not before the as-of date {current.on}")
    before = content_on(site.root, site.content, since, current.org)
    try:
        found = digest(current, Analysis.of(before.org, since, site.rules), owner)
    except UnknownOwner as exc:
        close = f"did you mean {' or '.join(map(repr, exc.close))}?" if exc.close else "it names no one like that"
        raise DigestError(f"--owner {one_line(exc.name)!r} names nobody in {one_line(site.content)}/; {close}") from None
    links = Links(site.site_url, site.use_directory_urls) if site.site_url else None
    return render(found, fmt, links, before.commit, owner), before.note


@dataclass(frozen=True)
class Before:
    """The content as it stood on the last digest's date."""

    org: Organisation
    commit: str | None
    """The commit it was read from; None when the history could not say (today's content stands in)."""
    note: str | None = None
    """Why today's content stands in for it, or how much of it could not be read; for the command to print."""


def content_on(root: Path, content: str, day: dt.date, today: Organisation) -> Before:
    """The content at the commit the branch stood at when `day` ended; `today`'s where git cannot say."""
    try:
        commit = commit_on(root, day)
        if commit is None:  # a repository begun since: its first digest is not the place for every signal ever
            raise NoHistory(f"the repository's history begins after {day}")
        org, problems = organisation_at(root, content, commit)
    except (NoHistory, DiffError) as exc:
        return Before(today, None, f"{exc}; new signals are those that the content as it is now shows since {day}")
    errors = len(problems.errors)
    note = f"the content at {commit[:12]} has {errors} error{'s' * (errors != 1)}: its signals count as far as it could be read"
    return Before(org, commit, note if errors else None)


@dataclass(frozen=True)
class Links:
    """Addresses on the published site (`site_url` in mkdocs.yml)."""

    site_url: str
    directory_urls: bool = True

    def person(self, person: Person) -> str:
        return absolute_url(self.site_url, person_uri(person), self.directory_urls)

    def document(self, doc: Document, kr: KeyResult | None = None) -> str:
        return absolute_url(self.site_url, document_uri(doc), self.directory_urls, kr_anchor(kr) if kr else None)

    def signal(self, signal: Signal) -> str:
        """Where what the signal is about shows: its key result, its objective, else its document."""
        objective = signal.about.partition("#")[0].partition("/")[0]
        if signal.key_result is not None or not objective:
            return self.document(signal.document, signal.key_result)
        return absolute_url(self.site_url, document_uri(signal.document), self.directory_urls, objective_anchor(objective))


def render(found: Digest, fmt: str, links: Links | None, commit: str | None, owner: str | None) -> str:
    """The digest in `fmt` (markdown, text or json); `owner` names the one person asked for, if any."""
    if fmt == "json":
        return json.dumps(_json(found, links, commit), indent=2)  # ASCII: no bidi mark of a title reaches a terminal raw
    if not found.owners:
        who = one_line(owner) if owner is not None else "anyone"
        return f"Nothing due, moved or new for {comment_text(who) if fmt == 'markdown' else who} since {found.since} (as of {found.on})."
    return _markdown(found, links) if fmt == "markdown" else _text(found)


# --- markdown ------------------------------------------------------------------------------


def _markdown(found: Digest, links: Links | None) -> str:
    lines = [f"# OKR digest, {found.on}", "", f"Check-ins due on {found.on}, and what moved since {found.since}."]
    for entry in found.owners:
        name = comment_text(entry.person.name)
        lines += ["", f"## [{name}]({links.person(entry.person)})" if links else f"## {name}"]
        for title, items in _sections(entry, found, lambda kr: _md_kr(kr, links), comment_text, lambda s: _md_signal(s, links)):
            lines += ["", f"**{title}**", "", *(f"- {item}" for item in items)]
    return "\n".join(lines)


def _md_kr(kr: KeyResult, links: Links | None) -> str:
    title = comment_text(kr.title)
    return f"[{title}]({links.document(kr.objective.document, kr)})" if links else title


def _md_signal(signal: Signal, links: Links | None) -> str:
    doc = signal.document
    where = f"{comment_text(doc.team.name)} · {comment_text(doc.cycle.title)}"
    if links:
        where = f"[{where}]({links.signal(signal)})"
    return f"{where}: `{signal.code}` {comment_text(signal.message)}"


# --- text ----------------------------------------------------------------------------------


def _text(found: Digest) -> str:
    lines = [f"OKR digest, {found.on}: check-ins due on {found.on}, and what moved since {found.since}."]
    wrap = textwrap.TextWrapper(TEXT_WIDTH, initial_indent="    - ", subsequent_indent="      ", break_on_hyphens=False)

    def plain(text: str) -> str:
        return one_line(" ".join(text.split()))

    def signal(s: Signal) -> str:
        return f"{plain(s.document.team.name)} · {plain(s.document.cycle.title)}: [{s.code}] {plain(s.message)}"

    for entry in found.owners:
        lines += ["", plain(entry.person.name)]
        for title, items in _sections(entry, found, lambda kr: plain(kr.title), plain, signal):
            lines += [f"  {title}:", *(wrap.fill(item) for item in items)]
    return "\n".join(lines)


# --- both ----------------------------------------------------------------------------------


def _sections(
    entry: OwnerDigest,
    found: Digest,
    kr_name: Callable[[KeyResult], str],
    words: Callable[[str], str],
    signal: Callable[[Signal], str],
) -> Iterator[tuple[str, list[str]]]:
    """Each non-empty part of an owner's digest, its items worded by the format's `kr_name`, `words` and `signal`."""

    def where(kr: KeyResult) -> str:
        return f"{words(kr.objective.document.team.name)} · {words(kr.objective.title)} › {kr_name(kr)}"

    if entry.due:
        yield "Due a check-in", [f"{where(d.key_result)}: {_waiting(d)}" for d in entry.due]
    if entry.moved:
        yield f"Moved since {found.since}", [f"{where(m.key_result)}: {_moved(m, words)}" for m in entry.moved]
    if entry.new_signals:
        yield "New health signals", [signal(s) for s in entry.new_signals]


def _waiting(due: Due) -> str:
    days = f"{due.days} day{'s' * (due.days != 1)}"
    if due.last is None:
        return f"no check-in yet, {days} since {due.key_result.objective.document.cycle.id} began"
    return f"last check-in {due.last}, {days} ago"


def _moved(move: Move, words: Callable[[str], str]) -> str:
    unit = move.key_result.unit
    value = f"{words(_reading(move.value_was, unit))} → {words(_reading(move.value, unit))}"
    parts = [value, f"score {move.score_was:.2f} → {move.score:.2f}, {move.status}"]
    if move.confidence is not None:
        was = move.confidence_was
        parts.append(f"confidence {move.confidence}" if was in (None, move.confidence) else f"confidence {was} → {move.confidence}")
    count, last = len(move.checkins), move.checkins[-1].date
    parts.append(f"checked in {last}" if count == 1 else f"{count} check-ins, the last on {last}")
    return "; ".join(parts)


def _reading(value: Reading, unit: str | None) -> str:
    if isinstance(value, bool):
        return "done" if value else "not done"
    return "no value" if value is None else with_unit(written(value), unit)


# --- json ----------------------------------------------------------------------------------


def _json(found: Digest, links: Links | None, commit: str | None) -> dict[str, Any]:
    return {
        "as_of": found.on.isoformat(),
        "since": found.since.isoformat(),
        "compared_with": commit,
        "owners": [
            {
                "name": entry.person.name,
                "slug": entry.person.slug,
                "url": links.person(entry.person) if links else None,
                "due": [_json_due(d, links) for d in entry.due],
                "moved": [_json_move(m, links) for m in entry.moved],
                "new_signals": [_json_signal(s, links) for s in entry.new_signals],
            }
            for entry in found.owners
        ],
    }


def _json_kr(kr: KeyResult, links: Links | None) -> dict[str, Any]:
    doc = kr.objective.document
    return {
        "team": doc.team.id,
        "team_name": doc.team.name,
        "cycle": doc.cycle.id,
        "objective": kr.objective.id,
        "objective_title": kr.objective.title,
        "key_result": kr.id,
        "title": kr.title,
        "url": links.document(doc, kr) if links else None,
    }


def _json_due(due: Due, links: Links | None) -> dict[str, Any]:
    return {**_json_kr(due.key_result, links), "last_checkin": due.last.isoformat() if due.last else None, "days_waiting": due.days}


def _json_move(move: Move, links: Links | None) -> dict[str, Any]:
    return {
        **_json_kr(move.key_result, links),
        "kind": move.key_result.kind,
        "unit": move.key_result.unit,
        "checkins": [{"date": c.date.isoformat(), "value": c.value, "done": c.done, "confidence": c.confidence} for c in move.checkins],
        "value_was": move.value_was,
        "value": move.value,
        "score_was": round(move.score_was, 4),
        "score": round(move.score, 4),
        "status": move.status.label,
        "outdated": move.status.outdated,
        "confidence_was": move.confidence_was,
        "confidence": move.confidence,
    }


def _json_signal(signal: Signal, links: Links | None) -> dict[str, Any]:
    doc, kr = signal.document, signal.key_result
    return {
        "team": doc.team.id,
        "team_name": doc.team.name,
        "cycle": doc.cycle.id,
        "code": signal.code,
        "about": signal.about,
        "key_result": f"{kr.objective.id}/{kr.id}" if kr else None,
        "message": signal.message,
        "file": signal.loc.file,
        "line": signal.loc.line,
        "url": links.signal(signal) if links else None,
    }
