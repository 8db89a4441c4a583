"""The SVG charts: positions computed from the figures, text alternatives, links that resolve from the page."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest

from okrsite.analysis.facts import kr_facts
from okrsite.content.model import Cycle
from okrsite.site.charts import HistoryPoint, confidence, history, trajectory

from ..analysis.test_score import INCREASE, one_kr
from ..conftest import ACME
from .test_site import WEB


def parse(svg: str) -> ET.Element:
    """Inline SVG in HTML carries no namespace; as XML it must still be well formed."""
    return ET.fromstring(str(svg))


EM = 0.6
"""A character's width in em, as a generous estimate for the sans-serif fonts of themes."""


@dataclass(frozen=True)
class Box:
    text: str
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        return self.left < other.right and other.left < self.right and self.top < other.bottom and other.top < self.bottom

    def crossed_by(self, a: tuple[float, float], b: tuple[float, float]) -> bool:
        """Whether the segment a-b passes through the box, checked at a hundred points along it."""
        return any(
            self.left < a[0] + t * (b[0] - a[0]) < self.right and self.top < a[1] + t * (b[1] - a[1]) < self.bottom
            for t in (i / 100 for i in range(101))
        )


def text_boxes(root: ET.Element) -> list[Box]:
    """Every text of a chart as the box it takes, its width estimated from its characters."""
    size = float(root.get("font-size"))
    boxes = []
    for t in root.iter("text"):
        width = len(t.text) * size * EM
        x, y = float(t.get("x")), float(t.get("y"))
        left = x - {"start": 0, "middle": width / 2, "end": width}[t.get("text-anchor", "start")]
        boxes.append(Box(t.text, left, y - 0.8 * size, left + width, y + 0.25 * size))
    return boxes


def segments(root: ET.Element, css: str) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    found = []
    for line in root.iter("line"):
        if line.get("class") == css:
            found.append(((float(line.get("x1")), float(line.get("y1"))), (float(line.get("x2")), float(line.get("y2")))))
    for poly in root.iter("polyline"):
        if poly.get("class") == css:
            points = [tuple(map(float, p.split(","))) for p in poly.get("points").split()]
            found.extend(itertools.pairwise(points))
    return found


def assert_labels_apart(root: ET.Element) -> None:
    boxes = text_boxes(root)
    _, _, width, height = map(float, root.get("viewBox").split())
    for box in boxes:
        assert box.left >= 0 and box.right <= width and box.top >= 0 and box.bottom <= height, box
    clashes = [(a.text, b.text) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if a.overlaps(b)]
    assert clashes == []


def cycle(i: int, name: str | None = None) -> Cycle:
    start = dt.date(2024, 1, 1) + dt.timedelta(days=91 * i)
    return Cycle(id=f"c{i}", name=name, start=start, end=start + dt.timedelta(days=84))


def test_history_bars_are_proportional_to_the_scores():
    points = [HistoryPoint(cycle(0), "ended", 0.8, 1.0, 0.5), HistoryPoint(cycle(1), "ended", 0.3, 0.25, None)]
    root = parse(history(points, "Web"))
    widths = [float(r.get("width")) for r in root.iter("rect") if r.get("width") != "10"]  # legend swatches are 10 wide
    assert widths == [widths[0], 4 * widths[0], 2 * widths[0]]  # newest first: 0.25; then 1.0 and 0.5
    assert root.findtext("desc") == "c1: committed landed 0.25, aspirational mean –; c0: committed landed 1.00, aspirational mean 0.50"


def test_history_labels_never_overlap_with_many_cycles_and_long_names():
    names = ["Fiscal year 2026, first half (extended to July)", "Q3", "Sprint-of-the-great-migration-to-the-new-platform"]
    points = [HistoryPoint(cycle(i, names[i % 3] + f" {i}"), "ended", 0.5, i / 11, 1 - i / 11) for i in range(12)]
    root = parse(history([*points, HistoryPoint(cycle(12, names[0]), "running", 0.98, 0.0, 0.1)], "Web"))
    assert_labels_apart(root)
    shown = " ".join(t.text for t in root.iter("text"))
    assert "Sprint-of-the-great-migration-to-the-new-platform 11".replace(" ", "") in shown.replace(" ", "")  # wrapped, not cut


def test_a_running_cycle_is_not_drawn_as_landing_nothing():
    points = [HistoryPoint(cycle(0), "ended", 0.9, 1.0, 0.7), HistoryPoint(cycle(1), "running", 0.45, 0.0, 0.5)]
    root = parse(history(points, "Web"))
    texts = [t.text for t in root.iter("text")]
    assert "0.00" not in texts and "running" in texts and "0.45 so far" in texts
    bars = [(r.get("class"), float(r.get("width"))) for r in root.iter("rect") if r.get("width") != "10"]
    assert bars[0][0] == "okr-running" and bars[0][1] > 0  # outlined, the length of its score so far
    assert [c for c, _ in bars[1:]] == ["okr-committed", "okr-aspirational"]
    assert root.findtext("desc").startswith("c1: running, score so far 0.45; c0: committed landed 1.00")
    assert "not started" in [t.text for t in parse(history([HistoryPoint(cycle(2), "not started", None, None, None)], "Web")).iter("text")]


def test_history_chart_is_an_image_without_links():
    root = parse(history([HistoryPoint(cycle(0), "ended", 0.8, 1.0, 0.5)], "Web"))
    assert root.get("role") == "img" and root.findtext("title") == "Web: scores by cycle"
    assert list(root.iter("a")) == []  # an image cannot hold links: the table under it links each cycle


def test_trajectory_plots_checkins_against_the_expected_line():
    doc = one_kr(INCREASE)
    kf = kr_facts(doc.objectives[0].key_results[0], dt.date(2026, 5, 18))
    svg = str(trajectory(kf, doc.cycle, dt.date(2026, 5, 18)))
    root = parse(svg)
    assert root.findtext("title") == "Trajectory of K"
    assert "2026-04-20: 30; 2026-05-04: 40; 2026-05-11: 50" in root.findtext("desc")
    points = [tuple(map(float, p.split(","))) for p in root.find("polyline").get("points").split()]
    assert [x for x, _ in points] == sorted(x for x, _ in points)  # in date order
    assert points[0][1] > points[1][1] > points[2][1]  # rising values are drawn higher
    expected = root.find("line[@class='okr-expected']")
    assert float(expected.get("y1")) > float(expected.get("y2"))  # from baseline up to target
    assert "as of 18 May" in svg


def test_confidence_chart_has_a_text_alternative():
    doc = one_kr(INCREASE)
    kf = kr_facts(doc.objectives[0].key_results[0], dt.date(2026, 5, 18))
    root = parse(confidence(kf, doc.cycle, dt.date(2026, 5, 18)))
    assert root.get("role") == "img"
    assert root.findtext("desc") == "Confidence out of 10: 2026-04-20: 5; 2026-05-04: 7; 2026-05-11: 6."


def test_chart_text_is_escaped():
    doc = one_kr(INCREASE.replace("title: K", "title: '<script>x</script>'"))
    kf = kr_facts(doc.objectives[0].key_results[0], dt.date(2026, 5, 18))
    svg = str(trajectory(kf, doc.cycle, dt.date(2026, 5, 18)))
    assert "<script>" not in svg and re.search(r"&lt;script&gt;", svg)


LATENCY = """\
- id: k
  title: P95 latency
  baseline: 800
  target: 400
  unit: ms
  checkins:
    - {date: 2026-04-20, value: 760, confidence: 5}
    - {date: 2026-05-11, value: 700, confidence: 7}
    - {date: 2026-06-15, value: 420, confidence: 8}
"""
UPTIME = """\
- id: k
  title: Availability
  keep_above: 99.9
  unit: "%"
  checkins:
    - {date: 2026-04-20, value: 99.95}
    - {date: 2026-05-11, value: 99.8}
    - {date: 2026-06-22, value: 99.93}
"""
# every as-of day from the first check-in to the last day, and KRs whose lines cross the labels' first places
DAYS = [dt.date(2026, 4, 20) + dt.timedelta(days=d) for d in range(0, 68, 3)]
TOWARDS_TARGET = INCREASE.replace("value: 50", "value: 59").replace("value: 40", "value: 58")


@pytest.mark.parametrize("kr", [INCREASE, LATENCY, UPTIME, TOWARDS_TARGET], ids=["rising", "falling", "health", "near-target"])
def test_reference_line_labels_keep_clear_of_each_other_and_of_the_lines(kr):
    doc = one_kr(kr)
    named = {"target", "expected", "keep above"}
    for on in DAYS:
        root = parse(trajectory(kr_facts(doc.objectives[0].key_results[0], on), doc.cycle, on))
        assert_labels_apart(root)
        lines = [s for css in ("okr-target", "okr-expected", "okr-asof", "okr-actual") for s in segments(root, css)]
        for box in text_boxes(root):
            if box.text in named or box.text.startswith("as of"):
                assert not any(box.crossed_by(*s) for s in lines), (on, box)
        texts = [t.text for t in root.iter("text")]
        assert f"as of {on:%d %b}" in texts, on
        assert named & set(texts), on


@pytest.mark.parametrize(("kr", "last"), [(INCREASE, "50"), (LATENCY, "420 ms"), (UPTIME, "99.93%")])
def test_the_last_point_carries_its_value_and_unit(kr, last):
    doc = one_kr(kr)
    on = dt.date(2026, 6, 26)
    root = parse(trajectory(kr_facts(doc.objectives[0].key_results[0], on), doc.cycle, on))
    point = list(root.iter("circle"))[-1]
    x, y = float(point.get("cx")), float(point.get("cy"))
    value = next(b for b in text_boxes(root) if b.text == last)
    assert max(value.left - x, x - value.right, 0) <= 10 and max(value.top - y, y - value.bottom, 0) <= 10  # beside the point
    assert f": {last}; " in root.findtext("desc")


def test_every_chart_names_its_values_in_its_text_alternative():
    doc = one_kr(LATENCY)
    on = dt.date(2026, 5, 18)
    kf = kr_facts(doc.objectives[0].key_results[0], on)
    charts = {
        "trajectory": (trajectory(kf, doc.cycle, on), ["2026-04-20: 760 ms", "2026-05-11: 700 ms", "800 ms", "400 ms"]),
        "confidence": (confidence(kf, doc.cycle, on), ["2026-04-20: 5", "2026-05-11: 7"]),
        "history": (
            history([HistoryPoint(cycle(0, "Q2 2026"), "ended", 0.8, 0.72, 0.65)], "Web"),
            ["Q2 2026: committed landed 0.72, aspirational mean 0.65"],
        ),
    }
    for kind, (chart, values) in charts.items():
        root = parse(chart)
        assert root.get("role") == "img" and root.findtext("title"), kind
        for value in values:
            assert value in root.findtext("desc"), (kind, value)


def test_pages_show_a_running_cycle_on_track_rather_than_landing_none(repo, okrsite):
    on_track = ACME[WEB].replace("value: 700", "value: 500")  # 0.75 when the cycle is 52% through
    ended = ACME[WEB].replace("value: 700", "value: 420").replace("2026-05-11", "2026-03-02")  # 0.95: landed
    ended = re.sub(r"\n\s*(aligns_to|depends_on): .*", "", ended)
    root = repo({WEB: on_track, "content/teams/web/2026-Q1.yml": ended})
    result = okrsite(root, "build", "--as-of", "2026-05-18")
    assert result.exit_code == 0, result.output
    team = (root / "site/teams/web/index.html").read_text(encoding="utf-8")
    chart = parse(re.search(r"<svg class=\"okr-chart okr-chart-history\".*?</svg>", team, re.S).group(0))
    assert [t.text for t in chart.iter("text")][3:8] == ["2026-Q2", "running", "0.75 so far", "2026-Q1", "1.00"]
    assert "2026-Q2: running, score so far 0.75; 2026-Q1: committed landed 1.00" in chart.findtext("desc")
    rows = re.findall(
        r"<tr><td><a [^>]+>(2026-Q\d)</a>.*?</td><td class=\"okr-num\">([^<]*)</td><td class=\"okr-num\">[^<]*</td></tr>", team
    )
    assert rows == [("2026-Q2", "1 of 1 on track"), ("2026-Q1", "1 of 1")]
    assert re.search(r"Committed KRs so far</span><span class=\"okr-big\">1 of 1 on track<", team)
    assert "1 of 1 on track" in (root / "site/index.html").read_text(encoding="utf-8")
    assert "· committed 1 of 1 on track ·" in (root / "site/cycles/2026-Q2/index.html").read_text(encoding="utf-8")
    assert "· committed landed 1 of 1 ·" in (root / "site/cycles/2026-Q1/index.html").read_text(encoding="utf-8")
