"""What the analysis reads from outside the content: git's history and revisions, the date, and the site's mkdocs.yml."""
