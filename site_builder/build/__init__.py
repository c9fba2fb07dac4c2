"""The build: `build()` (run.py) stops at once when nothing changed, else runs the pipeline —
load (load.py) → collect → addresses (redirects.py) → render → write → record."""
