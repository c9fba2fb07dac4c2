"""site-builder: Markdown news articles → a static site with tag pages, RSS and Atom feeds."""

__version__ = "0.1.0"
