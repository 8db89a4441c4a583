"""Loads from other hosts: found in content and hand-written pages, reported at file:line, never made by the site."""

from __future__ import annotations

import textwrap

import pytest

from okrsite.content.folder import load_organisation
from okrsite.content.resources import Hosts, block_loads, content_warnings, loads

from ..conftest import ACME, write_repo

WEB = "content/teams/web/2026-Q2.yml"
HOSTS = Hosts.of(["Images.Intranet.example"])


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("See ![chart](https://cdn.example/c.png) here", "https://cdn.example/c.png"),
        ("![chart][c]\n\n[c]: //cdn.example/c.png", "//cdn.example/c.png"),
        ('<img alt="x" src="http://cdn.example/c.png">', "http://cdn.example/c.png"),
        ("<iframe src='https://video.example/embed/1'></iframe>", "https://video.example/embed/1"),
        ('<img srcset="https://a.example/1x.png 1x, https://a.example/2x.png 2x">', "https://a.example/1x.png"),
        ('<link rel="stylesheet" href="https://fonts.example/f.css">', "https://fonts.example/f.css"),
        ('<p style="background: url(https://bg.example/b.png)">', "https://bg.example/b.png"),
        ("<video poster=https://v.example/p.jpg>", "https://v.example/p.jpg"),
    ],
)
def test_every_way_of_loading_is_found(text, url):
    assert url in [found for _, found in loads(text)]


HOSTILE_PAGE = {
    "unquoted": "<img src=https://evil1.example/a.png>",
    "in a style attribute": '<div style="background-image:url(https://evil2.example/b.png)">x</div>',
    "an import": '<style>@import url("https://evil3.example/s.css"); p {color: red}</style>',
    "an unquoted stylesheet": "<link rel=stylesheet href=https://evil4.example/s.css>",
    "a base": '<base href="https://evil5.example/">',
    "a table background": '<table background="https://evil6.example/t.png"><tr><td>x</td></tr></table>',
    "an encoded scheme": '<img src="https&#58;//evil7.example/a.png">',
    "backslashes": '<img src="https:\\\\evil8.example\\a.png">',
    "no slashes": '<img src="https:evil9.example/a.png">',
    "a ping": '<a href="page.html" ping="https://evil10.example/track">page</a>',
    "a bracket": '<img src="https://[evil11.example/x.png">',
    "a page in an attribute": '<iframe srcdoc="&lt;img src=https://evil12.example/x.png&gt;"></iframe>',
    "a prerender": '<link rel="prerender" href="https://evil13.example/">',
}


@pytest.mark.parametrize("name", list(HOSTILE_PAGE))
def test_every_trick_to_load_from_elsewhere_is_found_and_made_inert(name):
    html = HOSTILE_PAGE[name]
    number = name and next(n for n in range(1, 14) if f"evil{n}.example" in html)
    assert any(HOSTS.foreign(url) for _, url in loads(html)), html  # check warns
    cleared, blocked = block_loads(f"<p>before</p>{html}<p>after</p>", HOSTS)
    assert blocked and all(f"evil{number}.example" in url for url in blocked), (html, blocked)
    assert not any(HOSTS.foreign(url) for _, url in loads(cleared)), cleared  # nothing left that a browser would fetch
    assert "<p>before</p>" in cleared and "<p>after</p>" in cleared


@pytest.mark.parametrize(
    "text", ["<img " * 60_000 + " //", "<link " * 60_000 + " //", "![" * 150_000 + " //", "[\n" * 150_000, "url(" * 100_000]
)
def test_a_scan_is_linear_in_the_length_of_the_text(text):
    """Each of these took minutes with patterns that rescan to the end of the text from every start."""
    assert list(loads(text)) == [] or all(isinstance(offset, int) for offset, _ in loads(text))
    assert block_loads(text, HOSTS)[0] == text


def test_the_sites_own_files_links_and_allowed_hosts_are_not_foreign():
    for url in ("img/a.png", "../a.png", "#top", "data:image/png;base64,AAAA", "mailto:a@b", "https://images.intranet.example/a.png"):
        assert HOSTS.foreign(url) is None, url
    assert HOSTS.foreign("https://evil.example/a.png") == "evil.example"
    assert HOSTS.foreign("//EVIL.example./a.png") == "evil.example"


def test_a_built_page_keeps_its_links_and_loses_its_loads():
    page = (
        '<a href="https://github.com/acme/okrs">repo</a><link rel="canonical" href="https://okrs.example/x/">'
        '<link rel="stylesheet" href="https://cdn.example/s.css"><img src="https://cdn.example/i.png" alt="i">'
        '<img src="https://images.intranet.example/ok.png"><img src="local.png">'
        '<img srcset="a.png 1x, https://cdn.example/b.png 2x">'
    )
    cleared, blocked = block_loads(page, HOSTS)
    assert blocked == ["https://cdn.example/s.css", "https://cdn.example/i.png", "https://cdn.example/b.png"]
    assert '<a href="https://github.com/acme/okrs">' in cleared and '<link rel="canonical" href="https://okrs.example/x/">' in cleared
    assert 'data-okrsite-blocked-href="https://cdn.example/s.css"' in cleared
    assert 'data-okrsite-blocked-src="https://cdn.example/i.png"' in cleared
    assert 'src="https://images.intranet.example/ok.png"' in cleared and 'src="local.png"' in cleared
    assert 'data-okrsite-blocked-srcset="a.png 1x, https://cdn.example/b.png 2x"' in cleared


def test_content_warnings_point_at_the_field_and_the_line_of_the_narrative(tmp_path):
    doc = textwrap.dedent(ACME[WEB]).replace("confidence: 7}", "confidence: 7, note: 'Chart ![c](https://cdn.example/c.png)'}")
    files = {
        **ACME,
        WEB: doc,
        "content/teams/web/team.yml": "name: Web\nparent: acme\nmission: <iframe src=https://v.example/e></iframe>\n",
        "content/teams/acme/2026-Q1.md": "---\nobjectives: []\n---\n# Notes\n\nAs seen on ![x](https://evil.example/x.gif)\n"
        "and ![ok](https://images.intranet.example/ok.png)\n",
    }
    org, problems = load_organisation(write_repo(tmp_path, files))
    assert problems.errors == []
    found = sorted((str(p.loc), p.message.split(" from ")[1].split(",")[0]) for p in content_warnings(org, HOSTS))
    assert found == [
        ("content/teams/acme/2026-Q1.md:6:17", "evil.example"),
        ("content/teams/web/2026-Q2.yml:13:77", "cdn.example"),
        ("content/teams/web/team.yml:3:22", "v.example"),
    ]


def test_check_warns_with_the_place_and_allowed_hosts_silence_it(tmp_path, okrsite):
    doc = textwrap.dedent(ACME[WEB]).replace("confidence: 7}", "confidence: 7, note: '![c](https://images.intranet.example/c.png)'}")
    files = {**ACME, WEB: doc, "docs/guide.md": "# Guide\n\n<img src='https://cdn.example/logo.svg'>\n"}
    root = write_repo(tmp_path, files)
    result = okrsite(root, "check", "--as-of", "2026-05-18")
    lines = [line for line in result.stdout.splitlines() if "external-resource" in line]
    assert [line.split(": warning")[0] for line in lines] == ["content/teams/web/2026-Q2.yml:13:71", "docs/guide.md:3:11"]
    assert "this loads https://images.intranet.example/c.png from images.intranet.example, another host" in lines[0]
    allowed = ACME["mkdocs.yml"].replace("  - okrsite\n", "  - okrsite:\n      allowed_hosts: [images.intranet.example, cdn.example]\n")
    (root / "mkdocs.yml").write_text(allowed, encoding="utf-8")
    assert "external-resource" not in okrsite(root, "check", "--as-of", "2026-05-18").stdout


def test_an_image_shows_only_from_an_allowed_host(tmp_path, okrsite):
    note = "'![ours](https://images.intranet.example/c.png) ![theirs](https://cdn.example/t.png)'"
    doc = textwrap.dedent(ACME[WEB]).replace("confidence: 7}", f"confidence: 7, note: {note}}}")
    config = ACME["mkdocs.yml"].replace("  - okrsite\n", "  - okrsite:\n      allowed_hosts: [images.intranet.example]\n")
    root = write_repo(tmp_path, {**ACME, WEB: doc, "mkdocs.yml": config})
    assert okrsite(root, "build", "--as-of", "2026-05-18").exit_code == 0
    page = (root / "site/teams/web/2026-Q2/index.html").read_text(encoding="utf-8")
    assert '<img alt="ours" src="https://images.intranet.example/c.png"' in page
    assert "cdn.example" not in page and "<span>theirs</span>" in page


def test_a_malformed_allowed_hosts_is_an_error_naming_mkdocs_yml(tmp_path, okrsite):
    config = ACME["mkdocs.yml"].replace("  - okrsite\n", "  - okrsite:\n      allowed_hosts: images.intranet.example\n")
    root = write_repo(tmp_path, {**ACME, "mkdocs.yml": config})
    result = okrsite(root, "check")
    assert result.exit_code == 2
    assert "mkdocs.yml: error[config]: the okrsite option allowed_hosts: found 'images.intranet.example'; expected a list" in result.output


def test_a_page_name_in_the_build_log_stays_on_one_line(tmp_path, okrsite):
    name = "a\nfake.yml:1:1: error[forged]: b.md"
    root = write_repo(tmp_path, {**ACME, "docs/index.md": "# Home\n"})
    (root / "docs" / name).write_text("# Page\n\n<img alt='x' src='https://cdn.example/x.png'>\n", encoding="utf-8")
    result = okrsite(root, "build", "--as-of", "2026-05-18")
    assert result.exit_code == 0, result.output
    assert not any(line.startswith("fake.yml") for line in result.output.splitlines())
    assert "a\\nfake.yml:1:1: error[forged]: b" in result.output


def test_a_template_override_cannot_load_from_another_host_either(tmp_path, okrsite):
    override = (
        '{% extends "default:home.md" %}\n{% block intro %}<p><img alt="banner" src="https://cdn.example/banner.png"></p>{% endblock %}\n'
    )
    root = write_repo(tmp_path, {**ACME, "templates/home.md": override})
    result = okrsite(root, "build", "--as-of", "2026-05-18")
    assert result.exit_code == 0, result.output
    page = (root / "site/index.html").read_text(encoding="utf-8")
    assert 'data-okrsite-blocked-src="https://cdn.example/banner.png"' in page and ' src="https://cdn.example' not in page
    assert "https://cdn.example/banner.png is on another host: pages do not load it" in result.output


def test_check_finds_loads_in_a_stylesheet_and_every_spelling_in_content(tmp_path, okrsite):
    note = '\'<img src="https:evil.example/a.png"> and <img src="&#104;ttps://evil2.example/b.png">\''
    doc = textwrap.dedent(ACME[WEB]).replace("confidence: 7}", f"confidence: 7, note: {note}}}")
    files = {**ACME, WEB: doc, "docs/extra.css": "body {\n  background: url('https://fonts.example/bg.png');\n}\n"}
    result = okrsite(write_repo(tmp_path, files), "check", "--as-of", "2026-05-18")
    hosts = sorted(line.split(" from ")[1].split(",")[0] for line in result.stdout.splitlines() if "external-resource" in line)
    assert hosts == ["evil.example", "evil2.example", "fonts.example"]
    assert "docs/extra.css:2:19: warning[external-resource]" in result.stdout
