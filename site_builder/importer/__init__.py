"""`site-builder import`: article dumps and RSS/Atom feeds → content/*.md, tagged, escaped so
Markdown renders the text as written, never overwriting what a writer changed."""
