"""The site without an engine: pages as Markdown, URLs, charts, maps, exports, the feed, templates and assets, and the output folder."""
