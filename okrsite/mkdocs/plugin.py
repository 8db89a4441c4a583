"""The MkDocs adapter: `plugins: [okrsite]` generates the OKR pages in memory at build time.

Only the modules of `okrsite/mkdocs/` know that MkDocs runs the build; everything
they call is engine-free, so a successor engine needs a new adapter only.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import os
from collections.abc import Iterable
from importlib.resources import files as package_files
from pathlib import Path

from jinja2 import Environment
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..analysis.computed import Analysis
from ..content.errors import Problem, one_line, shown_path
from ..content.files import special_kind
from ..content.folder import ParsedFiles, load_organisation
from ..content.model import Organisation
from ..content.resources import CODE, Hosts, block_loads, content_warnings, docs_warnings
from ..site.blocks import Blocks, put_back, set_aside
from ..site.builder import Generated, NavEntry, SiteBuilder, SiteOptions
from ..site.edit_links import EditLinks
from ..site.feed import with_feed_link
from ..site.incremental import PageMemory, edited_documents, folder_digest
from ..site.output import OutputError, check_output, protected_folders
from ..site.render import COMPILED, TemplateFailed
from ..site.urls import CSS, JS
from ..sources.clock import AS_OF_VARIABLE, DateSettingError, as_of_date
from ..sources.history import read_history
from ..sources.site_config import DEFAULT_CONTENT, DEFAULT_TEMPLATES, SiteConfig, SiteConfigError, read_site_config
from .collector import IdleCollector
from .nav import quiet_placeholder, with_okrsite
from .offline import keep_offline, without_source_facts
from .reload import Reload

log = logging.getLogger("mkdocs.plugins.okrsite")
NO_DOCS = Path(str(package_files("okrsite.mkdocs").joinpath("nodocs")))
"""An empty docs folder inside the package, for sites without docs/: nothing to create, nothing left behind."""


class OkrsiteConfig(base.Config):
    content = c.Type(str, default=DEFAULT_CONTENT)
    """The folder of cycles.yml and teams/, relative to mkdocs.yml."""
    templates = c.Type(str, default=DEFAULT_TEMPLATES)
    """The folder of page templates that override okrsite's own, relative to mkdocs.yml."""
    as_of = c.Optional(c.Type((str, dt.date)))
    """Compute every figure as of this date (YYYY-MM-DD) instead of SOURCE_DATE_EPOCH or today."""
    health = c.Type(dict, default={})
    """Practice-health thresholds, and `disabled: [codes]` to switch signals off: the fields of `okrsite.analysis.rules.Health`,
    which checks them (for `okrsite check` too) and names the file and the option of a mistake."""
    scoring = c.Type(dict, default={})
    """The landed line and the status bands: the fields of `okrsite.analysis.rules.Scoring`."""
    allowed_hosts = c.ListOfItems(c.Type(str), default=[])
    """Hosts besides the site's own that pages may load from (the intranet's image server, say); nothing else is ever loaded."""


class OkrsitePlugin(BasePlugin[OkrsiteConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        # Kept across the rebuilds of `serve` (MkDocs keeps a plugin that has on_startup): files that
        # did not change are not parsed again, pages that an edit cannot change are not made again,
        # nor set aside again (a page's skeleton is kept while its Markdown is the same).
        self.parsed = ParsedFiles()
        self.pages = PageMemory()
        self.skeletons: dict[str, tuple[str, str, Blocks]] = {}
        # Under `serve`: which files MkDocs renders again (those that changed), and the search index kept whole.
        self.reload = Reload()
        self.files = Files([])
        self.collector = IdleCollector()
        self.analysis: Analysis | None = None
        self.root = Path()
        self.blocks: dict[str, Blocks] = {}
        self.edit_links = EditLinks()
        self.nav: list[NavEntry] = []
        self.hosts = Hosts()
        self.blocked: set[str] = set()
        """The URLs on other hosts that pages of this build were kept from loading (each is warned of once)."""
        self.warned: set[str] | None = None
        """The warnings of the last build under `serve`: a rebuild logs only the others."""
        self.own_templates = False
        """Whether the site overrides page templates (then okrsite's HTML blocks are looked at for loads too)."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        quiet_placeholder()
        if self.command == "serve":
            self.collector.pause()
        root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        if root != self.root:  # MkDocs keeps this plugin for the whole process, which may build other sites
            self.parsed, self.pages, self.skeletons, self.reload, self.warned = ParsedFiles(), PageMemory(), {}, Reload(), None
        self.root = root
        try:
            site = read_site_config(Path(config.config_file_path or "mkdocs.yml"))
        except SiteConfigError as exc:
            raise PluginError(str(exc)) from None
        try:
            on = _as_of(self.config.as_of, site.file)
        except DateSettingError as exc:
            raise PluginError(f"okrsite: {exc}") from None
        for moved in site.rule_warnings:
            log.warning(f"{site.file}: the okrsite option {moved}")
        if self.command in ("build", "gh-deploy"):  # `serve` builds into a folder of its own
            self._check_output(config)
        org, problems = load_organisation(self.root, self.config.content, for_good=self.command != "serve", parsed=self.parsed)
        self.pages.note_changes(edited_documents(self.parsed.changed, self.root / self.config.content))
        if problems.errors:
            count = len(problems.errors)
            lines = [str(p) for p in problems.sorted() if p.level == "error"]
            raise PluginError("\n".join([*lines, f"{count} error{'s' * (count != 1)} in the OKR content; nothing was built"]))
        previous, self.analysis = self.analysis, Analysis.of(org, on, site.rules, read_history(self.root, self.config.content))
        if self.command == "serve":
            self.pages.keep_analysis(self.analysis, previous)
        warnings = [str(Problem(signal.loc, "warning", signal.code, signal.message)) for signal in self.analysis.signals()]
        docs = Path(self._own_docs(config) or site.docs_dir).as_posix()
        self.edit_links = EditLinks(config.repo_url, config.edit_uri, config.edit_uri_template, docs)
        self.hosts = Hosts.of(self.config.allowed_hosts)
        self.blocked = set()
        templates = self.root / self.config.templates
        self.own_templates = templates.is_dir() and any(path.is_file() for path in templates.rglob("*"))
        self._warn([*warnings, *self._keep_offline(config, org, site)])
        config.extra_css.append(CSS)
        config.extra_javascript.append(JS)
        for folder in (self.config.content, self.config.templates):
            if (self.root / folder).is_dir():
                config.watch.append(str(self.root / folder))
        return config

    def _own_docs(self, config: MkDocsConfig) -> str | None:
        """The site's docs folder, from its root; None for a site without one (MkDocs then reads okrsite's empty one)."""
        return None if Path(config.docs_dir) == NO_DOCS else os.path.relpath(config.docs_dir, self.root)

    def _check_output(self, config: MkDocsConfig) -> None:
        """Refuse a site_dir that a build would overwrite the user's files with (plain `mkdocs build` too)."""
        docs = self._own_docs(config)
        try:
            check_output(Path(config.site_dir), protected_folders(self.root, self.config.content, self.config.templates, docs))
        except OutputError as exc:
            raise PluginError(f"{exc}; nothing was built") from None

    def _keep_offline(self, config: MkDocsConfig, org: Organisation, site: SiteConfig) -> list[str]:
        """Keep the theme's settings offline; the warnings of that, and of content and hand-written pages that load from
        other hosts."""
        in_docs = [] if Path(config.docs_dir) == NO_DOCS else docs_warnings(Path(config.docs_dir), site.docs_dir, self.hosts)
        found = [str(problem) for problem in [*content_warnings(org, self.hosts), *in_docs]]
        return found + [f"{site.file}: {one_line(warning)}" for warning in keep_offline(config, self.hosts, site.theme_font)]

    def _warn(self, warnings: list[str]) -> None:
        """Log the warnings of this build. A rebuild under `serve` logs only those the last build did not, and counts the
        others: a writer sees what the edit changed, not every warning of the organisation once more."""
        before, now = self.warned, set(warnings)
        self.warned = now if self.command == "serve" else None
        fresh = warnings if before is None else [w for w in warnings if w not in before]
        for warning in fresh:
            log.warning(warning)
        if before is not None and (len(fresh) < len(warnings) or before - now):
            same, gone = len(warnings) - len(fresh), len(before - now)
            again = "not shown again (okrsite check lists them)"
            log.info(f"okrsite: {same:,} warning{'s' * (same != 1)} as in the last build, {again}; {gone:,} gone")

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.analysis is not None
        options = SiteOptions(
            self.root / self.config.templates, config.use_directory_urls, self.edit_links, config.site_url, config.site_name, self.hosts
        )
        builder = SiteBuilder(self.analysis, options)
        _refuse_special_files(files)
        self.blocks = {}
        serving = self.command == "serve"
        self.reload.begin()
        if serving:
            stamp = (
                self.analysis.on,
                self.analysis.rules,
                self.analysis.git,
                options,
                folder_digest(self.root / self.config.templates),
            )
            made: Iterable[Generated] = self.pages.generate(builder, stamp)
        else:
            made = builder.files()  # one page at a time: a build keeps no page longer than MkDocs does
        skeletons: dict[str, tuple[str, str, Blocks]] = {}
        try:
            for generated in made:
                if files.get_file_from_path(generated.src_uri) is not None:
                    continue  # a hand-written page at a generated path wins
                file = self._file(config, generated, skeletons if serving else None)
                if generated.source:
                    file.edit_uri = self.edit_links.path(generated.source)  # MkDocs makes the page's edit link from it
                files.append(file)
        except TemplateFailed as exc:
            raise PluginError(f"{exc}; nothing was built") from None
        self.skeletons = skeletons
        assets = package_files("okrsite.site").joinpath("assets")
        for uri, asset in ((CSS, "okrsite.css"), (JS, "okrsite.js")):
            files.append(self._generated(config, uri, assets.joinpath(asset).read_bytes()))
        if serving:
            self.reload.adopt(files)
        self.nav = builder.nav()
        return files

    def _let_go_of_content(self) -> None:
        """A build needs the loaded content no more once its pages are made: MkDocs reads and renders them without it.

        Everything MkDocs keeps of every page until the build ends then fills the content's memory instead of
        adding to it (the peak at 200 teams x 8 cycles: 434 MB, now 374). Loading froze the content out of the
        cyclic collector's sight (see `load_organisation`); its cycles are collected once, here.
        """
        self.analysis, self.parsed = None, ParsedFiles()
        gc.unfreeze()
        gc.collect()

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        if self.command != "serve":  # the pages are made (on_files)
            self._let_go_of_content()
        nav = with_okrsite(nav, self.nav, files, config)
        if self.command == "serve":
            self.reload.on_nav(nav, files, config)
            self.files = files
        return nav

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.command == "serve":
            self.reload.finish(config, self.files)
            self.collector.resume_soon()

    def on_build_error(self, *, error: Exception) -> None:
        if self.command == "serve":
            self.collector.resume_soon()

    def on_shutdown(self) -> None:
        self.collector.resume_now()

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        env.bytecode_cache = COMPILED  # the theme's templates are compiled once per process, not once per build
        return env

    def _file(self, config: MkDocsConfig, generated: Generated, skeletons: dict[str, tuple[str, str, Blocks]] | None) -> File:
        """A generated file as MkDocs takes it: a page as its skeleton, its HTML blocks set aside.

        Under `serve`, a page's skeleton is kept (in `skeletons`) while the page's Markdown is the same: most pages made
        again after an edit come out as they were, and setting their blocks aside again took longer than making them.
        """
        uri = generated.src_uri
        content = generated.content
        if isinstance(content, str) and uri.endswith(".md"):
            known = self.skeletons.get(uri)
            if known is None or known[0] != content:
                known = (content, *set_aside(content))
            if skeletons is not None:
                skeletons[uri] = known
            content, self.blocks[uri] = known[1], known[2]
        return self._generated(config, uri, content)

    def _generated(self, config: MkDocsConfig, uri: str, content: str | bytes) -> File:
        """Under `serve`, MkDocs renders the file again only if it changed (a skeleton changes with its page's blocks)."""
        if self.command == "serve":
            return self.reload.generated(config, uri, content)
        return File.generated(config, uri, content=content, inclusion=InclusionLevel.NOT_IN_NAV)

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        self.reload.rendered.add(page.file.src_uri)
        output = with_feed_link(output, page.url, config.site_name)
        blocks = self.blocks.pop(page.file.src_uri, None)  # the page is done: its blocks are not kept to the end of the build
        if self.own_templates:  # a site's template may hold anything: the whole page is looked at
            return self._offline(put_back(output, blocks) if blocks else output, page.file.src_uri)
        output = self._offline(output, page.file.src_uri)  # before the blocks, which okrsite's own templates make load nothing
        return put_back(output, blocks) if blocks else output

    def on_post_template(self, output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        return self._offline(output_content, template_name)  # 404.html and the theme's other pages

    def _offline(self, html: str, name: str) -> str:
        """The page as readers get it: nothing in it loads from another host."""
        html, blocked = block_loads(without_source_facts(html), self.hosts)
        for url in dict.fromkeys(blocked):
            if url not in self.blocked:  # the theme's logo, say, stands on every page: one warning is enough
                self.blocked.add(url)
                log.warning(f"{one_line(name)}: warning[{CODE}]: {one_line(url)} is on another host: pages do not load it")
        return html


def _as_of(option: object, config_file: str) -> dt.date:
    """--as-of (passed through the environment by `okrsite build|serve`), else the `as_of` option, else SOURCE_DATE_EPOCH or today."""
    given = os.environ.get(AS_OF_VARIABLE)
    if given:
        return as_of_date(given, setting="--as-of")
    return as_of_date(option if isinstance(option, (str, dt.date)) else None, setting=f"as_of in {config_file}")


def _refuse_special_files(files: Files) -> None:
    """MkDocs reads every file of docs/: a FIFO there would make the build wait forever, a device read without end."""
    found = []
    for file in files:
        if file.abs_src_path and not file.generated_by:
            try:
                kind = special_kind(os.stat(file.abs_src_path).st_mode)
            except OSError:
                continue  # MkDocs reports a file it cannot read
            if kind is not None:
                found.append(f"{shown_path(file.abs_src_path)}: this is {kind}; expected a file")
    if found:
        raise PluginError("\n".join([*found, "nothing was built"]))
