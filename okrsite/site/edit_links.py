"""Where a reader edits the content file behind a page: the link MkDocs makes for a page, made for content files.

MkDocs joins `repo_url` with `edit_uri` (or fills `edit_uri_template`) and the page's path from `docs_dir`.
Content sits beside the docs folder, so its path from there starts with `../`, which the join resolves
(`edit/main/docs/../content/teams/web/2026-Q2.yml` is `edit/main/content/teams/web/2026-Q2.yml`).
The MkDocs adapter hands that same path to MkDocs as each generated file's `edit_uri`, so the theme's
edit button and the page's own "Source" link agree, with `edit_uri` and with `edit_uri_template`.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit


@dataclass(frozen=True)
class EditLinks:
    repo_url: str | None = None
    edit_uri: str | None = None
    edit_uri_template: str | None = None
    docs_dir: str = "docs"
    """The docs folder, relative to the site's root (the folder of mkdocs.yml), as content paths are."""

    def path(self, source: str) -> str:
        """A content file's path (relative to the site's root) as seen from the docs folder."""
        return posixpath.relpath(source, posixpath.normpath(self.docs_dir or "."))

    def url(self, source: str | None) -> str | None:
        """The edit link of a content file, None when the site sets none (or sets one that cannot be filled in)."""
        if source is None or not (self.edit_uri_template or self.edit_uri):
            return None
        path = self.path(source)
        if self.edit_uri_template:
            try:
                link = self.edit_uri_template.format(path=path, path_noext=posixpath.splitext(path)[0])
            except (KeyError, IndexError, ValueError):  # MkDocs reports the template itself
                return None
        else:
            link = (self.edit_uri or "").rstrip("/") + "/" + path
        repo = self.repo_url
        if not repo:
            parts = urlsplit(link)
            if not (parts.scheme and parts.netloc):
                return None  # a relative edit_uri needs a repository to be relative to
            repo, link = f"{parts.scheme}://{parts.netloc}/", urlunsplit(("", "", parts.path, parts.query, parts.fragment))
        elif not link.startswith(("?", "#")) and not repo.endswith("/"):
            repo += "/"
        return urljoin(repo, link)
