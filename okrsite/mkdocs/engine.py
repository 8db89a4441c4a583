"""Running MkDocs for `okrsite build` and `okrsite serve`: atomic builds, no half-published site (see output.py)."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError
from mkdocs.livereload import LiveReloadServer

from ..content.errors import shown_path
from ..site.output import OutputError, building, check_output, protected_folders
from ..sources.clock import AS_OF_VARIABLE
from ..sources.site_config import SiteConfig, read_site_config
from .plugin import NO_DOCS
from .watch import Server


class BuildFailed(Exception):
    """The build stopped; the message says why and `site/` is as it was."""


@contextlib.contextmanager
def _as_of(as_of: dt.date | None) -> Iterator[None]:
    """Pass --as-of to the plugin, and pin MkDocs' own dates to it so that builds are reproducible."""
    saved = {k: os.environ.get(k) for k in (AS_OF_VARIABLE, "SOURCE_DATE_EPOCH")}
    if as_of is not None:
        os.environ[AS_OF_VARIABLE] = as_of.isoformat()
        if not saved["SOURCE_DATE_EPOCH"]:
            midnight = dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=dt.UTC)
            os.environ["SOURCE_DATE_EPOCH"] = str(int(midnight.timestamp()))
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _overrides(site: SiteConfig) -> dict[str, str]:
    """MkDocs wants a docs folder; a site made of content alone gets an empty one."""
    return {} if (site.root / site.docs_dir).is_dir() else {"docs_dir": str(NO_DOCS)}


def build_site(config_file: Path, as_of: dt.date | None = None, strict: bool = False, site_dir: Path | None = None) -> Path:
    """Build into a work folder beside `site/` (or `site_dir`), then exchange the two: on failure the old site stays untouched."""
    if not config_file.is_file():
        raise BuildFailed(f"found no {config_file}; run okrsite in the site's root or pass -f")
    site = read_site_config(config_file)
    overrides = _overrides(site) | ({"site_dir": str(site_dir)} if site_dir is not None else {})
    with _as_of(as_of), _mkdocs_log_to_stderr():
        try:
            config = load_config(str(config_file), strict=strict, **overrides)
        except (ConfigurationError, Abort) as exc:
            raise BuildFailed(str(exc)) from None
        if "okrsite" not in config.plugins:
            raise BuildFailed(f"{config_file} does not turn okrsite on; add 'okrsite' under 'plugins:'")
        final = Path(config.site_dir)
        try:
            docs = None if Path(config.docs_dir) == NO_DOCS else site.docs_dir
            check_output(final, protected_folders(site.root, site.content, site.templates, docs))
            with building(final, say=_say) as work:
                config.site_dir = str(work)
                try:
                    build(config)
                except Abort as exc:
                    raise BuildFailed(f"{exc} Nothing was published: {shown_path(final)} is as it was.") from None
        except OutputError as exc:
            raise BuildFailed(str(exc)) from None
    return final


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def serve_site(config_file: Path, dev_addr: str | None, as_of: dt.date | None) -> None:
    """The site on localhost, rebuilt when content, templates or docs change (the plugin watches them).

    MkDocs' `serve`, but each rebuild is MkDocs' dirty build while the plugins are told it is not one:
    okrsite's plugin says which pages changed (see reload.py), and the others (search) work as in a full build.
    """
    with _as_of(as_of), _quiet_dirty_warning():
        options: dict[str, Any] = dict(_overrides(read_site_config(config_file)))
        if dev_addr:
            options["dev_addr"] = dev_addr
        site_dir = tempfile.mkdtemp(prefix="mkdocs_")

        def get_config() -> MkDocsConfig:
            return load_config(str(config_file), site_dir=site_dir, **options)

        config = get_config()
        config.plugins.on_startup(command="serve", dirty=False)
        host, port = config.dev_addr
        mount_path = urlsplit(config.site_url or "/").path
        serve_url = f"http://{host}:{port}{('/' + mount_path.strip('/')).rstrip('/')}/"
        config.site_url = serve_url

        def builder(config: MkDocsConfig | None = None) -> None:
            logging.getLogger("mkdocs.commands.serve").info("Building documentation...")
            if config is None:
                config = get_config()
                config.site_url = serve_url
            build(config, serve_url=serve_url, dirty=True)

        server: LiveReloadServer = Server(builder=builder, host=host, port=port, root=site_dir, mount_path=mount_path)
        server.error_handler = partial(_error_page, Path(site_dir))
        try:
            builder(config)
            server.watch(config.docs_dir)
            if config.config_file_path:
                server.watch(config.config_file_path)
            server = config.plugins.on_serve(server, config=config, builder=builder)
            for item in config.watch:
                server.watch(item)
            try:
                server.serve()  # type: ignore[no-untyped-call]
            except KeyboardInterrupt:
                logging.getLogger("mkdocs.commands.serve").info("Shutting down...")
            finally:
                server.shutdown()
        finally:
            config.plugins.on_shutdown()
            shutil.rmtree(site_dir, ignore_errors=True)


def _error_page(site: Path, code: int) -> bytes | None:
    """The site's own 404 page (or 500) for what it does not have, as MkDocs serves it."""
    page = site / f"{code}.html"
    return page.read_bytes() if code in (404, 500) and page.is_file() else None


class _DirtyWarning(logging.Filter):
    """MkDocs warns that a dirty build makes inaccurate navigation; okrsite's serve renders every page that changed."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "A 'dirty' build is being performed" not in record.getMessage()


@contextlib.contextmanager
def _quiet_dirty_warning() -> Iterator[None]:
    quiet = _DirtyWarning()
    logger = logging.getLogger("mkdocs.commands.build")
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


@contextlib.contextmanager
def _mkdocs_log_to_stderr() -> Iterator[None]:
    """MkDocs reports errors (ours among them) and warnings through logging; show them as they are."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
