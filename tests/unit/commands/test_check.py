"""`site-builder check`: a built site with no problem passes; sites broken on purpose — a
page deleted, a broken link in a template, an entry removed from the sitemap, an orphaned
page, feeds that break the rules — list every problem with the file it is in, exit 1."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import BASE_URL, REPO, article, make_site, picture, run_cli

from site_builder.build.run import build


@pytest.fixture
def site(tmp_path) -> Path:
    """Four articles, two per page, linking the ways writers do, with images and footnotes."""
    root = make_site(tmp_path / "site", {
        "content/one.md": article("One", "2024-01-01", "See [all tags](/tags/) and [two](../two/).", tags="[Iran]"),
        "content/two.md": article("Two", "2024-01-02", "A note.[^1]\n\n[^1]: The note.", tags="[Iran, Cuba]",
                                  image="images/map.png", image_caption="Map"),
        "content/three.md": article("Three", "2024-01-03", "![map](/images/map.png)", tags="[IAEA]"),
        "content/four.md": article("Four", "2024-01-04", "[Archive](/archive/), [feed](/feed.xml)."),
        "static/images/map.png": picture(),
        "static/google1234.html": "google-site-verification: google1234.html",
    }, config=f'title = "Test News"\nbase_url = "{BASE_URL}"\nauthor = "Desk"\nper_page = 2\nfeed_items = 2\n')
    build(root)
    return root


def check(site: Path, *args: str):
    result = run_cli("check", "--site", str(site), *args)
    lines = [line for line in result.stdout.splitlines() if line]
    return result, lines


def test_a_good_site_has_no_problems(site):
    result, lines = check(site)
    assert result.returncode == 0, result.stdout
    assert len(lines) == 1 and re.fullmatch(rf"Checked 1\d pages, \d+ feeds and the sitemap of .*/output for "
                                            rf"{BASE_URL}: no problems", lines[0]), lines


def test_a_site_built_for_another_address_is_checked_for_that_address(site, tmp_path):
    out = tmp_path / "at-root"
    build(site, out, base_url="https://news.example.org/")
    result, _ = check(site, "--output", str(out), "--base-url", "https://news.example.org/")
    assert result.returncode == 0, result.stdout
    result, lines = check(site, "--output", str(out))  # checked for site.toml's address instead
    assert result.returncode == 1
    assert any("feed.xml: its self link is https://news.example.org/feed.xml, but the feed is at "
               f"{BASE_URL}feed.xml" in line for line in lines), lines


def test_a_deleted_page_is_reported_on_every_page_and_feed_that_links_to_it(site):
    with open(site / "site.toml", "a") as toml:  # One, linking Two, is in a feed with its content
        toml.write("tag_feed_full_content = true\n")
    build(site)
    shutil.rmtree(site / "output/articles/two")
    result, lines = check(site)
    assert result.returncode == 1
    problems = "\n".join(lines)
    out = f"{site / 'output'}/"
    for page in ("page/2/index.html", "archive/2024/01/index.html", "tags/iran/index.html", "tags/cuba/index.html",
                 "articles/one/index.html", "articles/three/index.html"):
        assert re.search(rf"^{re.escape(out + page)}:\d+: broken link '(\.\./)*(articles/)?two/': "
                         "articles/two/index.html does not exist$", problems, re.MULTILINE), page
    for feed, at in (("archive/2024/01/feed.xml", 3), ("archive/2024/01/atom.xml", 3), ("tags/cuba/feed.xml", 1),
                     ("tags/cuba/atom.xml", 1)):
        assert f"{out}{feed}: entry {at} ('Two')'s link is broken: articles/two/index.html does not exist" in problems
    assert f"{out}archive/2024/01/feed.json: item 3 ('Two')'s link is broken" in problems
    assert f"{out}tags/iran/feed.xml: entry 2 ('One'): '{BASE_URL}articles/two/' in its content is broken" in problems
    assert f"{out}sitemap.xml: lists {BASE_URL}articles/two/, but articles/two/index.html does not exist" in problems
    assert "problem" in result.stderr and result.stderr.rstrip().endswith("problems")


THEME = REPO / "templates"


def with_footer(site: Path, footer: str) -> None:
    """Override the theme's base.html with one that adds `footer` to every page; rebuild."""
    (site / "templates").mkdir(exist_ok=True)
    (site / "templates/base.html").write_text((THEME / "base.html").read_text().replace("</body>", footer + "\n</body>"))
    build(site)


def test_a_broken_link_in_a_template_is_reported_on_every_page_with_its_line(site):
    with_footer(site, "<a href=\"{{ link('about/') }}\">About</a>")
    result, lines = check(site)
    assert result.returncode == 1
    broken = [line for line in lines if "broken link" in line]
    pages = sorted(p.relative_to(site / "output").as_posix() for p in (site / "output").rglob("*.html")
                   if p.name != "google1234.html")
    assert sorted(line.split("/output/")[1].split(":")[0] for line in broken) == pages
    assert all(re.search(r"\.html:\d+: broken link '(/repo/|(\.\./)+)?about/': about/index.html does not exist$",
                         line) for line in broken), broken


def test_a_link_outside_the_sub_path_is_reported(site):
    with_footer(site, '<a href="/about/">About</a>')  # a template that does not use link()
    result, lines = check(site)
    assert result.returncode == 1
    assert re.search(r"/output/archive/index\.html:\d+: broken link '/about/': /about/ is outside the site's path "
                     r"/repo/ \(GitHub Pages answers it with a 404", "\n".join(lines))


def test_a_broken_anchor_is_reported(site):
    (site / "content/one.md").write_text(article("One", "2024-01-01", "[Missing](#nowhere)", tags="[Iran]"))
    build(site)
    result, lines = check(site)
    assert result.returncode == 1
    assert re.search(r"articles/one/index\.html:\d+: broken anchor '#nowhere': this page has no element with id "
                     "'nowhere'", "\n".join(lines))


def test_a_missing_image_is_reported_on_the_page_and_in_the_feeds(site):
    (site / "content/three.md").write_text(article("Three", "2024-01-03", "![map](/images/gone.png)", tags="[IAEA]"))
    build(site)
    result, lines = check(site)
    assert result.returncode == 1
    problems = "\n".join(lines)
    assert re.search(r"articles/three/index\.html:\d+: broken link '\.\./\.\./images/gone\.png': "
                     r"images/gone\.png does not exist", problems)
    assert f"/output/feed.xml: entry 2 ('Three'): '{BASE_URL}images/gone.png' in its content is broken" in problems


def test_an_entry_removed_from_the_sitemap_is_reported(site):
    sitemap = site / "output/sitemap.xml"
    sitemap.write_text("\n".join(line for line in sitemap.read_text().splitlines() if "articles/three/" not in line))
    result, lines = check(site)
    assert result.returncode == 1
    assert lines[0] == f"{site / 'output'}/sitemap.xml: does not list the article {BASE_URL}articles/three/"
    assert len(lines) == 1


def test_an_orphaned_page_is_reported_but_not_a_static_one(site):
    orphan = site / "output/articles/old/index.html"
    orphan.parent.mkdir()
    orphan.write_text((site / "output/articles/one/index.html").read_text())
    sitemap = site / "output/sitemap.xml"
    sitemap.write_text(sitemap.read_text().replace("</urlset>", f"<url><loc>{BASE_URL}articles/old/</loc></url></urlset>"))
    result, lines = check(site)
    assert result.returncode == 1
    assert lines == [f"{orphan}: orphaned page: no chain of links from the home page leads here"]


def test_feeds_that_break_the_rules_are_reported(site):
    out = site / "output"
    atom = (out / "atom.xml").read_text()
    ids = re.findall(r"<id>(tag:[^<]*articles[^<]*)</id>", atom)
    (out / "atom.xml").write_text(atom.replace(ids[1], ids[0]).replace('rel="self"', 'rel="related"'))
    rss = (out / "feed.xml").read_text()
    (out / "feed.xml").write_text(rss.replace(f"{BASE_URL}images/map.png", "images/map.png", 1))
    (out / "tags/iran/atom.xml").write_text((out / "tags/iran/atom.xml").read_text().replace("</feed>", ""))
    doc = json.loads((out / "feed.json").read_text())
    doc["version"] = "https://jsonfeed.org/version/1"
    doc["items"][0]["id"] = "tag:other"
    (out / "feed.json").write_text(json.dumps(doc))
    result, lines = check(site)
    assert result.returncode == 1
    problems = "\n".join(lines)
    assert f"{out}/atom.xml: has no self link: a feed must name its own address ({BASE_URL}atom.xml)" in problems
    assert f"{out}/atom.xml: entry 2 ('Three') has the id '{ids[0]}' of an earlier entry: ids must be unique" in problems
    assert re.search(r"feed\.xml: entry \d \('\w+'\): relative URL 'images/map.png' in its content", problems)
    assert f"{out}/tags/iran/atom.xml: does not parse as a feed:" in problems
    assert f"{out}/feed.json: 'version' is 'https://jsonfeed.org/version/1'" in problems
    assert f"{out}/feed.json: the entry {BASE_URL}articles/four/ has the id 'tag:other' here but" in problems


def test_an_unbuilt_site_is_an_error(tmp_path):
    site = make_site(tmp_path / "s", {})
    result = run_cli("check", "--site", str(site))
    assert result.returncode == 1
    assert "holds no built site" in result.stderr and "site-builder build" in result.stderr


def test_the_shared_sample_site_checks_clean(built):
    """conftest's sample site: root-relative links in bodies, a lead image, tags spelled two ways."""
    result, lines = check(built.parent)
    assert result.returncode == 0, lines


def test_verbose_check_reports_its_progress(site):
    result, _ = check(site, "--verbose")
    assert result.returncode == 0
    # 14 pages, and the authors index and the pages of its two authors (issue #16)
    assert re.search(r"^pages: 17/17 \(", result.stderr, re.MULTILINE) and "feeds: " in result.stderr


def test_an_article_with_an_empty_body_checks_clean(tmp_path):
    """`site-builder new` makes an article with no body yet; its site must still check clean."""
    site = make_site(tmp_path / "site", {"content/a.md": "---\ntitle: Empty For Now\ndate: 2024-01-01\ntags: [Weather]\n---\n"})
    assert run_cli("build", "--site", str(site)).returncode == 0
    result = run_cli("check", "--site", str(site))
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_github_io_site_near_or_over_github_pages_1_gb_is_reported(site):
    """Issue #15: GitHub Pages publishes up to 1 GB. From 80% of it `check` warns (exit 0);
    over it, GitHub Pages would refuse the site: a problem (exit 1). A sparse file makes the
    size without the disk."""
    big = site / "output/static/big.bin"
    with big.open("wb") as f:
        f.truncate(850_000_000)
    result, lines = check(site)
    assert result.returncode == 0, result.stdout
    assert re.fullmatch(r"warning: the site is 850 MB in \d+ files, 85% of the 1 GB GitHub Pages publishes; "
                        r"see 'Size' in the README .*archive_full_content = false.*\n", result.stderr), result.stderr
    assert lines[-1].endswith("no problems")
    with big.open("r+b") as f:
        f.truncate(1_000_000_001)
    result, lines = check(site)
    assert result.returncode == 1 and not result.stderr.startswith("warning:")
    assert any(re.search(r"/: the site is 1,00\d MB in \d+ files: GitHub Pages refuses sites over 1 GB", line)
               for line in lines), lines
    # the same site published elsewhere: its size is its host's business
    result, lines = check(site, "--base-url", "https://news.example.org/", "--output", str(site / "output"))
    assert "GitHub Pages" not in result.stdout + result.stderr
