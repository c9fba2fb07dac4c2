"""What makes a rebuild cheap: the cache of parsed articles and output records (cache.py), the
stamp of what a build read (uptodate.py, nothing_to_do.py), what changed since (changes.py),
what a rebuild can take from the last build (rebuild_plan.py),
the key of each output (output_keys.py), the last build's site without its articles
(last_build.py)."""
