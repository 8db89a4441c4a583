"""`okrsite checkin`'s run: the check-ins from the arguments or a file, made all or nothing, and what is printed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ..analysis.facts import kr_facts
from ..analysis.rules import Scoring
from ..content.errors import one_line
from ..content.model import Organisation
from ..content.values import as_number
from ..site.charts import measured
from ..site.render import score_text
from ..sources.site_config import SiteConfig
from .checkin import Action, CheckinFailed, Entry, Made, Plan, plan_checkins, write_checkins
from .checkin_rows import RowsUnreadable, file_format, read_rows

ACTIONS: tuple[Action, ...] = ("added", "replaced", "unchanged")


def run_checkin(
    site: SiteConfig,
    on: dt.date,
    day: dt.date,
    *,
    team: str | None,
    key_result: str | None,
    value: str | None,
    done: bool | None,
    confidence: int | None,
    note: str | None,
    replace: bool,
    rows: Path | None,
    fmt: str | None,
) -> int:
    """Make the check-ins and print what became of them; the exit code (usage errors raise click's)."""
    errors: list[tuple[int, str]] = []
    if rows is not None:
        if team or key_result or value or done is not None or confidence is not None or note is not None:
            raise click.UsageError("--from reads every check-in from FILE: give no TEAM, KR, VALUE, --done, --confidence or --note")
        try:
            entries, errors = read_rows(rows, file_format(rows, fmt), day)
        except RowsUnreadable as exc:
            raise click.UsageError(str(exc)) from None
    else:
        if fmt is not None:
            raise click.UsageError("--format is the format of --from FILE")
        if team is None or key_result is None:
            raise click.UsageError("expected TEAM and KR (objective/kr), then VALUE or --done/--not-done; or --from FILE")
        entries = [Entry("okrsite checkin", team, key_result, day, _number(value, done), done, confidence, note)]
    try:
        plan = plan_checkins(site.root, site.content, entries, replace)
        errors = sorted(errors + plan.errors, key=lambda error: error[0])  # by line, each line's in the order found
        if errors:
            raise CheckinFailed([message for _, message in errors], f"{len(errors)} check-in(s) cannot be made; nothing written")
        written = write_checkins(plan)
    except CheckinFailed as exc:
        for line in exc.errors:
            click.echo(line, err=True)
        click.echo(f"okrsite checkin: {exc.summary}", err=True)
        return 1
    except OSError as exc:
        click.echo(f"okrsite checkin: could not write {one_line(str(exc.filename))} ({exc.strerror or exc})", err=True)
        return 1
    for file in written.relaid:
        click.echo(f"{file}: note: ruamel.yaml wrote other lines its own way too (spacing YAML does not keep); review the diff", err=True)
    if rows is None:
        [made] = plan.made
        what = "nothing to change, it has this check-in already" if made.action == "unchanged" else f"{made.action} the check-in"
        click.echo(f"{made.file}: {made.name} on {made.entry.date}: {what}; {one_line(figures(written.org, made, on, site.rules.scoring))}")
    else:
        _summarise(plan)
    return 0


def figures(org: Organisation, made: Made, on: dt.date, rules: Scoring) -> str:
    """The key result after the check-in as its pages word it: value, score and status, as of `on` or the check-in's day."""
    objective_id, _, kr_id = made.name.partition("/")
    objective = org.teams[made.team].documents[made.cycle].objective(objective_id)
    kr = objective.key_result(kr_id) if objective is not None else None
    assert kr is not None, "the check-in was written into this key result"
    day = max(on, made.entry.date)
    facts = kr_facts(kr, day, rules)
    if kr.kind == "milestone":
        value = "done" if facts.checkins and facts.checkins[-1].done else "not done yet"
    else:
        value = measured(facts.current, kr.unit)
    graded = " (graded)" if facts.graded else ""
    return f"as of {day}: {value}, score {score_text(facts.score)}{graded}, {facts.status}"


def _number(value: str | None, done: bool | None) -> float | None:
    """VALUE as a number; a milestone's check-in gives --done or --not-done instead."""
    if done is not None:
        if value is not None:
            raise click.UsageError(f"found VALUE {one_line(value)!r} and --{'done' if done else 'not-done'}; give one of the two")
        return None
    if value is None:
        raise click.UsageError("expected VALUE (a number), or --done / --not-done for a milestone")
    number = as_number(value)
    if number is None:
        expected = "expected a number (a milestone takes --done or --not-done)"
        raise click.BadParameter(f"found {one_line(value)!r}; {expected}", param_hint="VALUE")
    return number


def _summarise(plan: Plan) -> None:
    """Per document, how many check-ins were added, replaced or already there; then the totals."""
    files: dict[str, dict[Action, int]] = {}
    for made in plan.made:
        counts = files.setdefault(made.file, dict.fromkeys(ACTIONS, 0))
        counts[made.action] += 1
    for file, counts in files.items():
        click.echo(f"{file}: " + ", ".join(f"{n} {action}" for action, n in counts.items() if n))
    total = {action: sum(c[action] for c in files.values()) for action in ACTIONS}
    files_count = len(files)
    click.echo(", ".join(f"{total[a]} {a}" for a in ACTIONS) + f" in {files_count} file{'s' * (files_count != 1)}", err=True)
