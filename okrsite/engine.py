"""Running MkDocs for `okrsite build` and `okrsite serve`: atomic builds, no half-published site."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build
from mkdocs.commands.serve import serve
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError

from .config import read_site_config
from .plugin import AS_OF_VARIABLE


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


def _overrides(config_file: Path, empty_docs: Path) -> dict[str, str]:
    """MkDocs wants a docs folder; a site made of content alone gets an empty one."""
    site = read_site_config(config_file)
    return {} if (site.root / site.docs_dir).is_dir() else {"docs_dir": str(empty_docs)}


def build_site(config_file: Path, as_of: dt.date | None = None, strict: bool = False) -> Path:
    """Build into a fresh folder beside `site/`, then swap it in: on failure the old site stays untouched."""
    if not config_file.is_file():
        raise BuildFailed(f"found no {config_file}; run okrsite in the site's root or pass -f")
    with tempfile.TemporaryDirectory(prefix=".okrsite-") as scratch, _as_of(as_of), _mkdocs_log_to_stderr():
        (Path(scratch) / "docs").mkdir()
        try:
            config = load_config(str(config_file), strict=strict, **_overrides(config_file, Path(scratch) / "docs"))
        except (ConfigurationError, Abort) as exc:
            raise BuildFailed(str(exc)) from None
        if "okrsite" not in config.plugins:
            raise BuildFailed(f"{config_file} does not turn okrsite on; add 'okrsite' under 'plugins:'")
        final = Path(config.site_dir)
        staging = final.parent / f".{final.name}.okrsite-new"
        shutil.rmtree(staging, ignore_errors=True)
        config.site_dir = str(staging)
        try:
            build(config)
        except BaseException as exc:
            shutil.rmtree(staging, ignore_errors=True)
            if isinstance(exc, Abort):
                raise BuildFailed(f"{exc} Nothing was published: {final} is as it was.") from None
            raise
        _swap(staging, final)
    return final


def _swap(staging: Path, final: Path) -> None:
    old = final.parent / f".{final.name}.okrsite-old"
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def serve_site(config_file: Path, dev_addr: str | None, as_of: dt.date | None, dirty: bool = False) -> None:
    """The site on localhost, rebuilt when content, templates or docs change (the plugin watches them).

    `dirty`: MkDocs renders again only the pages whose content changed (MkDocs' own dirty reload).
    """
    with tempfile.TemporaryDirectory(prefix=".okrsite-") as scratch, _as_of(as_of):
        (Path(scratch) / "docs").mkdir()
        options: dict[str, Any] = dict(_overrides(config_file, Path(scratch) / "docs"))
        if dev_addr:
            options["dev_addr"] = dev_addr
        serve(str(config_file), build_type="dirty" if dirty else None, **options)


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
