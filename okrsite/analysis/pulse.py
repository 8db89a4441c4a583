"""The pulse survey across cycles: each question's mean answer, cycle by cycle, for a team or many.

A question is the same across cycles when its text is, case and spaces aside. Several teams' answers to one
question in one cycle make one mean, each team's weighted by how many people answered its survey.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..content.model import Cycle, Document


def question_key(text: str) -> str:
    """What makes two questions the same: their words, whatever their case and spacing."""
    return " ".join(text.lower().split())


@dataclass(frozen=True)
class PulseLine:
    """One question across cycles."""

    text: str
    """The question as last asked, its spaces tidied."""
    means: list[float | None]
    """Its mean answer (1 to 5) in each cycle, in the order of the cycles given; None where it was not asked."""
    responses: list[int]
    """How many people answered it in each cycle."""


def pulse_trend(cycles: Sequence[tuple[Cycle, Sequence[Document]]]) -> list[PulseLine]:
    """Each question asked in these documents (grouped by cycle, oldest first), in the order first asked.

    A survey nobody answered (`responses: 0`) weighs nothing and is left out.
    """
    texts: dict[str, str] = {}
    sums: dict[str, list[float]] = {}
    counts: dict[str, list[int]] = {}
    for i, (_, docs) in enumerate(cycles):
        for doc in docs:
            pulse = doc.pulse
            if pulse is None or pulse.responses == 0:
                continue
            for question in pulse.questions:
                key = question_key(question.text)
                texts[key] = " ".join(question.text.split())
                sums.setdefault(key, [0.0] * len(cycles))[i] += question.score * pulse.responses
                counts.setdefault(key, [0] * len(cycles))[i] += pulse.responses
    return [PulseLine(texts[key], [s / n if n else None for s, n in zip(sums[key], counts[key], strict=True)], counts[key]) for key in sums]
