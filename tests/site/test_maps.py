"""Alignment maps a person can read, on a real build of an organisation that is hard to draw (tests/map_org.py).

Every box shows its whole title and team; no edge crosses a box it does not
connect; two edges never share a path; every map carries its legend; a broken
dependency is drawn as one. Geometry is read back from the SVG of the built pages.
"""

from __future__ import annotations

import contextlib
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from okrsite.commands.cli import main

from ..conftest import write_repo
from ..map_org import AS_OF, BROKEN, MAP_ORG, PAGES, ROOT_NAME, SOUND, TEAMS

Point = tuple[float, float]
Box = tuple[float, float, float, float]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = write_repo(tmp_path_factory.mktemp("maps"), MAP_ORG)
    with contextlib.chdir(root):
        result = CliRunner().invoke(main, ["build", "--as-of", AS_OF], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root / "site"


def maps(site: Path, page: str) -> list[ET.Element]:
    html = (site / page).read_text(encoding="utf-8")
    found = [ET.fromstring(svg) for svg in re.findall(r'<svg class="okr-map".*?</svg>', html, re.S)]
    assert found, page
    return found


def titles() -> dict[str, str]:
    """Each objective's id -> its title, as the fixture wrote it."""
    out = {}
    for name, text in MAP_ORG.items():
        if name.endswith("2026-Q2.yml"):
            out.update(re.findall(r"- id: (\S+)\n    title: (.+)\n", text))
    return out


def node_text(node: ET.Element, part: str) -> str:
    return "".join(t.text or "" for t in node.iterfind(f"./*[@class='{part}']/tspan"))


def boxes(svg: ET.Element) -> list[Box]:
    return [tuple(float(r.get(k, 0)) for k in ("x", "y", "width", "height")) for r in svg.iterfind("./a/rect")]  # type: ignore[misc]


def samples(d: str) -> list[Point]:
    """Points along SVG path data made of M, V (upright lines) and C commands with absolute coordinates."""
    points: list[Point] = []
    for command, numbers in re.findall(r"([MVC])([^MVC]*)", d):
        xy = [float(v) for v in re.findall(r"-?[\d.]+", numbers)]
        if command == "M":
            points.append((xy[0], xy[1]))
        elif command == "V":
            (x, y0), y1 = points[-1], xy[0]
            points += [(x, y0 + (y1 - y0) * t / 20) for t in range(1, 21)]
        else:
            p0, p1, p2, p3 = points[-1], (xy[0], xy[1]), (xy[2], xy[3]), (xy[4], xy[5])
            for i in range(1, 41):
                t = i / 40
                a, b, c, e = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3
                points.append((a * p0[0] + b * p1[0] + c * p2[0] + e * p3[0], a * p0[1] + b * p1[1] + c * p2[1] + e * p3[1]))
    return points


def inside(point: Point, box: Box, inset: float = 1.5) -> bool:
    x, y, w, h = box
    return x + inset < point[0] < x + w - inset and y + inset < point[1] < y + h - inset


def on_border(point: Point, box: Box) -> bool:
    x, y, w, h = box
    return x - 0.5 <= point[0] <= x + w + 0.5 and min(abs(point[1] - y), abs(point[1] - y - h)) <= 0.5


def test_every_box_shows_its_whole_title_and_team(site):
    expected = titles()
    seen = set()
    for page in PAGES.values():
        for svg in maps(site, page):
            assert "…" not in ET.tostring(svg, encoding="unicode")
            for node in svg.iterfind("./a"):
                objective = node.get("href", "").rpartition("#objective-")[2]
                assert node_text(node, "okr-node-title") == expected[objective]  # every word, in order, none cut
                team = node_text(node, "okr-node-team")
                assert team.endswith(" · 2026-Q2") and team.split(" · ")[0] in {ROOT_NAME, "Engineering", "Ledger", *dict(TEAMS).values()}
                seen.add(objective)
    assert seen == set(expected)


def test_boxes_grow_with_their_lines_and_the_map_is_drawn_at_its_own_size(site):
    (svg,) = maps(site, PAGES["department"])
    assert svg.get("viewBox") == f"0 0 {svg.get('width')} {svg.get('height')}"
    heights = {node_text(n, "okr-node-title"): float(n.find("rect").get("height")) for n in svg.iterfind("./a")}  # type: ignore[union-attr]
    long = next(h for title, h in heights.items() if title.startswith("Every customer who calls"))
    assert long > 3 * heights["Checkout cuts toil in half"]
    rects = boxes(svg)
    for i, a in enumerate(rects):  # and no two boxes overlap
        for b in rects[i + 1 :]:
            assert a[0] + a[2] <= b[0] or b[0] + b[2] <= a[0] or a[1] + a[3] <= b[1] or b[1] + b[3] <= a[1]


@pytest.mark.parametrize("kind", PAGES)
def test_no_edge_crosses_a_box_it_does_not_connect(site, kind):
    for svg in maps(site, PAGES[kind]):
        rects = boxes(svg)
        edges = svg.findall("./path")
        assert edges
        for edge in edges:
            points = samples(edge.get("d", ""))
            ends = [b for b in rects if on_border(points[0], b) or on_border(points[-1], b)]
            assert len(ends) == 2, edge.findtext("title")  # it leaves one box's side and reaches another's
            for box in rects:
                if box not in ends:
                    assert not any(inside(p, box) for p in points), (edge.findtext("title"), box)


@pytest.mark.parametrize("kind", PAGES)
def test_two_edges_never_share_a_path(site, kind):
    for svg in maps(site, PAGES[kind]):
        paths = [{(round(x), round(y)) for x, y in samples(edge.get("d", ""))} for edge in svg.iterfind("./path")]
        for i, a in enumerate(paths):
            for b in paths[i + 1 :]:
                assert len(a & b) < 0.5 * min(len(a), len(b))  # they may cross or meet, not run along each other


def test_an_edge_that_aligns_and_one_that_depends_between_the_same_boxes_are_both_seen(site):
    (svg,) = maps(site, PAGES["alignment"])
    between = {
        e.get("class"): samples(e.get("d", "")) for e in svg.iterfind("./path") if "We ship small changes" in (e.findtext("title") or "")
    }
    assert set(between) == {"okr-edge okr-edge-aligns_to", "okr-edge okr-edge-depends_on"}
    aligns, depends = between.values()
    assert aligns[0] != depends[0] and aligns[-1] != depends[-1]  # each leaves and arrives at its own port


@pytest.mark.parametrize("kind", PAGES)
def test_every_map_carries_its_legend(site, kind):
    html = (site / PAGES[kind]).read_text(encoding="utf-8")
    blocks = re.findall(r'<figure class="okr-map-block".*?</figure>', html, re.S)
    assert len(blocks) == html.count('<svg class="okr-map"') == 1
    legend = re.sub(r"<[^>]+>", "", re.search(r'<figcaption class="okr-legend">(.*?)</figcaption>', blocks[0], re.S)[1])  # type: ignore[index]
    for words in ("aligns to", "depends on", "broken dependency", "on track", "at risk", "off track", "pending"):
        assert words in legend
    assert 'aria-label="' in blocks[0] and "<button" in blocks[0]


def test_a_broken_dependency_stands_out_and_a_sound_one_does_not(site):
    (svg,) = maps(site, PAGES["department"])
    by_source = {}
    for edge in svg.iterfind("./path"):
        if "depends on" in (edge.findtext("title") or ""):
            by_source[edge.findtext("title", "").split(":")[0]] = edge
    broken, sound = by_source[dict(TEAMS)[BROKEN[0]]], by_source[dict(TEAMS)[SOUND[0]]]
    assert broken.get("class") == "okr-edge okr-edge-depends_on okr-edge-broken"
    assert broken.get("marker-start", "").endswith("-broken-start)") and broken.get("marker-end", "").endswith("-broken)")
    assert "(broken: Checkout depends on Catalogue: “Catalogue makes the quick path the easy one for everyone”: it is off track)" in (
        broken.findtext("title") or ""
    )
    assert sound.get("class") == "okr-edge okr-edge-depends_on"


def test_a_box_is_a_link_named_by_its_objective_team_and_status(site):
    (svg,) = maps(site, PAGES["team cycle"])
    assert svg.get("role") == "group" and svg.get("aria-label") == f"Alignment of {dict(TEAMS)['payments']} in 2026-Q2"
    assert f"{ROOT_NAME} · 2026-Q2: Customers pick Acme first (on track)" in {a.findtext("title") for a in svg.iterfind("./a")}
    (svg,) = maps(site, PAGES["department"])
    names = {a.findtext("title") for a in svg.iterfind("./a")}
    assert "Catalogue · 2026-Q2: Catalogue makes the quick path the easy one for everyone (off track)" in names
