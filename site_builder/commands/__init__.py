"""The commands around the build: init and new (scaffold.py, pinning.py), serve and watch,
check (and check --live: live_guard.py, live_feeds.py), deploy, and the console they print to."""
