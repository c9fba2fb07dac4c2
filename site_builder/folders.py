"""The names of a site's files and folders, in one place (and a light one: build.py checks
them before it loads anything)."""

CONFIG_NAME = "site.toml"
CONTENT_DIR = "content"
TEMPLATES_DIR = "templates"
STATIC_DIR = "static"
OUTPUT_DIR = "output"
CACHE_DIR = ".site-builder-cache"
PREVIEW_DIR = "serve"  # under CACHE_DIR: where `serve` builds its preview
