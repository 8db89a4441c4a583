"""An organisation whose alignment maps are hard to draw: long titles and names, a wide level, edges that skip levels.

Acme (the root, with a long name) has one department, Engineering, of ten teams,
one of which has a team of its own. Teams align to Engineering and, skipping it,
to Acme; Engineering both aligns to and depends on one Acme objective; teams of
one level depend on each other, one of them on an objective that is off track (a
broken dependency) and one on an objective on track (a sound one).
"""

from __future__ import annotations

AS_OF = "2026-05-18"
ROOT_NAME = "Acme Consolidated Widgets and Rocket Skates International"
LONG_TITLE = (
    "Every customer who calls on a Monday morning reaches a person who can fix their problem before lunch, "
    "in any of the fourteen languages we sell in, without being transferred twice"
)
LONG_WORD = "Supercalifragilisticexpialidocious-checkout-reliability"
TEAMS = [
    ("payments", "Payments, Billing and Revenue Recognition Platform"),
    ("search", "Search"),
    ("checkout", "Checkout"),
    ("catalogue", "Catalogue"),
    ("mobile", "Mobile"),
    ("web", "Web"),
    ("data", "Data and Analytics"),
    ("infra", "Infrastructure"),
    ("security", "Security"),
    ("support-tools", "Support Tools"),
]
BROKEN = ("checkout", "catalogue")
"""Checkout depends on Catalogue's first objective, which is off track."""
SOUND = ("mobile", "web")
"""Mobile depends on Web's first objective, which is on track."""


def _objective(
    oid: str, title: str, aligns: tuple[str, ...] = (), depends: tuple[str, ...] = (), value: int = 60, kind: str = "committed"
) -> str:
    lines = [f"  - id: {oid}", f"    title: {title}", f"    type: {kind}"]
    if aligns:
        lines.append(f"    aligns_to: [{', '.join(aligns)}]")
    lines += [
        "    key_results:",
        f"      - id: {oid}-kr",
        f"        title: How far {oid} got",
        "        baseline: 0",
        "        target: 100",
    ]
    if depends:
        lines.append(f"        depends_on: [{', '.join(depends)}]")
    lines.append(f"        checkins: [{{date: 2026-05-11, value: {value}}}]")
    return "\n".join(lines) + "\n"


def _document(*objectives: str) -> str:
    return "objectives:\n" + "".join(objectives)


def _teams() -> dict[str, str]:
    files = {}
    for i, (team, name) in enumerate(TEAMS):
        depends: tuple[str, ...] = ()
        if team == BROKEN[0]:
            depends = (f"{BROKEN[1]}/{BROKEN[1]}-first",)
        elif team == SOUND[0]:
            depends = (f"{SOUND[1]}/{SOUND[1]}-first",)
        elif i == 0:
            depends = (f"{TEAMS[-1][0]}/{TEAMS[-1][0]}-second",)  # across the wrapped level
        value = 5 if team == BROKEN[1] else 80 if team == SOUND[1] else 60
        first = LONG_TITLE if i == 0 else f"{name} makes the {['quick', 'steady', 'careful'][i % 3]} path the easy one for everyone"
        files[f"content/teams/{team}/team.yml"] = f"name: {name}\nparent: engineering\n"
        files[f"content/teams/{team}/2026-Q2.yml"] = _document(
            _objective(f"{team}-first", first, (f"engineering/eng-{i % 3}",), depends, value),
            _objective(f"{team}-second", f"{name} cuts toil in half", (f"acme/acme-{i % 3}",), kind="aspirational"),
        )
    return files


MAP_ORG = {
    "mkdocs.yml": "site_name: Acme OKRs\ntheme: {name: material}\nplugins: [search, okrsite]\n",
    "content/cycles.yml": "cycles:\n  - {id: 2026-Q2, start: 2026-04-06, end: 2026-06-26}\n",
    "content/teams/acme/team.yml": f"name: {ROOT_NAME}\n",
    "content/teams/acme/2026-Q2.yml": _document(
        _objective("acme-0", "Customers pick Acme first"),
        _objective("acme-1", LONG_WORD),
        _objective("acme-2", "Nothing breaks", value=40),
    ),
    "content/teams/engineering/team.yml": "name: Engineering\nparent: acme\n",
    "content/teams/engineering/2026-Q2.yml": _document(
        _objective("eng-0", "We ship small changes every day", ("acme/acme-0",), ("acme/acme-0",)),
        _objective("eng-1", "Incidents are rare and short", ("acme/acme-2",)),
        _objective("eng-2", "Platform and data teams are fully staffed", ("acme/acme-1",)),
    ),
    **_teams(),
    "content/teams/ledger/team.yml": "name: Ledger\nparent: payments\n",
    "content/teams/ledger/2026-Q2.yml": _document(_objective("ledger-exact", "The ledger balances to the cent", ("acme/acme-1",))),
}
PAGES = {
    "team cycle": "teams/payments/2026-Q2/index.html",
    "team": "teams/payments/index.html",
    "cycle": "cycles/2026-Q2/index.html",
    "alignment": "alignment/2026-Q2/index.html",
    "department": "alignment/2026-Q2/engineering/index.html",
}
"""Every kind of page that shows a map."""
