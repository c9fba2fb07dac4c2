"""Inputs that used to hang a build (issue #12, findings 4 and 9): Markdown that Python-Markdown
parses in quadratic time or worse, and files in the site's folders that block whoever opens
them. Each is refused by name, within a bounded time, with the other articles' errors listed
and output/ as it was.

The sites here set `parse_timeout` low so that the tests stay fast; the default is 10 s.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import article, examples, make_site, output_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.build.run import build
from site_builder.content.article import decode
from site_builder.content.markup import markdown_to_html
from site_builder.core.errors import BuildErrors, ContentError
from site_builder.core.worker_pool import Died, TimedOut, TooDeep, bounded_map

LIMIT = 1  # seconds an article may take to parse in these sites
CONFIG = ('title = "Test News"\nbase_url = "https://user.github.io/repo/"\nid_domain = "user.github.io"\n'
          f"parse_timeout = {LIMIT}\n")
# What a build of a few articles takes besides the limit: Python starting, forking, writing.
MARGIN = 20

UNCLOSED_LINKS = "[a](" * 10_000  # 40 KB: 18 s on main
NESTED_BRACKETS = "[" * 140_000 + "a" + "]" * 140_000  # 280 KB: not done after 300 s on main
DEEP_LIST = "- " * 1_000 + "a"  # RecursionError inside Python-Markdown: a traceback on main


def run_bounded(*args: str, seconds: float) -> subprocess.CompletedProcess:
    """Run `python -m site_builder ARGS`; fail the test if it has not ended within `seconds`."""
    started = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "-m", "site_builder", *args], check=False, capture_output=True,
                              text=True, timeout=seconds)
    except subprocess.TimeoutExpired:
        pytest.fail(f"site-builder {' '.join(args)} was still running after {seconds} s")
    done.took = time.monotonic() - started  # type: ignore[attr-defined]
    return done


def good_site(root: Path, config: str | None = CONFIG) -> Path:
    """A site that builds, already built: output/ is there to stay untouched."""
    site = make_site(root, {"content/good.md": article("Good", "2024-01-01", "A *fine* [story](https://example.org/).")},
                     config)
    build(site)  # in this process: faster than the command line, and only a setting of the scene
    return site


def test_the_two_inputs_of_the_issue_are_refused_by_name_the_other_errors_listed_nothing_written(tmp_path):
    site = good_site(tmp_path / "site")
    before = output_files(site / "output")
    (site / "content/links.md").write_text(article("Links", "2024-01-02", UNCLOSED_LINKS))
    (site / "content/nested.md").write_text(article("Nested", "2024-01-03", NESTED_BRACKETS))
    (site / "content/bad-date.md").write_text(article("Bad", "2024-13-45"))
    done = run_bounded("build", "--site", str(site), seconds=2 * LIMIT + MARGIN)
    assert done.returncode == 1, done.stderr
    assert ("content/links.md: this article takes more than 1 s to parse (10,000 unclosed '[' / '(' — "
            "a link or image not closed?; split it or fix the markup)") in done.stderr
    assert ("content/nested.md: this article takes more than 1 s to parse ('[' nested 140,000 deep; "
            "split it or fix the markup)") in done.stderr
    assert "content/bad-date.md:3: date: '2024-13-45' is not a date" in done.stderr
    assert "Nothing was written" in done.stderr
    assert output_files(site / "output") == before


def test_an_article_nested_too_deep_is_refused_and_the_articles_after_it_still_render_right(tmp_path):
    # After a RecursionError, Python-Markdown's converter rendered later articles without
    # paragraphs or links; those parsed in the same build must not come out (or be cached) so.
    site = good_site(tmp_path / "site")
    (site / "content/deep.md").write_text(article("Deep", "2024-01-02", DEEP_LIST))
    (site / "content/later.md").write_text(article("Later", "2024-01-03", "A *later* [link](https://example.org/x)."))
    done = run_bounded("build", "--site", str(site), seconds=LIMIT + MARGIN)
    assert done.returncode == 1, done.stderr
    assert "content/deep.md: this article nests too deeply to parse (lists nested 1,000 deep; fix the markup)" \
        in done.stderr
    assert "Traceback" not in done.stderr
    (site / "content/deep.md").unlink()
    build(site)
    page = (site / "output/articles/later/index.html").read_text()
    assert '<p>A <em>later</em> <a href="https://example.org/x">link</a>.</p>' in page


def test_parse_timeout_must_be_a_positive_number(tmp_path):
    site = make_site(tmp_path / "site", {"content/good.md": article("Good", "2024-01-01")},
                     CONFIG.replace(f"parse_timeout = {LIMIT}", "parse_timeout = 0"))
    done = run_bounded("build", "--site", str(site), seconds=MARGIN)
    assert done.returncode == 1
    assert "site.toml: 'parse_timeout' must be a number of seconds above 0, not 0" in done.stderr


def test_serve_shows_the_error_and_keeps_serving(tmp_path):
    from devserver import DevServerProcess

    site = make_site(tmp_path / "site", {"content/good.md": article("Good", "2024-01-01", "Fine.")}, CONFIG)
    with DevServerProcess(site) as server:
        (site / "content/links.md").write_text(article("Links", "2024-01-02", UNCLOSED_LINKS))
        state = server.wait_for(lambda: server.status()["error"] and server.status(), timeout=LIMIT + MARGIN,
                                what="the error")
        assert state["error"].startswith("content/links.md: this article takes more than 1 s to parse")
        assert "Fine." in server.page("articles/good/")  # the last good build, still served
        (site / "content/links.md").write_text(article("Links", "2024-01-02", "Fixed [link](https://example.org/)."))
        server.wait_for(lambda: server.status()["error"] is None, timeout=MARGIN, what="recovery")
        assert "Fixed" in server.page("articles/links/")


def _kill_or_stall(item: int) -> int:
    if item == 3:
        os.kill(os.getpid(), signal.SIGKILL)  # as the OOM killer would
    if item == 5:
        time.sleep(60)
    if item == 7:
        raise RecursionError
    return item * 2


def test_the_pool_names_the_item_a_worker_was_lost_on_and_finishes_the_others():
    results = dict(bounded_map(_kill_or_stall, list(range(40)), workers=2, limit=0.5))
    assert results.pop(3) == Died("killed by SIGKILL")
    assert results.pop(5) == TimedOut(0.5)
    assert results.pop(7) == TooDeep()
    assert results == {i: i * 2 for i in range(40) if i not in (3, 5, 7)}


def _die_at_5_slow_at_10(item: int) -> int:
    if item == 5:
        os.kill(os.getpid(), signal.SIGKILL)
    if item == 10:  # computed by the parent (here=True) while the worker sends 0-4 and dies
        time.sleep(0.5)
    return item * 2


def test_a_worker_that_died_before_it_was_given_more_items_costs_only_its_own_item():
    # the parent finds results 0-4 waiting, and gives the worker more at result 4, when it is
    # already dead: those items go to another worker, not a BrokenPipeError out of the build
    results = dict(bounded_map(_die_at_5_slow_at_10, list(range(40)), workers=1, limit=None, here=True))
    assert results.pop(5) == Died("killed by SIGKILL")
    assert results == {i: i * 2 for i in range(40) if i != 5}


# -- what Python-Markdown is slow on: any mix of these, repeated or nested, must end in time

_OPENERS = ["[", "![", "[a](", "[a][", "[^1]", "(", "<", "<a title='", "*", "_", "**", "`", "- ", "1. ", "> "]
_CLOSERS = ["]", ")", "](b)", ">", "*", "_", "`", "\n"]
_FILLER = ["a", " ", "\n", "&", "|", "\\", "    "]


@st.composite
def pathological_bodies(draw) -> str:
    """Markdown openers (brackets, emphasis, list and quote markers, raw HTML) nested or
    repeated thousands of times, with a little filler: the shapes that make Python-Markdown
    quadratic or deeper than its stack."""
    opening = "".join(draw(st.lists(st.sampled_from(_OPENERS), min_size=1, max_size=3)))
    filler = "".join(draw(st.lists(st.sampled_from(_FILLER + _OPENERS), max_size=3)))
    closing = "".join(draw(st.lists(st.sampled_from(_CLOSERS), max_size=2)))
    times = draw(st.integers(min_value=1_000, max_value=20_000))
    if draw(st.booleans()):
        return (opening + filler) * times + closing * times  # nested
    return (opening + filler + closing) * times  # repeated


@pytest.mark.fuzz
@settings(max_examples=examples(8), deadline=None, suppress_health_check=list(HealthCheck))
@given(body=pathological_bodies())
def test_any_pathological_nesting_builds_in_time_or_is_refused_by_name(tmp_path_factory, body):
    site = make_site(tmp_path_factory.mktemp("site"), {
        "content/ok.md": article("Ok", "2024-01-01", "Fine."),
        "content/x.md": "---\ntitle: X\ndate: 2024-01-02\n---\n" + body + "\n",
    }, CONFIG)
    started = time.monotonic()
    try:
        build(site)
    except ContentError as exc:
        assert exc.path == "content/x.md", exc
    except BuildErrors as exc:
        pytest.fail(f"more than the pathological article refused: {exc}")
    else:
        assert (site / "output/articles/x/index.html").is_file()
    assert time.monotonic() - started < LIMIT + MARGIN


# -- files that block whoever opens them (finding 9)

def _pipe(path: Path) -> None:
    os.mkfifo(path)


def _socket(path: Path) -> None:
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    sock.close()  # the socket file stays


@pytest.mark.parametrize(("where", "make", "kind"), [
    ("content/x.md", _pipe, "a named pipe"),
    ("content/sub/y.md", _socket, "a socket"),
    ("static/media/clip.mp4", _pipe, "a named pipe"),
    ("static/app.sock", _socket, "a socket"),
    ("templates/base.html", _pipe, "a named pipe"),
])
def test_a_file_that_is_not_a_regular_file_is_refused_without_being_opened(tmp_path, where, make, kind):
    site = good_site(tmp_path / "site", config=None)
    before = output_files(site / "output")
    if where.startswith("content/"):
        (site / "content/bad-date.md").write_text(article("Bad", "2024-13-45"))
        os.mkfifo(site / "content/notes.txt")  # not .md: never read, as any other file there
        os.mkfifo(site / "content/.draft.md")  # hidden: ignored, as hidden files are
    (site / where).parent.mkdir(parents=True, exist_ok=True)
    make(site / where)
    done = run_bounded("build", "--site", str(site), seconds=MARGIN)
    assert done.returncode == 1, done.stderr
    assert f"{where}: is not a regular file ({kind}): remove it or replace it with a file" in done.stderr
    if where.startswith("content/"):  # reported with the other articles' errors
        assert "content/bad-date.md:3: date: '2024-13-45' is not a date" in done.stderr
        assert "notes.txt" not in done.stderr and ".draft.md" not in done.stderr
    assert output_files(site / "output") == before


def test_import_into_a_content_folder_holding_a_named_pipe_does_not_hang(tmp_path):
    """`import` reads every content file's front matter to recognise what it imported before:
    a pipe among them blocked it for ever. It is passed over (a build refuses it by name)."""
    site = good_site(tmp_path / "site", config=None)
    os.mkfifo(site / "content/x.md")
    (site / "dump.txt").write_text("Harbour Cranes Return\nTT\nHarbour Cranes Return\nThe cranes are back.\n",
                                   encoding="utf-8")
    done = run_bounded("import", str(site / "dump.txt"), "--date", "2024-07-15", "--site", str(site), seconds=MARGIN)
    assert done.returncode == 0, done.stderr
    assert (site / "content/harbour-cranes-return.md").is_file()


def test_a_body_too_deep_for_the_renderer_leaves_later_bodies_rendered_whole():
    """Python-Markdown keeps broken state after a RecursionError: the next body came out without
    its paragraphs and links. Every in-process caller (the importer's parse-back) gets a fresh one."""
    deep = "".join("  " * depth + "- item\n" for depth in range(3000))
    with pytest.raises(RecursionError):
        markdown_to_html(deep)
    assert markdown_to_html("A [link](https://x.org/) and *this*.") == \
        '<p>A <a href="https://x.org/">link</a> and <em>this</em>.</p>'


def test_a_feed_entry_nested_too_deep_is_refused_by_name(tmp_path):
    """An entry of lists nested 1,000 deep ended the import with a RecursionError traceback
    (markdownify walks the HTML recursively)."""
    site = good_site(tmp_path / "site", config=None)
    deep = "<ul><li>x" * 1000 + "</li></ul>" * 1000
    items = "".join(f"<item><title>{title}</title><link>https://other.example/{n}</link>"
                    f"<pubDate>Wed, 10 Jul 2024 09:3{n}:00 GMT</pubDate>"
                    f"<description><![CDATA[{body}]]></description></item>"
                    for n, (title, body) in enumerate([("Deep", deep), ("Plain", "<p>Text.</p>")]))
    (site / "feed.xml").write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>O</title>'
                                   f"<link>https://other.example/</link><description>d</description>{items}"
                                   "</channel></rss>", encoding="utf-8")
    done = run_bounded("import", str(site / "feed.xml"), "--site", str(site), seconds=MARGIN)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1
    assert "feed.xml:1: the entry 'Deep' nests too deeply to import" in done.stderr, done.stderr


_NONCHARACTERS = [chr(plane << 16 | low) for plane in range(17) for low in (0xfffe, 0xffff)]


@given(st.lists(st.one_of(st.text(max_size=20), st.sampled_from(["\x0b", "\x0c", "\x7f", "\x85", "\ufdd0", "😀",
                                                                 *_NONCHARACTERS])), max_size=12).map("".join))
def test_every_control_character_and_noncharacter_is_dropped_whatever_else_the_text_holds(text):
    # the search for them is quicker when the text has no astral character: the result is the same
    text = text.replace("\0", "")
    decoded = decode("a.md", text.encode("utf-8"))
    expected = "".join(" " if c in "\x0b\x0c" else "" if (c < " " and c not in "\t\n\r") or "\x7f" <= c <= "\x9f"
                       or "\ufdd0" <= c <= "\ufdef" or c in _NONCHARACTERS else c
                       for c in text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff"))
    assert decoded == expected
