"""The SVG charts: positions computed from the figures, text alternatives, links that resolve from the page."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

from okrsite.analysis.facts import kr_facts
from okrsite.site.charts import HistoryPoint, confidence, history, trajectory

from ..analysis.test_score import INCREASE, one_kr


def parse(svg: str) -> ET.Element:
    """Inline SVG in HTML carries no namespace; as XML it must still be well formed."""
    return ET.fromstring(str(svg))


def test_history_bars_are_proportional_to_the_scores():
    doc = one_kr(INCREASE)
    points = [HistoryPoint(doc.cycle, 1.0, 0.5, "../2026-Q2/"), HistoryPoint(doc.cycle, 0.25, None, "../2026-Q3/")]
    root = parse(history(points, "Web"))
    heights = [float(r.get("height")) for r in root.iter("rect") if r.get("width") != "10"]  # legend swatches are 10 wide
    assert len(heights) == 3
    assert heights[0] == 2 * heights[1] == 4 * heights[2]
    assert [a.get("href") for a in root.iter("a")] == ["../2026-Q2/", "../2026-Q3/"]
    assert "committed landed 1.00, aspirational mean 0.50" in root.findtext("desc")


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
