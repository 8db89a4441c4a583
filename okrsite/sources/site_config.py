"""The okrsite options of a site, read from its mkdocs.yml without importing MkDocs.

The CLI needs them before any engine runs (`okrsite check` on a pull request),
and the MkDocs plugin declares the same options with these defaults.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, Strict, ValidationError

from ..analysis.health import CODES
from ..analysis.rules import Expected, Rules, RulesError, explained
from ..content.errors import Loc, Problems, shown_path
from ..content.files import read_bytes
from ..content.resources import Hosts
from ..content.syntax import describe_syntax_error
from ..content.values import found

DEFAULT_CONTENT = "content"
DEFAULT_TEMPLATES = "templates"


@dataclass(frozen=True)
class SiteConfig:
    root: Path
    """The site's root: the folder of mkdocs.yml, where paths in messages start."""
    file: str = "mkdocs.yml"
    """mkdocs.yml as messages name it."""
    content: str = DEFAULT_CONTENT
    templates: str = DEFAULT_TEMPLATES
    as_of: str | None = None
    docs_dir: str = "docs"
    rules: Rules = field(default_factory=Rules)
    """The plugin's `scoring` and `health` options, with SPEC's values for the rest."""
    rule_warnings: tuple[str, ...] = ()
    """Options of the rules written as they used to be (still read, with a warning)."""
    site_name: str = "OKRs"
    site_url: str | None = None
    repo_url: str | None = None
    edit_uri: str | None = None
    edit_uri_template: str | None = None
    use_directory_urls: bool = True
    theme_font: bool = False
    """Whether the site chose its theme's fonts itself (then it also chose where they load from)."""
    allowed_hosts: tuple[str, ...] = ()
    """The plugin's `allowed_hosts`: the hosts besides the site's own that pages may load from."""
    unknown_options: tuple[str, ...] = ()
    """okrsite options that okrsite does not know (a typo, most likely)."""

    @property
    def hosts(self) -> Hosts:
        return Hosts.of(self.allowed_hosts)


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may hold `!ENV` or `!!python/name:` tags; their values do not matter here."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """A value YAML's constructors fail on (a 30 February, `!!int x`) as an error at its line."""
        try:
            return super().construct_object(node, deep)
        except yaml.MarkedYAMLError:
            raise
        except (ValueError, TypeError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(None, None, f"cannot read this value ({exc})", node.start_mark) from None


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


class SiteConfigError(Exception):
    """mkdocs.yml cannot be read as a site's configuration; the message says where and why."""


def _read(config_file: Path) -> dict[str, Any]:
    """mkdocs.yml as plain data ({} when there is none); SiteConfigError when it is not a readable mapping."""
    if not os.path.lexists(config_file):
        return {}
    problems = Problems()
    raw = read_bytes(config_file, shown_path(config_file), problems)
    text = raw.decode("utf-8-sig", errors="replace") if raw is not None else None
    try:
        data = yaml.load(text, Loader=_TolerantLoader) if text is not None else None
    except yaml.MarkedYAMLError as exc:
        problems.error(*describe_syntax_error(exc, text or "", shown_path(config_file)))
    except (yaml.YAMLError, RecursionError) as exc:
        problems.error(Loc(shown_path(config_file)), "yaml-syntax", f"malformed YAML: {exc}")
    if problems.items:
        raise SiteConfigError(str(problems.items[0]))
    if data is not None and not isinstance(data, dict):
        raise SiteConfigError(f"{shown_path(config_file)}:1:1: error[config]: found {found(data)}; expected a mapping of settings")
    return data or {}


def read_site_config(config_file: Path) -> SiteConfig:
    """The okrsite options of the site whose mkdocs.yml is `config_file` (defaults if absent).

    SiteConfigError names the file and every option that is not what it must be.
    """
    root, file = config_file.parent, shown_path(config_file)
    data = _read(config_file)
    written = _plugin_options(data.get("plugins"))
    try:
        options = Options.model_validate({k: v for k, v in written.items() if v is not None})
        rules, rule_warnings = Rules.from_options(written, CODES)
    except ValidationError as exc:
        raise SiteConfigError(_errors(file, explained(exc, Options, found))) from None
    except RulesError as exc:
        raise SiteConfigError(_errors(file, str(exc).splitlines())) from None
    return SiteConfig(
        root,
        file,
        content=options.content,
        templates=options.templates,
        as_of=str(options.as_of) if options.as_of else None,
        docs_dir=str(data.get("docs_dir") or "docs"),
        rules=rules,
        rule_warnings=tuple(rule_warnings),
        site_name=str(data.get("site_name") or "OKRs"),
        site_url=_text(data.get("site_url")),
        repo_url=_text(data.get("repo_url")),
        edit_uri=_text(data.get("edit_uri")),
        edit_uri_template=_text(data.get("edit_uri_template")),
        use_directory_urls=data.get("use_directory_urls") is not False,
        theme_font=isinstance(theme := data.get("theme"), dict) and "font" in theme,
        allowed_hosts=options.allowed_hosts,
        unknown_options=tuple(key for key in written if key not in Options.model_fields),
    )


_Folder = Annotated[str, Strict(), Expected("the name of a folder")]


class Options(BaseModel):
    """The okrsite plugin's options as `okrsite check` reads them; the plugin declares the same ones with MkDocs' config classes.

    Other keys are left to the caller, which warns of them (MkDocs warns of them too).
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    content: _Folder = DEFAULT_CONTENT
    templates: _Folder = DEFAULT_TEMPLATES
    as_of: Annotated[Annotated[str, Strict()] | Annotated[dt.date, Strict()] | None, Expected("a date written YYYY-MM-DD")] = None
    health: Annotated[dict[str, Any], Expected("a mapping of thresholds")] = {}
    scoring: Annotated[dict[str, Any], Expected("a mapping of scoring rules")] = {}
    allowed_hosts: Annotated[
        tuple[Annotated[str, Strict(), Field(pattern=r"\S")], ...], Expected("a list of host names", "a host name")
    ] = ()


def _errors(file: str, lines: list[str]) -> str:
    return "\n".join(f"{file}: error[config]: the okrsite option {line}" for line in lines)


def _text(value: Any) -> str | None:
    return str(value) if value else None


def _plugin_options(plugins: Any) -> dict[str, Any]:
    if isinstance(plugins, dict):
        entries = list(plugins.items())
    elif isinstance(plugins, list):
        entries = [next(iter(p.items())) if isinstance(p, dict) and p else (p, None) for p in plugins]
    else:
        entries = []  # MkDocs reports what else `plugins` holds
    for name, options in entries:
        if name == "okrsite":
            return options if isinstance(options, dict) else {}
    return {}
