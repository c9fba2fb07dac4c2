#!/usr/bin/env python3
# Copied from ../shared/bench/make_corpus.py (a shared project file the users gave us), unchanged
# but for these two comment lines; benchmarks/run.py imports it. Keep the two copies in step.
"""Deterministic generator of a synthetic news-article corpus (stdlib only).

Usage:
    python make_corpus.py --n 1000 --format hugo    --out DIR   # DIR/content/posts/<slug>.md, YAML
    python make_corpus.py --n 1000 --format jekyll  --out DIR   # DIR/_posts/YYYY-MM-DD-<slug>.md, YAML + layout: post
    python make_corpus.py --n 1000 --format pelican --out DIR   # DIR/content/<slug>.md, 'Key: value' metadata
    python make_corpus.py --n 1000 --format generic --out DIR   # DIR/content/<slug>.md, YAML incl. image_caption

Article i depends only on (seed, i) and the slugs of articles < i, so the N=1000
corpus is exactly the first 1000 articles of the N=10000 corpus.  The relative path
of one article in the middle (index N//2) is written to DIR/.edit_target, for
"one article changed" rebuild benchmarks.
"""
import argparse
import datetime as dt
import os
import random
import re
import sys
import unicodedata

# ---------------------------------------------------------------- word lists
COUNTRIES = [
    "United States", "China", "Russia", "Ukraine", "India", "Brazil", "Mexico", "Cuba",
    "Venezuela", "Argentina", "Chile", "Colombia", "Peru", "Canada", "United Kingdom",
    "France", "Germany", "Italy", "Spain", "Portugal", "Poland", "Hungary", "Greece",
    "Turkey", "Israel", "Iran", "Iraq", "Syria", "Lebanon", "Saudi Arabia", "Egypt",
    "Nigeria", "South Africa", "Kenya", "Ethiopia", "Sudan", "Japan", "South Korea",
    "North Korea", "Taiwan", "Vietnam", "Indonesia", "Philippines", "Australia",
    "New Zealand", "Pakistan", "Afghanistan", "Bangladesh", "Sweden", "Norway",
    "Denmark", "Finland",
]
PEOPLE = [
    "Miguel Díaz-Canel", "Luiz Inácio Lula da Silva", "Recep Tayyip Erdoğan",
    "Andrés Manuel López Obrador", "Emmanuel Macron", "Olaf Scholz", "Volodymyr Zelensky",
    "Vladimir Putin", "Xi Jinping", "Joe Biden", "Narendra Modi", "Pedro Sánchez",
    "Gabriel Boric", "Viktor Orbán", "Ursula von der Leyen", "Mette Frederiksen",
    "Kyriakos Mitsotakis", "Andrzej Duda", "Giorgia Meloni", "Rishi Sunak",
    "Justin Trudeau", "Anthony Albanese", "Cyril Ramaphosa", "Bola Tinubu", "Abiy Ahmed",
    "Fumio Kishida", "Yoon Suk-yeol", "Benjamin Netanyahu", "Mohammed bin Salman",
    "Abdel Fattah el-Sisi", "Nicolás Maduro", "Gustavo Petro", "Javier Milei",
    "Dina Boluarte", "Jens Stoltenberg", "António Guterres", "Christine Lagarde",
    "Jerome Powell", "Tedros Adhanom Ghebreyesus", "Sanna Marin",
]
TOPICS = [
    "Elections", "Economy", "Inflation", "Interest Rates", "Trade", "Energy", "Oil",
    "Climate Change", "Wildfires", "Floods", "Drought", "Agriculture", "Migration",
    "Refugees", "Human Rights", "Protests", "Courts", "Supreme Court", "Corruption",
    "Diplomacy", "Sanctions", "Defense", "NATO", "European Union", "United Nations",
    "Middle East", "Latin America", "Public Health", "Vaccines", "Education",
    "Technology", "Artificial Intelligence", "Cybersecurity", "Space", "Science",
    "Housing", "Labor", "Strikes", "Transport", "Aviation", "Shipping", "Tourism",
    "Football", "World Cup", "Olympics", "Culture", "Film", "Music", "Media",
    "Press Freedom", "Religion", "Terrorism", "Crime", "Police", "Banking", "Markets",
    "Cryptocurrency", "Startups", "Real Estate", "Water",
]
TAG_POOL = COUNTRIES + PEOPLE + TOPICS  # 152 tags

CITIES = [
    "Havana", "Brasília", "Ankara", "Mexico City", "Paris", "Berlin", "Kyiv", "Moscow",
    "Beijing", "Washington", "New Delhi", "Madrid", "Santiago", "Budapest", "Brussels",
    "Copenhagen", "Athens", "Warsaw", "Rome", "London", "Ottawa", "Canberra", "Pretoria",
    "Abuja", "Addis Ababa", "Tokyo", "Seoul", "Jerusalem", "Riyadh", "Cairo", "Caracas",
    "Bogotá", "Buenos Aires", "Lima", "Geneva", "Nairobi", "São Paulo", "Kraków",
    "Reykjavík", "Zürich",
]
ORGS = [
    "the central bank", "the finance ministry", "the electoral commission",
    "the opposition coalition", "the interior ministry", "the national statistics office",
    "the health ministry", "a coalition of rights groups", "the state energy company",
    "the ruling party", "the constitutional court", "the transport union",
    "the International Monetary Fund", "the World Bank", "the World Health Organization",
    "the European Commission", "the United Nations refugee agency", "the chamber of commerce",
]
ROLES = [
    "a senior official", "a government spokesperson", "an opposition lawmaker",
    "a Western diplomat", "an economist at a local university", "a union leader",
    "a regional governor", "a military analyst", "a human rights researcher",
    "a former minister", "a senior adviser", "the deputy foreign minister",
]
VERBS_PAST = [
    "announced", "warned", "confirmed", "rejected", "welcomed", "criticized", "unveiled",
    "defended", "postponed", "approved", "signaled", "acknowledged",
]
NOUNS = [
    "reform", "plan", "budget", "agreement", "investigation", "proposal", "ceasefire",
    "package", "strategy", "referendum", "crackdown", "deal", "bill", "review", "inquiry",
    "overhaul", "program", "settlement",
]
ADJS = [
    "sweeping", "controversial", "long-awaited", "fragile", "unprecedented", "ambitious",
    "modest", "contested", "emergency", "landmark", "temporary", "bilateral",
]
QUOTES = [
    "We will not accept any outcome that puts our citizens at risk",
    "This is a decisive moment for the whole region",
    "The numbers speak for themselves, and they are not good",
    "Nobody wants a return to the situation we had two years ago",
    "We are ready to talk, but not under these conditions",
    "It is too early to say whether the measures are working",
    "People are tired, and they want to see results",
    "The government has listened, and now it must act",
    "This decision was not taken lightly",
    "We have been warning about this for months",
    "There is no quick fix, but there is a path forward",
    "Our priority is to protect the most vulnerable families",
    "What we are seeing is a coordinated campaign",
    "The agreement is far from perfect, but it is a start",
]
HEAD_VERBS = [
    "Tighten", "Expand", "Review", "Suspend", "Revive", "Scrap", "Delay", "Back", "Fund",
    "Challenge", "Overhaul", "Extend",
]
HEAD_VERBS_3 = [
    "Deepens", "Intensifies", "Spreads", "Eases", "Stalls", "Escalates", "Widens", "Lingers",
]
HEAD_OBJECTS = [
    "Fuel Subsidies", "Border Controls", "Pension Reform", "Grain Exports",
    "Emergency Powers", "Tax Cuts", "Climate Targets", "Arms Deliveries",
    "Debt Talks", "Power Plant Plans", "Media Law", "Minimum Wage", "Rail Strike Talks",
    "Water Rationing", "Visa Rules", "Mining Licences",
]
HEAD_ADJS = ["Historic", "Fragile", "Bitter", "Quiet", "Costly", "Uneasy", "Risky", "Bold"]
HEAD_NOUNS = ["Dispute", "Crisis", "Standoff", "Slowdown", "Rift", "Backlash", "Shortage", "Surge"]
EVENTS = [
    "Deadly Storm", "Surprise Vote", "Bank Collapse", "Border Clash", "Cyberattack",
    "Court Ruling", "Mass Walkout", "Cabinet Reshuffle",
]
HEAD_QUOTES = [
    "We Will Not Back Down", "This Is Our Moment", "The Worst Is Behind Us",
    "A Line Has Been Crossed", "Nobody Is Above the Law", "We Need Answers",
]
PHOTOGRAPHERS = [
    "Ana Pérez", "Jürgen Müller", "Chen Wei", "Olúwaseun Adébáyọ̀", "Ioana Popescu",
    "Søren Kierulf", "María José Núñez", "Kenji Sato", "Leïla Benali", "Tomás Ó Briain",
]
AGENCIES = ["Reuters", "AFP", "AP", "EFE", "dpa", "ANSA", "Kyodo"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
TZ_OFFSETS = [0, 60, 120, -180, -240, -300, 330, 480, 540, -360]  # minutes
LINK_TEXTS = ["a statement", "the full report", "official figures", "an earlier report",
              "the draft text", "a court filing", "the ministry's website"]

SMALL = {"a", "an", "the", "of", "in", "on", "for", "to", "and", "at", "by", "with", "as", "over"}


# ---------------------------------------------------------------- helpers
def slugify(s):
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii").lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s or "article"


def title_case(s):
    words = s.split(" ")
    out = []
    for k, w in enumerate(words):
        if k and w.lower() in SMALL:
            out.append(w.lower())
        elif w[:1].islower():
            out.append(w[:1].upper() + w[1:])
        else:
            out.append(w)
    return " ".join(out)


def yaml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def weighted_tags(rng, weights, k):
    chosen = []
    idx = list(range(len(TAG_POOL)))
    w = list(weights)
    for _ in range(k):
        j = rng.choices(idx, weights=w, k=1)[0]
        chosen.append(TAG_POOL[j])
        w[j] = 0.0
    return chosen


def tag_weights(seed):
    r = random.Random(seed ^ 0x5EED)
    order = list(range(len(TAG_POOL)))
    r.shuffle(order)
    w = [0.0] * len(TAG_POOL)
    for rank, j in enumerate(order):
        w[j] = 1.0 / (rank + 4) ** 0.9     # Zipf-like: some tags are big, many are small
    return w


def headline(rng):
    while True:
        t = rng.randrange(10)
        P, C, C2 = rng.choice(PEOPLE), rng.choice(COUNTRIES), rng.choice(COUNTRIES)
        T = rng.choice(TOPICS)
        if t == 0:
            h = f"{P} Says {C} Will {rng.choice(HEAD_VERBS)} {rng.choice(HEAD_OBJECTS)}"
        elif t == 1:
            h = (f"{C} Moves to {rng.choice(HEAD_VERBS)} {rng.choice(HEAD_OBJECTS)} as "
                 f"{T} {rng.choice(HEAD_NOUNS)} {rng.choice(HEAD_VERBS_3)}")
        elif t == 2:
            h = f"“{rng.choice(HEAD_QUOTES)}”: {P} Defends {rng.choice(HEAD_OBJECTS)}"
        elif t == 3:
            h = f"{C} and {C2} Agree to {rng.choice(HEAD_VERBS)} {rng.choice(HEAD_OBJECTS)} After Talks"
        elif t == 4:
            h = f"{T} Fears Grow in {C} After {rng.choice(EVENTS)}"
        elif t == 5:
            h = f"Inside the ‘{rng.choice(HEAD_ADJS)}’ {rng.choice(HEAD_NOUNS)} Reshaping {C}"
        elif t == 6:
            h = f"{P} Faces {rng.choice(HEAD_ADJS)} Test as {T} {rng.choice(HEAD_NOUNS)} {rng.choice(HEAD_VERBS_3)}"
        elif t == 7:
            h = f"Why {C}’s {rng.choice(HEAD_NOUNS)} Over {rng.choice(HEAD_OBJECTS)} Matters for {T}"
        elif t == 8:
            h = f"{rng.randint(3, 140)} Dead as {rng.choice(EVENTS)} Hits {C}, Officials Say"
        else:
            h = f"{C} Braces for ‘{rng.choice(HEAD_ADJS)}’ Week as {P} Weighs {rng.choice(HEAD_OBJECTS)}"
        h = title_case(h)
        if 6 <= len(h.split()) <= 12:
            return h


def fmt_num(rng):
    n = rng.choice([rng.randint(2, 99), rng.randint(100, 9999), rng.randint(10000, 900000)])
    return f"{n:,}"


def sentence(rng, ctx):
    """One sentence of news prose; ctx holds the article's main actors."""
    P = rng.choice(ctx["people"])
    C = rng.choice(ctx["countries"])
    topic = rng.choice(ctx["topics"]).lower() if rng.random() < 0.8 else rng.choice(TOPICS).lower()
    org, role, city = rng.choice(ORGS), rng.choice(ROLES), rng.choice(CITIES)
    noun, adj, vp = rng.choice(NOUNS), rng.choice(ADJS), rng.choice(VERBS_PAST)
    day, month = rng.choice(WEEKDAYS), rng.choice(MONTHS)
    q = rng.choice(QUOTES)
    pct = f"{rng.randint(1, 40)}.{rng.randint(0, 9)} percent"
    t = rng.randrange(22)
    if t == 0:
        s = f"{P} {vp} the {adj} {noun} on {day}, saying it would reshape {topic} policy in {C} for years to come."
    elif t == 1:
        s = f"“{q},” {P} told reporters in {city}."
    elif t == 2:
        s = f"According to {org}, the measure could affect as many as {fmt_num(rng)} people by the end of {month}."
    elif t == 3:
        s = f"“{q},” said {role}, who spoke on condition of anonymity because they were not authorized to discuss the talks."
    elif t == 4:
        s = f"The announcement came after weeks of pressure from {org} and a series of protests in {city}."
    elif t == 5:
        s = f"Figures released by {org} showed {topic} indicators rising {pct} compared with the same period last year."
    elif t == 6:
        s = f"Critics said the {noun} did little to address the underlying causes of the {topic} crisis."
    elif t == 7:
        s = f"In {city}, residents described long queues, rising prices and a growing sense of uncertainty."
    elif t == 8:
        s = f"{C} has faced mounting criticism over its handling of {topic}, with {org} calling for an independent review."
    elif t == 9:
        s = f"Officials in {C} {vp} that talks would resume next {day}, although no date has been formally set."
    elif t == 10:
        s = f"The {adj} {noun} is expected to be debated in parliament before the end of {month}."
    elif t == 11:
        s = (f"{P} has repeatedly argued that {topic} cannot be separated from wider questions of "
             f"security and growth.")
    elif t == 12:
        s = f"Analysts warned that the decision could *{rng.choice(['backfire', 'deepen divisions', 'unsettle markets', 'stall progress'])}* if it is not accompanied by broader reforms."
    elif t == 13:
        slug = slugify(f"{topic} {noun} {month}")
        s = (f"The details were published in [{rng.choice(LINK_TEXTS)}](https://example.org/{slug}) "
             f"released late on {day}.")
    elif t == 14:
        s = f"Turnout, trade volumes and public confidence have all fallen sharply, according to {org}."
    elif t == 15:
        s = f"“{q}. {rng.choice(QUOTES)},” {role} said in an interview."
    elif t == 16:
        s = f"Neither {P}’s office nor {org} responded to requests for comment."
    elif t == 17:
        s = f"The government in {C} has set aside {fmt_num(rng)} million dollars to cushion the impact on households."
    elif t == 18:
        s = f"Some {fmt_num(rng)} people gathered outside the ministry in {city} on {day} evening, chanting slogans and waving flags."
    elif t == 19:
        s = f"It was not immediately clear how the {noun} would be financed or when it would take effect."
    elif t == 20:
        s = f"Observers noted that the timing, only weeks before key votes on {topic}, was *not a coincidence*."
    else:
        s = f"The {adj} {noun} follows a similar move by neighbouring countries earlier this year, {role} said."
    return s


def make_article(i, seed, weights, used_slugs):
    rng = random.Random(seed * 1_000_003 + i)
    title = headline(rng)
    base = slugify(title)
    slug, k = base, 2
    while slug in used_slugs:
        slug, k = f"{base}-{k}", k + 1
    used_slugs.add(slug)

    start = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
    instant = start + dt.timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
    off = rng.choice(TZ_OFFSETS)
    local = instant.astimezone(dt.timezone(dt.timedelta(minutes=off)))

    tags = weighted_tags(rng, weights, rng.randint(2, 5))
    ctx = {
        "people": [t for t in tags if t in PEOPLE] or [rng.choice(PEOPLE)],
        "countries": [t for t in tags if t in COUNTRIES] or [rng.choice(COUNTRIES)],
        "topics": [t for t in tags if t in TOPICS] or [rng.choice(TOPICS)],
    }
    summary = sentence(rng, ctx)
    caption = (f"{rng.choice(PEOPLE)} speaks to reporters in {rng.choice(CITIES)} on "
               f"{MONTHS[local.month - 1]} {local.day}. Photo: {rng.choice(PHOTOGRAPHERS)}/"
               f"{rng.choice(AGENCIES)}")

    npar = rng.randint(8, 14)
    target = rng.randint(500, 860)
    sents, total = [], 0
    while total < target or len(sents) < npar:
        s = sentence(rng, ctx)
        sents.append(s)
        total += len(s.split())
    # split the sentences into npar paragraphs at distinct random cut points
    cuts = sorted(rng.sample(range(1, len(sents)), npar - 1))
    bounds = [0] + cuts + [len(sents)]
    paras = [" ".join(sents[bounds[k]:bounds[k + 1]]) for k in range(npar)]
    body = "\n\n".join(paras) + "\n"
    return {
        "i": i, "title": title, "slug": slug, "date": local, "tags": tags,
        "summary": summary, "caption": caption, "body": body, "words": total,
    }


def iso(d):
    s = d.strftime("%Y-%m-%dT%H:%M:%S%z")
    return s[:-2] + ":" + s[-2:]


def yaml_front(a, extra_first=(), with_caption=True):
    lines = ["---"] + list(extra_first)
    lines.append(f"title: {yaml_str(a['title'])}")
    lines.append(f"date: {iso(a['date'])}")
    lines.append("tags:")
    lines += [f"  - {yaml_str(t)}" for t in a["tags"]]
    lines.append(f"summary: {yaml_str(a['summary'])}")
    if with_caption:
        lines.append(f"image_caption: {yaml_str(a['caption'])}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def render(a, fmt):
    """Return (relative path, text) for one article in the given format."""
    if fmt == "hugo":
        return f"content/posts/{a['slug']}.md", yaml_front(a) + a["body"]
    if fmt == "generic":
        return f"content/{a['slug']}.md", yaml_front(a) + a["body"]
    if fmt == "jekyll":
        name = f"_posts/{a['date']:%Y-%m-%d}-{a['slug']}.md"
        return name, yaml_front(a, extra_first=["layout: post"]) + a["body"]
    if fmt == "pelican":
        d = a["date"]
        off = d.strftime("%z")
        meta = [
            f"Title: {a['title']}",
            f"Date: {d:%Y-%m-%d %H:%M}{off[:3]}:{off[3:]}",
            f"Tags: {', '.join(a['tags'])}",
            f"Summary: {a['summary']}",
            f"Slug: {a['slug']}",
            f"Image_caption: {a['caption']}",
        ]
        return f"content/{a['slug']}.md", "\n".join(meta) + "\n\n" + a["body"]
    raise ValueError(fmt)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--format", choices=["hugo", "jekyll", "pelican", "generic"], required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--stats", action="store_true", help="print corpus statistics to stderr")
    args = ap.parse_args(argv)

    weights = tag_weights(args.seed)
    used = set()
    dirs = set()
    edit_target = None
    tag_count = {}
    words = []
    for i in range(args.n):
        a = make_article(i, args.seed, weights, used)
        rel, text = render(a, args.format)
        path = os.path.join(args.out, rel)
        d = os.path.dirname(path)
        if d not in dirs:
            os.makedirs(d, exist_ok=True)
            dirs.add(d)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        if i == args.n // 2:
            edit_target = rel
        for t in a["tags"]:
            tag_count[t] = tag_count.get(t, 0) + 1
        words.append(a["words"])
    with open(os.path.join(args.out, ".edit_target"), "w") as f:
        f.write(edit_target + "\n")
    if args.stats:
        print(f"articles={args.n} tags_used={len(tag_count)} words min/mean/max="
              f"{min(words)}/{sum(words) / len(words):.0f}/{max(words)} "
              f"largest tag={max(tag_count.values())} smallest tag={min(tag_count.values())}",
              file=sys.stderr)


if __name__ == "__main__":
    main()
