"""Each team's part of the files put together from every team: the exports and the cycle reviews.

Under `serve`, a team that an edit cannot reach keeps its parts of the last generation (incremental.py), as its team
page is kept, and the files are joined again from the parts: at 200 teams, making every team's part again was a
fifth of a reload for `okrs.json` alone.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field


@dataclass
class TeamParts:
    json: dict[str, bytes] = field(default_factory=dict)
    """Each team's object in `okrs.json`, by team id."""
    csv: dict[str, str] = field(default_factory=dict)
    """Each team's rows, as `okrs.csv` holds them."""
    reviews: dict[tuple[str, str], str] = field(default_factory=dict)
    """Each team's part of a cycle's review page (its Markdown), by team id and cycle id."""

    def only(self, teams: Collection[str]) -> TeamParts:
        """The parts of `teams`."""
        return TeamParts(
            {t: part for t, part in self.json.items() if t in teams},
            {t: rows for t, rows in self.csv.items() if t in teams},
            {key: part for key, part in self.reviews.items() if key[0] in teams},
        )
