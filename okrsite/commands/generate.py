"""`okrsite generate DIR`: the generated pages as a plain Markdown docs tree, with their assets and nav.

For inspection, for another Markdown engine, and for benchmarking okrsite against
plain MkDocs on the very same pages (benchmarks/).
"""

from __future__ import annotations

from importlib.resources import files as package_files
from pathlib import Path

import yaml

from ..site.blocks import searched_as_built
from ..site.builder import SiteBuilder, nav_config
from ..site.urls import CSS, JS

NAV_FILE = "okrsite-nav.yml"
"""The nav as MkDocs' `nav:` setting, written beside the pages."""


def write_docs_tree(builder: SiteBuilder, out: Path) -> int:
    """Write every generated file under `out`; returns how many pages it wrote."""
    pages = 0
    for generated in builder.files():
        path = out / generated.src_uri
        path.parent.mkdir(parents=True, exist_ok=True)
        content = generated.content
        if isinstance(content, str) and generated.src_uri.endswith(".md"):
            content = searched_as_built(content)
        path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content, encoding="utf-8")
        pages += generated.src_uri.endswith(".md")
    assets = package_files("okrsite.site").joinpath("assets")
    for name, target in (("okrsite.css", CSS), ("okrsite.js", JS)):
        (out / target).parent.mkdir(parents=True, exist_ok=True)
        (out / target).write_bytes(assets.joinpath(name).read_bytes())
    nav = nav_config(builder.nav())
    (out / NAV_FILE).write_text(yaml.safe_dump({"nav": nav}, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return pages
