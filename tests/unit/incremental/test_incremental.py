"""Incremental builds are correct by construction: after any sequence of edits, an
incremental build's output is byte-identical to a cold build's of the same content."""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from conftest import article, examples, inodes, make_site, output_files, picture
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.build.run import build
from site_builder.output import rendering
from site_builder.output import write as output

# Arabic tags too: their slugs differ between `slugs = "ascii"` and "unicode" (a config step)
TAGS = ["Iran", "Cuba", "IAEA", "iran", "Oil", "إيران", "سلام"]
PICTURES = ["images/a.jpg", "images/b.png"]
# A translated article's language, by its number: two in a group never share one
TRANSLATED_IN = ["fr", "ar", "de", "pt-BR"]


def picture_file(path: str, variant: int) -> bytes:
    """A small picture: a JPEG or a PNG with transparency, its size and colour by variant."""
    fmt, mode = ("JPEG", "RGB") if path.endswith(".jpg") else ("PNG", "RGBA")
    return picture(fmt, (500 + 40 * variant, 300), mode)
BASE_CONFIG = 'title = "T"\nbase_url = "https://u.github.io/r/"\nid_domain = "u.github.io"\nper_page = 2\nfeed_items = 2\n'


def story(n: int, entry: dict) -> str:
    tag_list = "[" + ", ".join(f'"{t}"' for t in entry["tags"]) + "]"
    fields = {name: json.dumps(entry[name], ensure_ascii=False)
              for name in ("summary", "author", "slug", "language", "image", "image_caption")
              if entry.get(name)}
    if entry.get("updated"):
        fields["updated"] = f"2024-04-{entry['updated']:02}"
    if entry.get("translation_key"):
        fields["translation_key"], fields["language"] = entry["translation_key"], TRANSLATED_IN[n]
    # over three months, so that feed archives have several months (feeds.py) to keep apart
    date = f"2024-{1 + entry['day'] % 3:02}-{entry['day']:02}"
    return article(entry["title"] + f" {n}", date, entry["body"], tags=tag_list,
                   id=f"tag:u.github.io,2024:s{n}", **fields)


actions = st.one_of(
    st.tuples(st.just("add"), st.integers(0, 3), st.integers(1, 28), st.lists(st.sampled_from(TAGS), max_size=3)),
    st.tuples(st.just("body"), st.integers(0, 3), st.text("abc *_[]\n", min_size=1, max_size=30)),
    st.tuples(st.just("title"), st.integers(0, 3), st.sampled_from(["Alpha", "Beta", "Gamma Story", "Delta"])),
    # edits that move no article: a title under a pinned slug, a summary, a correction date
    st.tuples(st.just("pinned title"), st.integers(0, 3), st.sampled_from(["Alpha", "Beta"])),
    st.tuples(st.just("field"), st.integers(0, 3), st.just("summary"), st.sampled_from(["One", "Two: three"])),
    # bylines (issue #16): one author or several, each with a page and feeds
    st.tuples(st.just("field"), st.integers(0, 3), st.just("author"),
              st.sampled_from(["One", "Ana Díaz", ["Ana Díaz", "Omar Said"], ["Omar Said", "One"]])),
    # an article's language: its dates and "Updated" on every page that shows it, its share card,
    # JSON-LD and news sitemap entry
    st.tuples(st.just("field"), st.integers(0, 3), st.just("language"), st.sampled_from(["ar", "ar-EG", "en", "pt-BR"])),
    st.tuples(st.just("updated"), st.integers(0, 3), st.integers(1, 28)),
    # translations (issue #16): each page links to the others, by language and with their titles
    st.tuples(st.just("field"), st.integers(0, 3), st.just("translation_key"), st.sampled_from(["k1", "k2", ""])),
    st.tuples(st.just("delete"), st.integers(0, 3)),
    st.tuples(st.just("rename"), st.integers(0, 3), st.sampled_from(["moved-", "خبر "])),
    st.tuples(st.just("template"), st.sampled_from(["A", "B"])),
    st.tuples(st.just("config"), st.sampled_from([2, 3]), st.sampled_from(["T", "Other Title"]),
              st.sampled_from(["", 'slugs = "unicode"\n', 'language = "ar-EG"\ntimezone = "Asia/Muscat"\n']),
              st.sampled_from([[], ["Iran", "Cuba"], ["Cuba"]]),
              # search (issue #16): a Pagefind index a shard, the newest month's apart from its year's
              st.booleans()),
    st.tuples(st.just("static"), st.binary(max_size=20)),
    # lead images (issue 16): a local picture, another, a remote one, none; a caption; a picture replaced
    st.tuples(st.just("image"), st.integers(0, 3), st.sampled_from(PICTURES + ["https://cdn.example.org/r.jpg", ""]),
              st.sampled_from(["", "A caption"])),
    st.tuples(st.just("picture"), st.sampled_from(PICTURES), st.integers(0, 2)),
    # the Pages workflow: the site in a new folder, every file with a new inode and mtime, its
    # cache and output/ carried over (no previous tree)
    st.tuples(st.just("clone")),
)


def apply(site: Path, state: dict, action: tuple) -> None:
    """Change the site the way a user would."""
    kind, *args = action
    if kind == "add":
        n, day, tags = args
        if n in state:  # adding over an article replaces it
            (site / "content" / state[n]["file"]).unlink()
        state[n] = {"title": f"Story {n}", "day": day, "body": "Text.", "tags": tags, "file": f"s{n}.md"}
    elif kind in ("body", "title", "delete", "rename") and args[0] in state:
        entry = state[args[0]]
        (site / "content" / entry["file"]).unlink()
        if kind == "delete":
            del state[args[0]]
        elif kind == "rename":
            entry["file"] = args[1] + entry["file"]
        else:
            # a body edit below the first paragraph leaves the summary as it was
            entry[kind] = args[1] if kind == "title" else "Text.\n\n" + args[1]
    elif kind in ("pinned title", "field", "updated") and args[0] in state:
        entry = state[args[0]]
        if kind == "pinned title":
            entry["slug"], entry["title"] = f"s{args[0]}", args[1]
        elif kind == "field":
            entry[args[1]] = args[2]
        else:
            entry["updated"] = args[1]
    elif kind == "template":
        (site / "templates").mkdir(exist_ok=True)
        (site / "templates/404.html").write_text(f"{{% extends 'base.html' %}}{{% block content %}}{args[0]}{{% endblock %}}")
    elif kind == "config":
        sections = f"sections = {json.dumps(args[3])}\n"
        config = BASE_CONFIG.replace("per_page = 2", f"per_page = {args[0]}").replace('title = "T"', f'title = "{args[1]}"')
        search = f"search = {str(args[4]).lower()}\n"
        (site / "site.toml").write_text(config + args[2] + sections + search, encoding="utf-8")
        if args[3]:  # a section must be some article's tag: one no action edits keeps them
            state.setdefault(9, {"title": "Sections", "day": 9, "body": "Text.", "tags": ["Iran", "Cuba"], "file": "s9.md"})
    elif kind == "image" and args[0] in state:
        state[args[0]]["image"], state[args[0]]["image_caption"] = args[1], args[2]
    elif kind == "picture":
        (site / "static" / args[0]).write_bytes(picture_file(*args))
    elif kind == "static":
        (site / "static").mkdir(exist_ok=True)
        (site / "static/logo.bin").write_bytes(args[0])
    for n, entry in state.items():
        path = site / "content" / entry["file"]
        text = story(n, entry)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


def cold_build(site: Path, where: Path) -> dict[str, bytes]:
    """Build a copy of the site's sources with no cache and no earlier output."""
    shutil.rmtree(where, ignore_errors=True)
    shutil.copytree(site, where, ignore=shutil.ignore_patterns(".site-builder-cache", "output", ".output.*"))
    build(where, allow_id_change=True)
    return output_files(where / "output")


@pytest.mark.fuzz
@settings(max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(actions, min_size=1, max_size=6), in_workers=st.booleans(), search=st.booleans())
def test_incremental_build_equals_cold_build(tmp_path_factory, steps, in_workers, search):
    """`in_workers`: the incremental builds render in forked workers (output/rendering.py) even
    when they render two files; the cold builds always render in one process. `search`: the
    site starts with its search index on (a config step may turn it off or on)."""
    with pytest.MonkeyPatch.context() as patch:
        if in_workers:
            patch.setattr(rendering, "_POOL_THRESHOLD", 2)
        incremental_builds_equal_cold_builds(tmp_path_factory.mktemp("inc"), steps, search)


def incremental_builds_equal_cold_builds(root: Path, steps: list, search: bool = False) -> None:
    site = make_site(root / "site", {"content/.keep": "", **{f"static/{p}": picture_file(p, 0) for p in PICTURES}},
                     config=BASE_CONFIG + ("search = true\n" if search else ""))
    state: dict = {}
    apply(site, state, ("add", 0, 1, ["Iran"]))
    apply(site, state, ("add", 1, 2, ["Cuba", "iran"]))
    build(site)
    for k, step in enumerate(steps):
        if step[0] == "clone":
            site = moved(site, root / f"clone{k}")
        else:
            apply(site, state, step)
        build(site, allow_id_change=True)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(rendering, "_POOL_THRESHOLD", 10**9)
            assert output_files(site / "output") == cold_build(site, root / "cold"), step


def moved(site: Path, where: Path) -> Path:
    """Copy the site, its cache and output/ into a new folder, as new files (new mtimes)."""
    shutil.copytree(site, where, ignore=shutil.ignore_patterns(".output.*"), copy_function=shutil.copy)
    return where


def test_a_body_edit_when_the_cache_lost_an_article_still_equals_a_cold_build(sample_site, tmp_path):
    """A body-only rebuild reads the other articles from the cache: one missing there (a
    damaged cache) makes it load them all instead."""
    build(sample_site)
    with sqlite3.connect(sample_site / ".site-builder-cache/build.sqlite") as db:
        db.execute("DELETE FROM articles WHERE path = 'content/first-story.md'")  # the edited one's neighbour
    second = sample_site / "content/second-story.md"
    second.write_text(second.read_text() + "\nA correction.\n")
    build(sample_site)
    assert "A correction." in (sample_site / "output/articles/second-story/index.html").read_text()
    assert output_files(sample_site / "output") == cold_build(sample_site, tmp_path / "cold")


def test_a_body_edit_after_a_build_for_another_address_still_equals_a_cold_build(tmp_path):
    """Another output's build (`serve`, or --base-url) caches articles parsed for its address
    (entry ids take the address's host when site.toml has no id_domain): a body-only rebuild of
    output/ must not take those."""
    site = make_site(tmp_path / "site", {f"content/s{n}.md": article(f"Story {n}", f"2024-03-0{n}", tags="[Iran]")
                                         for n in (1, 2, 3)},
                     config='title = "T"\nbase_url = "https://u.github.io/r/"\n')
    build(site)
    build(site, tmp_path / "local", base_url="http://localhost:8000/")
    second = site / "content/s2.md"
    second.write_text(second.read_text() + "\nA correction.\n")
    build(site)
    assert b"localhost" not in b"".join(output_files(site / "output").values())
    assert output_files(site / "output") == cold_build(site, tmp_path / "cold")


def git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


@pytest.mark.parametrize(("tar_format", "edit"), [("posix", "body"), ("gnu", "body"), ("posix", "summary")])
def test_a_fresh_clone_given_the_last_builds_cache_and_output_by_tar_equals_a_cold_build(tmp_path, tar_format, edit,
                                                                                        monkeypatch):
    """The Pages workflow (issue #13): a fresh clone of the site, elsewhere, every file with a
    new inode, mtime and ctime; .site-builder-cache/ and output/ restored from the tar the last
    run saved (actions/cache: tar --posix; gnu: mtimes in whole seconds); one article's body
    (or summary: every page listing it) edited. Its build equals a cold build, writes no file
    whose bytes it did not change, and renders only what the edit reaches."""
    site = make_site(tmp_path / "site", {**{f"content/s{n}.md": story(n, {"title": f"Story {n}", "day": n, "body": "Text.",
                                                                          "tags": ["Iran"] if n % 2 else ["Cuba"]})
                                            for n in range(1, 6)},
                                         "static/logo.png": b"\x89PNG logo", ".gitignore": "output/\n.output.*\n.site-builder-cache/\n"},
                     config=BASE_CONFIG)
    git(site, "init", "-q", "-b", "main")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "site")
    build(site)
    archive = tmp_path / "cache.tar"
    subprocess.run(["tar", f"--format={tar_format}", "-cf", str(archive), "-C", str(site),
                    ".site-builder-cache", "output"], check=True)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(site), str(clone))
    subprocess.run(["tar", "-xf", str(archive), "-C", str(clone)], check=True)
    edited = clone / "content/s3.md"
    if edit == "body":
        edited.write_text(edited.read_text() + "\nA correction.\n")
    else:
        edited.write_text(edited.read_text().replace("---\n", '---\nsummary: "A new summary."\n', 1))
    restored, before = inodes(clone / "output"), output_files(clone / "output")
    rendered_again = []  # rendered (or read), then compared with the file output/ holds
    same_bytes = output._same_bytes
    monkeypatch.setattr(output, "_same_bytes", lambda path, data: rendered_again.append(path) or same_bytes(path, data))

    build(clone)
    monkeypatch.undo()

    after = output_files(clone / "output")
    assert after == cold_build(clone, tmp_path / "cold")
    rewritten = {path for path, ino in inodes(clone / "output").items() if restored.get(path) != ino}
    assert rewritten == {path for path, data in after.items() if before.get(path) != data}
    assert any(path.startswith("articles/") for path in rewritten)  # the edited article's page
    # a static file is read again (its key is its stat, new in a clone); no other file is
    # rendered that the edit does not reach
    rendered_again = {os.path.relpath(path, clone / "output") for path in rendered_again}
    if edit == "body":
        assert rendered_again - rewritten == {"logo.png"}
    else:
        assert "logo.png" in rendered_again and len(rendered_again) < len(after) / 2


def test_an_edit_undone_after_a_body_only_rebuild_equals_a_cold_build(sample_site, tmp_path):
    """A file's bytes count as unchanged when they are those the last build read (a fresh
    clone), never those of an earlier build: undoing an edit builds the undone text again."""
    second = sample_site / "content/second-story.md"
    original = second.read_text()
    build(sample_site)
    second.write_text(original + "\nA correction.\n")
    build(sample_site)
    second.write_text(original)
    build(sample_site)
    assert "A correction." not in (sample_site / "output/articles/second-story/index.html").read_text()
    assert output_files(sample_site / "output") == cold_build(sample_site, tmp_path / "cold")


def test_a_cache_left_by_other_code_of_the_tool_keeps_no_page(sample_site, monkeypatch):
    """The workflow restores the last run's cache, whose site-builder may be other code under
    the same version number (a wheel pinned to a newer commit): every output's key changes, so
    no page is kept for its key alone."""
    from site_builder.build import load as sources
    from site_builder.incremental.cache import BuildCache

    build(sample_site)
    with BuildCache(sample_site) as cache:
        keys = {path: record.key for path, record in cache.tree(sample_site / "output").files.items()}
    monkeypatch.setattr(sources, "code_digest", lambda: "other code")
    edited = sample_site / "content/first-story.md"
    edited.write_text(edited.read_text() + "\nA correction.\n")
    build(sample_site)
    with BuildCache(sample_site) as cache:
        now = {path: record.key for path, record in cache.tree(sample_site / "output").files.items()}
    # the sitemaps aside: their keys are their bytes
    rendered = [path for path in keys if path.endswith((".html", ".xml", ".json"))
                and path not in ("sitemap.xml", "news-sitemap.xml")]
    assert rendered and [path for path in rendered if now[path] == keys[path]] == []


def test_a_template_edit_rewrites_pages_and_renders_no_feed(sample_site, monkeypatch):
    """No template shapes a feed, so a theme change renders none and leaves every feed file as
    it was (issue #15): only the pages are written again."""
    from site_builder.render import feeds
    from site_builder.render.theme import default_theme_dir

    base = sample_site / "templates/base.html"
    base.parent.mkdir()
    shutil.copy(default_theme_dir() / "base.html", base)
    out = sample_site / "output"
    build(sample_site)
    before = {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    rendered: list[str] = []
    render_doc = feeds.render_doc

    def counted(site, doc, fmt, entries):
        rendered.append(doc.path(fmt))
        return render_doc(site, doc, fmt, entries)

    monkeypatch.setattr(feeds, "render_doc", counted)
    with base.open("a") as file:
        file.write("<!-- a theme change -->\n")
    build(sample_site)
    after = {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    new = {path for path in after if after[path] != before.get(path)}
    feed_files = {path for path in after if path.endswith((".xml", ".json"))
                  and path not in ("sitemap.xml", "news-sitemap.xml")}
    pages = {path for path in after if path.endswith(".html")}
    assert feed_files and pages and rendered == []
    assert new & feed_files == set()
    assert pages <= new


def test_the_spare_trees_record_reads_the_same_sharing_the_current_trees_records(sample_site):
    """A build loads the records of both trees, the second sharing the first's where they are
    equal (memory: 30,000 records a tree at 10,000 articles with pictures); what it reads is
    what it would read alone."""
    from site_builder.incremental.cache import BuildCache
    from site_builder.output.records import previous_dir

    edited = sample_site / "content/first-story.md"
    for correction in ("A correction.", "Another."):
        edited.write_text(edited.read_text() + f"\n{correction}\n")
        build(sample_site)
    with BuildCache(sample_site) as cache:
        current = cache.tree(sample_site / "output")
        alone, shared = (cache.tree(previous_dir(sample_site / "output"), like=like) for like in (None, current))
    assert shared == alone and alone.files != current.files
    same = [path for path, record in alone.files.items() if current.files.get(path) == record]
    assert same and all(shared.files[path] is current.files[path] for path in same)
    assert len(same) < len(alone.files)  # the edited article's page is not shared
