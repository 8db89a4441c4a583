"""People as the content names them: team leads, members and key result owners, across teams and cycles.

A person is a name. The same name written the same way (spaces, case and Unicode composition aside) is one
person, and two different names are two people however alike they look: okrsite never guesses that "A. Silva"
is "Ana Silva". Each person gets a slug, their id in page paths and in the export: the name in lowercase ASCII,
so that it stays readable in a URL, and never anything but letters, digits and `-`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ..content.model import Cycle, Document, KeyResult, Organisation, Team
from .score import checkin_age, last_checkin

SLUG_LENGTH = 60
"""At most this many characters of a name go into its slug: a path component stays short."""
_UNFOLDED = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "\u0131": "i", "ħ": "h"})
"""Latin letters that Unicode does not decompose into a base letter and an accent."""
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def person_key(name: str) -> str:
    """What two spellings of one person's name share: the words, in one Unicode form, case folded."""
    return unicodedata.normalize("NFC", " ".join(name.split())).casefold()


def slug_of(name: str) -> str:
    """The name as a slug before collisions are settled: "Zoë O'Neill" is `zoe-o-neill`.

    A name with no letter or digit that folds to ASCII gets `person-` and a short digest of its key instead.
    """
    return _slug_of_key(person_key(name))


def _slug_of_key(key: str) -> str:
    return ascii_slug(key) or "person-" + hashlib.blake2b(key.encode(), digest_size=4).hexdigest()


def ascii_slug(text: str) -> str:
    """`text` in lowercase ASCII, accents folded and anything else turned to `-`, at most SLUG_LENGTH characters
    (`okrsite import` makes ids so too); empty when nothing in it folds to a letter or digit."""
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_UNFOLDED)).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", folded).strip("-")[:SLUG_LENGTH].rstrip("-")


@dataclass(frozen=True)
class Role:
    team: Team
    lead: bool
    """Whether the person leads the team (`lead:`); else they are one of its `members:`."""

    @property
    def label(self) -> str:
        return "lead" if self.lead else "member"


@dataclass(frozen=True)
class Person:
    name: str
    """The name as most places write it (the first in sorted order on a tie), spaces normalised."""
    slug: str
    roles: list[Role]
    """The teams they lead, then those they are a member of, each by name; a lead listed as a member too is its lead."""
    key_results: list[KeyResult]
    """Every key result they own, in every team and cycle, in file order."""

    @property
    def leads(self) -> list[Team]:
        return [r.team for r in self.roles if r.lead]

    def led_documents(self) -> list[Document]:
        """The documents of the teams they lead: the objectives of a team are its lead's."""
        return [doc for team in self.leads for doc in team.documents.values()]

    def key_results_in(self, cycles: Iterable[Cycle]) -> list[KeyResult]:
        ids = {c.id for c in cycles}
        return [kr for kr in self.key_results if kr.objective.document.cycle.id in ids]


@dataclass(frozen=True)
class Due:
    """A key result of a running cycle whose last check-in is older than the cycle's `checkin_every` days."""

    key_result: KeyResult
    last: dt.date | None
    """Its last check-in up to the as-of date; None before the first."""
    days: int
    """Days since then (with no check-in yet: since the cycle began)."""


def due_checkins(person: Person, on: dt.date) -> list[Due]:
    """Their key results that are due a check-in on `on`, the longest waiting first."""
    due = []
    for kr in person.key_results:
        cycle = kr.objective.document.cycle
        last, days = checkin_age(kr, on)
        made = last_checkin(kr, on)
        finished = kr.score is not None or (kr.kind == "milestone" and made is not None and made.done is True)  # graded, or done
        if cycle.contains(on) and not finished and days > cycle.checkin_every:
            due.append(Due(kr, last, days))
    return sorted(due, key=lambda d: -d.days)


@dataclass(frozen=True)
class People:
    """Everyone the organisation names, by key; `everyone` in alphabetical order of their names."""

    by_key: dict[str, Person]
    everyone: list[Person]

    def of(self, name: str | None) -> Person | None:
        return self.by_key.get(person_key(name)) if name else None


def people(org: Organisation) -> People:
    spellings: dict[str, Counter[str]] = {}
    roles: dict[str, list[Role]] = {}
    owned: dict[str, list[KeyResult]] = {}

    def named(name: str | None) -> str | None:
        key = person_key(name or "")
        if not key:
            return None
        spellings.setdefault(key, Counter())[" ".join((name or "").split())] += 1
        return key

    for team in sorted(org.teams.values(), key=lambda t: (t.name.casefold(), t.id)):
        lead = named(team.lead)
        if lead:
            roles.setdefault(lead, []).append(Role(team, lead=True))
        for member in dict.fromkeys(k for name in team.members if (k := named(name)) and k != lead):
            roles.setdefault(member, []).append(Role(team, lead=False))
    for doc in org.documents():
        for objective in doc.objectives:
            for kr in objective.key_results:
                if owner := named(kr.owner):
                    owned.setdefault(owner, []).append(kr)
    slugs = _slugs(spellings)
    found = {}
    for key, counts in spellings.items():
        name = min(counts, key=lambda spelling: (-counts[spelling], spelling))
        own = sorted(roles.get(key, []), key=lambda r: not r.lead)  # stable: by team name within leads and members
        found[key] = Person(name, slugs[key], own, owned.get(key, []))
    everyone = sorted(found.values(), key=lambda p: (_alphabetical(p.name), p.name))
    return People(found, everyone)


def _alphabetical(name: str) -> str:
    """A name as a directory sorts it: case and accents aside, so that Élodie comes before Zoe."""
    return "".join(c for c in unicodedata.normalize("NFKD", person_key(name)) if not unicodedata.combining(c))


def _slugs(keys: Iterable[str]) -> dict[str, str]:
    """A distinct slug per key, the same for the same names whatever order the content lists them in.

    Keys whose slugs collide ("Ana Silva" and "Ana-Silva") take it in sorted order: the first gets it, the next
    ones `-2`, `-3`... skipping any slug another name has as its own.
    """
    groups: dict[str, list[str]] = {}
    for key in sorted(keys):
        groups.setdefault(_slug_of_key(key), []).append(key)
    taken = set(groups)
    slugs = {}
    for slug, group in sorted(groups.items()):
        slugs[group[0]] = slug
        n = 1
        for key in group[1:]:
            n += 1
            while f"{slug}-{n}" in taken:
                n += 1
            taken.add(f"{slug}-{n}")
            slugs[key] = f"{slug}-{n}"
    return slugs
