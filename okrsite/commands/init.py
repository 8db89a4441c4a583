"""`okrsite init`: a new OKR repository that builds at once, with editor schemas and CI for both forges."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from importlib.resources import files as package_files
from pathlib import Path

from .. import __version__
from ..content.schema import SCHEMAS, json_schema


class InitError(Exception):
    """The folder already holds a site; nothing was written."""


@dataclass(frozen=True)
class Quarter:
    id: str
    name: str
    start: dt.date
    end: dt.date


def quarter_of(day: dt.date) -> Quarter:
    """The calendar quarter containing `day`, from its first Monday to the Friday twelve weeks later."""
    number = (day.month - 1) // 3 + 1
    first = dt.date(day.year, 3 * number - 2, 1)
    start = first + dt.timedelta(days=(7 - first.weekday()) % 7)
    if day < start:
        start -= dt.timedelta(days=7)
    return Quarter(f"{day.year}-Q{number}", f"Q{number} {day.year}", start, start + dt.timedelta(days=81))


def init_site(folder: Path, name: str, today: dt.date) -> list[Path]:
    """Write a new OKR repository into `folder`; returns the files written."""
    if (folder / "mkdocs.yml").exists() or (folder / "content").exists():
        raise InitError(f"{folder} already holds a site (mkdocs.yml or content/); nothing was written")
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "company"
    cycle = quarter_of(today)
    values = {"name": name, "slug": slug, "version": __version__, "today": today.isoformat()}
    values |= {"cycle.id": cycle.id, "cycle.name": cycle.name, "cycle.start": cycle.start.isoformat(), "cycle.end": cycle.end.isoformat()}
    plan = {
        "mkdocs.yml": "mkdocs.yml",
        "content/cycles.yml": "cycles.yml",
        f"content/teams/{slug}/team.yml": "team.yml",
        f"content/teams/{slug}/{cycle.id}.yml": "document.yml",
        ".gitignore": "gitignore",
        ".vscode/settings.json": "vscode-settings.json",
        "requirements-okrsite.txt": "requirements-okrsite.txt",
        ".github/workflows/okrs.yml": "github-workflow.yml",
        ".github/dependabot.yml": "dependabot.yml",
        ".gitlab-ci.yml": "gitlab-ci.yml",
    }
    written = []
    scaffold = package_files("okrsite.commands").joinpath("scaffold")
    for target, source in plan.items():
        text = scaffold.joinpath(source).read_text(encoding="utf-8")
        for key, value in values.items():
            text = text.replace("{{ " + key + " }}", value)
        written.append(_write(folder / target, text))
    for kind in SCHEMAS:
        written.append(_write(folder / ".okrsite/schemas" / f"{kind}.json", json.dumps(json_schema(kind), indent=2) + "\n"))
    return written


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as out:  # never overwrite a file the team wrote
        out.write(text)
    return path
