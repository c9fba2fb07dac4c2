"""One content file → an Article (front matter, Markdown, sanitising, in worker processes with a
time limit); articles → a Site (collect.py). Pure: the build stage that reads the files is
build/load.py."""
