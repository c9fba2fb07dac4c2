"""The model and the rules every stage shares: errors, the dataclasses that flow between the
stages, site.toml, the names of a site's files, languages, URL rules, entry ids, walking folders.
Imports nothing of site_builder's but itself."""
