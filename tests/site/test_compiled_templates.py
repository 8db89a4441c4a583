"""Templates are compiled once per process, and an edited template shows at the next build all the same.

`serve` and the tests build many times in one process: okrsite's page templates and the
theme's are compiled at the first build only (okrsite/site/render.py, CompiledTemplates).
"""

from __future__ import annotations

import pytest
from jinja2 import DictLoader, Environment

from okrsite.site.render import COMPILED

AS_OF = "2026-05-18"


def test_an_edited_page_template_shows_at_the_next_build_of_the_same_process(repo, okrsite):
    root = repo({"templates/home.md": '{% extends "default:home.md" %}\n{% block intro %}Welcome, first edition.{% endblock %}\n'})
    assert okrsite(root, "build", "--as-of", AS_OF).exit_code == 0
    assert "Welcome, first edition." in (root / "site/index.html").read_text(encoding="utf-8")
    template = root / "templates/home.md"
    template.write_text(template.read_text(encoding="utf-8").replace("first", "second"), encoding="utf-8")
    assert okrsite(root, "build", "--as-of", AS_OF).exit_code == 0
    page = (root / "site/index.html").read_text(encoding="utf-8")
    assert "Welcome, second edition." in page and "first edition" not in page


def test_an_edited_theme_override_shows_at_the_next_build_of_the_same_process(repo, okrsite):
    config = "site_name: Acme OKRs\ntheme: {name: material, custom_dir: overrides}\nplugins:\n  - search\n  - okrsite\n"
    main = '{% extends "base.html" %}\n{% block announce %}Planning week: {{ "first" }} call{% endblock %}\n'
    root = repo({"mkdocs.yml": config, "overrides/main.html": main})
    assert okrsite(root, "build", "--as-of", AS_OF).exit_code == 0
    assert "Planning week: first call" in (root / "site/teams/web/2026-Q2/index.html").read_text(encoding="utf-8")
    (root / "overrides/main.html").write_text(main.replace('"first"', '"last"'), encoding="utf-8")
    assert okrsite(root, "build", "--as-of", AS_OF).exit_code == 0
    page = (root / "site/teams/web/2026-Q2/index.html").read_text(encoding="utf-8")
    assert "Planning week: last call" in page and "first call" not in page


SOURCE = {"list.md": "{% for item in items %}\n- {{ item }}\n{% endfor %}\n"}


def environment(**options: bool) -> Environment:
    return Environment(loader=DictLoader(SOURCE), bytecode_cache=COMPILED, **options)


def test_environments_that_compile_a_template_alike_share_its_code():
    assert environment(trim_blocks=True).get_template("list.md").render(items=["a"]) == "- a\n"
    again = environment(trim_blocks=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(again, "compile", lambda *args, **kwargs: pytest.fail("compiled a second time"))
        assert again.get_template("list.md").render(items=["b"]) == "- b\n"


def test_environments_whose_options_compile_otherwise_never_share_code():
    assert environment(trim_blocks=True).get_template("list.md").render(items=["a"]) == "- a\n"
    assert environment(trim_blocks=False).get_template("list.md").render(items=["a"]) == "\n- a\n"
    assert environment(trim_blocks=True, autoescape=True).get_template("list.md").render(items=["<b>"]) == "- &lt;b&gt;\n"
    assert environment(trim_blocks=True).get_template("list.md").render(items=["<b>"]) == "- <b>\n"
