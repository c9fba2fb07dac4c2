"""A Site → the files of the published site, rendered on demand and keyed: HTML pages through
the theme's Jinja2 templates, RSS/Atom (feedgen) and JSON feeds, sitemap and robots.txt.
Nothing here touches the disk but theme.py finding templates."""
