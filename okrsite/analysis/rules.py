"""Every number that judges OKRs, in one typed model: the landed line, the status bands and the health thresholds.

SPEC's values are the defaults. A site changes them in mkdocs.yml, under the okrsite plugin's `scoring` and
`health` options; `okrsite check` and the plugin read them through `Rules.from_options`, so both judge alike.
Each field's docstring is its documentation (the README's table of options is checked against them).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Annotated, Any, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict, ValidationError, ValidationInfo, field_validator, model_validator


class Expected:
    """What a setting must be, in the words of an error message ("a number from 0 to 1")."""

    def __init__(self, words: str, items: str | None = None) -> None:
        self.words, self.items = words, items


def _low_first(band: tuple[Any, Any]) -> tuple[Any, Any]:
    if band[0] > band[1]:
        raise ValueError(f"found {band[0]} above {band[1]}; expected the low value first")
    return band


def _words(words: tuple[str, ...]) -> tuple[str, ...]:
    if not all(w.strip() for w in words):
        raise ValueError(f"found {list(words)!r}; expected a list of words")
    return tuple(" ".join(w.lower().split()) for w in words)


Score = Annotated[float, Strict(), Field(ge=0, le=1), Expected("a number from 0 to 1")]
_StrictScore = Annotated[float, Strict(), Field(ge=0, le=1)]
_Confidence = Annotated[int, Strict(), Field(ge=1, le=10)]
ScoreBand = Annotated[
    tuple[_StrictScore, _StrictScore], AfterValidator(_low_first), Expected("a list of two values, low and high", "a number from 0 to 1")
]
ConfidenceBand = Annotated[
    tuple[_Confidence, _Confidence],
    AfterValidator(_low_first),
    Expected("a list of two values, low and high", "a confidence, a whole number from 1 to 10"),
]
Count = Annotated[int, Strict(), Field(ge=1), Expected("a whole number of at least 1")]
Days = Annotated[int, Strict(), Field(ge=0), Expected("a whole number of at least 0")]
Periods = Annotated[float, Strict(), Field(gt=0), Expected("a number above 0")]
Words = Annotated[tuple[Annotated[str, Strict()], ...], AfterValidator(_words), Expected("a list of words")]
Codes = Annotated[frozenset[Annotated[str, Strict()]], Expected("a list of signal codes")]


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Scoring(_Section):
    """How scores become statuses and summaries (SPEC section 3)."""

    landed: Score = 0.9
    """A committed key result has landed at this score or more: the summaries' landed share, the miscalibrated
    signal, confidence calibration, and new-cycle, which does not carry a committed objective that landed."""
    aspirational_landed: Score = 0.7
    """An aspirational objective or key result scoring this much or more has landed: new-cycle does not carry it over,
    and confidence calibration counts it as landed."""
    green: Score = 0.7
    """After a cycle ends, a score of this much or more is green."""
    yellow: Score = 0.4
    """After a cycle ends, a score of this much or more (and below green) is yellow; below it, red."""
    on_track_margin: Score = 0.1
    """While a cycle runs, a score at most this far below the expected progress is on track."""
    at_risk_margin: Score = 0.3
    """While a cycle runs, a score at most this far below the expected progress (and not on track) is at risk;
    further below, off track."""
    outdated_after: Periods = 2.0
    """A running cycle's status is marked outdated when its last check-in is older than this many check-in periods."""

    @model_validator(mode="after")
    def _bands_in_order(self) -> Self:
        if self.yellow > self.green:
            raise ValueError(f"yellow: found {self.yellow:g} above green {self.green:g}; expected yellow at most green")
        if self.on_track_margin > self.at_risk_margin:
            message = f"found {self.on_track_margin:g} above at_risk_margin {self.at_risk_margin:g}; expected the smaller margin"
            raise ValueError(f"on_track_margin: {message}")
        return self


class Health(_Section):
    """The thresholds of the practice-health signals (SPEC section 4), and the signals a site switches off."""

    max_objectives: Count = 5
    """too-many-okrs: more objectives than this in one document."""
    max_key_results: Count = 5
    """too-many-okrs: more key results than this in one objective."""
    activity_verbs: Words = (
        "launch", "ship", "build", "implement", "create", "write", "hold", "run", "deliver", "release",
        "migrate", "deploy", "develop", "redesign", "rewrite", "complete", "finish", "publish", "roll out",
        "set up", "introduce", "organise", "organize", "host", "conduct", "hire", "integrate", "prepare", "refactor",
    )  # fmt: skip
    """output-not-outcome: a key result whose title starts with one of these counts work done, not the change it brings.
    Words that often start an outcome as a noun ("Design partners...", "Upgrade rate...") are left out."""
    actionable_after_days: Days = 14
    """not-actionable: the days a team has, from the cycle's start, to name an initiative for each key result."""
    forget_factor: Periods = 2.0
    """set-and-forget: a running key result is forgotten when its last check-in (or, with none, the cycle's start) is
    more than this many check-in periods old."""
    sandbag_score: Score = 0.9
    """sandbagging: every key result of a team scored this much or more..."""
    sandbag_cycles: Count = 2
    """sandbagging: ...in this many ended cycles in a row."""
    aspirational_band: ScoreBand = (0.6, 0.8)
    """miscalibrated: aspirational key results should average within this band once their cycle ended (committed ones
    should reach `scoring.landed`)."""
    stuck_min_confidences: Count = 4
    """confidence-stuck: fewer confidences than this in a document say too little to call them stuck."""
    stuck_band: ConfidenceBand = (6, 8)
    """confidence-stuck: every confidence of a document within this band."""
    calibration_cycles: Count = 2
    """confidence-miscalibrated: a team's last this many ended cycles are judged together, their confidences at mid-cycle
    (the last given on or before the cycle's midpoint) read as forecasts, confidence / 10, that each key result lands..."""
    calibration_min_krs: Count = 6
    """confidence-miscalibrated: ...when at least this many key results of those cycles had one..."""
    calibration_gap: Score = 0.25
    """confidence-miscalibrated: ...and the mean forecast is this much or more above the share that landed (over-confident)
    or below it (under-confident)."""
    no_action_words: Words = (
        "nothing", "nothing to change", "nothing to do", "nothing new", "no change", "no changes", "none", "n/a", "na",
        "tbd", "-", "same as before", "as before", "keep as is", "keep everything as is", "carry on", "continue as is",
    )  # fmt: skip
    """retro-without-action: a retrospective change that says only one of these (case, spaces and a final full stop
    aside) commits to nothing."""
    disabled: Codes = frozenset()
    """The codes of the signals this site does not want (it is not called `off`: YAML reads that key as false)."""

    @field_validator("disabled")
    @classmethod
    def _known_codes(cls, codes: frozenset[str], info: ValidationInfo) -> frozenset[str]:
        known: tuple[str, ...] | None = (info.context or {}).get("codes")
        unknown = sorted(c for c in codes if known is not None and c not in known)
        if unknown and known is not None:
            raise ValueError(f"unknown signal {unknown[0]!r}; expected some of {', '.join(known)}")
        return codes


MOVED = {("health", "committed_landed"): ("scoring", "landed")}
"""Options that moved: the old spelling still works, with a warning."""


class RulesError(ValueError):
    """A `scoring` or `health` option that is not what it must be; the message names the option, what was found and what was expected."""


class Rules(_Section):
    scoring: Scoring = Scoring()
    health: Health = Health()

    @classmethod
    def from_options(cls, options: Mapping[str, object], codes: Collection[str] | None = None) -> tuple[Rules, list[str]]:
        """The rules of a site from its plugin options (`scoring:` and `health:` as written in YAML), and warnings.

        RulesError names every bad option; `codes` are the signal codes that `health.disabled` may name.
        """
        sections: dict[str, dict[str, object]] = {}
        errors, warnings = [], []
        for name in cls.model_fields:
            value = options.get(name)
            if value is None:
                sections[name] = {}
            elif isinstance(value, Mapping):
                sections[name] = dict(value)
            else:
                errors.append(f"{name}: found {value!r}; expected a mapping of options")
        for (old_section, old), (new_section, new) in MOVED.items():
            if old in sections.get(old_section, {}):
                warnings.append(f"{old_section}: {old} is now {new_section}: {new}; okrsite read it there")
                sections.setdefault(new_section, {}).setdefault(new, sections[old_section].pop(old))
        if errors:
            raise RulesError("\n".join(errors))
        try:
            return cls.model_validate(sections, context={"codes": tuple(codes) if codes is not None else None}), warnings
        except ValidationError as exc:
            raise RulesError("\n".join(explained(exc, cls))) from None


def explained(exc: ValidationError, model: type[BaseModel], shown: Callable[[object], str] = repr) -> list[str]:
    """Each of pydantic's errors in our words: `health: max_objectives: found 'five'; expected a whole number of at least 1`.

    The words of what was expected come from the field's `Expected` annotation; a validator's own words stay as they are.
    """
    lines = []
    for error in exc.errors():
        owner, names = model, []
        for part in (str(p) for p in error["loc"]):
            info = owner.model_fields.get(part)
            if info is None:
                break
            names.append(part)
            if not (isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel)):
                break
            owner = info.annotation
        where = "".join(f"{name}: " for name in names)
        if error["type"] == "extra_forbidden":
            lines.append(f"{where}unknown option {str(error['loc'][-1])!r}; expected one of {', '.join(owner.model_fields)}")
        elif "error" in error.get("ctx", {}):
            lines.append(f"{where}{error['ctx']['error']}")
        else:
            info = owner.model_fields.get(names[-1]) if names else None
            expected = next((m for m in info.metadata if isinstance(m, Expected)), None) if info else None
            item = len(error["loc"]) > len(names)
            words = (expected.items if item and expected.items else expected.words) if expected else error["msg"].lower()
            lines.append(f"{where}found {shown(error['input'])}; expected {words}")
    return lines
