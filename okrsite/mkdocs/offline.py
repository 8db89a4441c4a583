"""The MkDocs and Material settings that would make a reader's browser call another host, kept offline.

Readers are on an intranet with no internet access, whatever a site configures:

- Material loads Google Fonts for `theme.font`: turned off unless the site allows Google's two hosts.
- Material's repository button asks GitHub's or GitLab's API for stars and forks from every reader's browser:
  the button stays a link, without the facts.
- `pymdownx.emoji` draws emoji as images from a CDN: they become the emoji characters themselves, and
  Material's icons inline SVG.
- `extra_css` and `extra_javascript` from other hosts are left out, and so is Material's analytics
  (`extra.analytics`), whose script every page would fetch from the provider.
- Mermaid, which Material fetches from unpkg.com for a diagram, is left to `okrsite.js` (see there).

Each change is logged as a warning that says what to do instead, so `--strict` builds stop on it.
"""

from __future__ import annotations

from typing import Any

from markdown import Markdown
from mkdocs.config.defaults import MkDocsConfig
from pymdownx import emoji

from ..content.resources import Hosts

GOOGLE_FONTS = ("fonts.googleapis.com", "fonts.gstatic.com")
ANALYTICS = ("www.googletagmanager.com", "www.google-analytics.com")
"""Where Material's analytics (Google's, its only provider) loads from and reports to."""
_SOURCE_FACTS = ' data-md-component="source"'


def keep_offline(config: MkDocsConfig, hosts: Hosts, font_chosen: bool) -> list[str]:
    """Change what `config` would load from other hosts; returns a warning for each change the site should know of."""
    warnings = []
    if not font_chosen:
        config.theme["font"] = False  # Material's default, Roboto, comes from Google Fonts
    elif config.theme.get("font") and any(hosts.foreign(f"https://{host}/") for host in GOOGLE_FONTS):
        config.theme["font"] = False
        warnings.append(
            "theme.font would load its fonts from Google Fonts, another host: okrsite turned it off. Serve the font "
            f"files with the site (extra_css), or allow {' and '.join(GOOGLE_FONTS)} in the okrsite plugin's allowed_hosts"
        )
    if "pymdownx.emoji" in config.markdown_extensions:
        config.mdx_configs.setdefault("pymdownx.emoji", {})["emoji_generator"] = offline_emoji
    analytics = config.extra.get("analytics")
    if isinstance(analytics, dict) and analytics.get("provider") and any(hosts.foreign(f"https://{h}/") for h in ANALYTICS):
        del config.extra["analytics"]
        warnings.append(
            "extra.analytics would have every reader's browser fetch a script from the provider, another host: okrsite "
            f"left it out. Allow {' and '.join(ANALYTICS)} in the okrsite plugin's allowed_hosts to keep it"
        )
    for option in ("extra_css", "extra_javascript"):
        entries = config[option]
        kept = [entry for entry in entries if hosts.foreign(str(entry)) is None]
        for entry in entries:
            if entry not in kept:
                warnings.append(
                    f"{option}: {entry} comes from another host: okrsite left it out. Serve the file with the site, "
                    "or name its host in the okrsite plugin's allowed_hosts"
                )
        entries[:] = kept
    return warnings


def offline_emoji(
    index: str, shortname: str, alias: str, uc: str | None, alt: str, title: str, category: str, options: Any, md: Markdown
) -> Any:
    """pymdownx.emoji's generator, offline: an emoji as its own character, one of Material's icons as inline SVG."""
    if not uc:
        icons = md.inlinePatterns["emoji"].emoji_index["emoji"]  # type: ignore[attr-defined]
        if "path" in icons.get(shortname, {}):
            from material.extensions.emoji import to_svg  # the theme's icons, drawn inline

            return to_svg(index, shortname, alias, uc, alt, title, category, options, md)
    return emoji.to_alt(index, shortname, alias, uc, alt, title, category, options, md)


def without_source_facts(html: str) -> str:
    """The page with Material's repository button kept as a link, but no longer fetching facts from the forge's API."""
    return html.replace(_SOURCE_FACTS, "") if _SOURCE_FACTS in html else html
