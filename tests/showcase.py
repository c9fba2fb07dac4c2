"""The showcase site: what a reader sees of the default theme, for the checks that look at it
as a reader would (issue #16, "Checks"): the Nu Html Checker and axe-core (tests/e2e/
test_reader_checks.py), Lighthouse (scripts/lighthouse.sh) and the screenshots of the README
(scripts/screenshots.py).

It is the repository's sample site (site.toml and content/) with sections, and three more
stories: an English one leading with a picture processed by the build (drawn here by Pillow,
1600×1000, so every rendition exists and the share card's is 1200 px wide), by named authors,
and its Arabic translation (`translation_key`); an Arabic one, by another; and a short one by
the first author."""
from __future__ import annotations

import shutil
from pathlib import Path

from site_builder.build.run import build

REPO = Path(__file__).resolve().parent.parent
PREFIX = "/site-builder/"  # served under a sub-path, as a GitHub project site is
BASE_URL = f"https://example.github.io{PREFIX}"
PICTURE = "images/sohar-port.jpg"
PICTURE_SIZE = (1600, 1000)

# as `init` writes for a new site: Unicode slugs and search
SECTIONS = 'sections = ["Iran", "Oman"]\nslugs = "unicode"\nsearch = true\n'
STORIES = {
    "sohar-port-strike-ends.md": f"""---
title: "Sohar Port Strike Ends After Three Days as Operator Agrees to Raise Pay"
date: 2024-07-12T09:30:00+04:00
updated: 2024-07-12T16:05:00+04:00
tags: [Oman, Ports, Iran]
author: [Leila Haddad, Omar Al-Harthy]
translation_key: sohar-strike
image: {PICTURE}
image_alt: "Container cranes over a quay at dawn"
image_caption: "Cranes at Sohar port on Friday morning, as the first ships since Tuesday came alongside."
image_credit: "Gulf & World Report"
summary: "Dockworkers at Sohar returned to work on Friday after the operator agreed to raise wages by 8%."
---
Dockworkers at **Sohar** returned to work on Friday after a three-day strike over pay, the
port's operator said.

The agreement raises wages by 8% and adds a night-shift allowance. Ships that had waited
off the coast since Tuesday began to come alongside by noon.

| day | ships waiting |
|---|---|
| Tuesday | 12 |
| Friday | 3 |

Traders in Tehran, whose goods to the Gulf pass through the port, welcomed the news.
""",
    "sohar-port-strike-ends-ar.md": f"""---
title: "انتهاء إضراب ميناء صحار بعد ثلاثة أيام بعد موافقة الشركة المشغّلة على رفع الأجور"
date: 2024-07-12T09:00:00+04:00
tags: [Oman, Ports, إيران]
language: ar
author: "مكتب الخليج"
translation_key: sohar-strike
image: {PICTURE}
image_alt: "رافعات حاويات فوق رصيف عند الفجر"
image_caption: "رافعات في ميناء صحار صباح الجمعة، مع رسوّ أولى السفن منذ الثلاثاء."
summary: "عاد عمّال الرصيف في صحار إلى العمل يوم الجمعة بعد موافقة الشركة المشغّلة على رفع الأجور ٨٪."
---
عاد عمّال الرصيف في ميناء **صحار** إلى العمل يوم الجمعة بعد إضراب دام ثلاثة أيام للمطالبة
بزيادة الأجور، وفق ما أعلنت الشركة المشغّلة للميناء.
""",
    "oman-iran-trade-talks-ar.md": """---
title: "عُمان وإيران تبحثان توسيع التبادل التجاري عبر ميناء صحار"
date: 2024-07-11T14:00:00+04:00
tags: [Oman, إيران]
language: ar
author: "مكتب الخليج"
image_caption: "وزيرا التجارة في البلدين خلال مؤتمر صحفي في مسقط."
summary: "بحث وزيرا التجارة في عُمان وإيران يوم الخميس توسيع التبادل التجاري بين البلدين."
---
بحث وزيرا التجارة في سلطنة عُمان والجمهورية الإسلامية الإيرانية يوم الخميس سبل توسيع التبادل
التجاري بين البلدين عبر ميناء صحار.

وقال الوزير العُماني إن حجم التبادل بلغ **١٫٢ مليار دولار** العام الماضي، وإن البلدين يسعيان
إلى مضاعفته خلال ثلاث سنوات.
""",
    "muscat-heat-record.md": """---
title: "Muscat Records Its Hottest July Night"
date: 2024-07-09T07:10:00+04:00
tags: [Oman]
author: Leila Haddad
summary: "The temperature in Muscat did not fall below 38 °C overnight, the meteorological office said."
---
The temperature in Muscat did not fall below 38 °C overnight, the highest minimum the
meteorological office has recorded in July.
""",
}


def port_picture(size: tuple[int, int] = PICTURE_SIZE) -> bytes:
    """Return a JPEG drawn by Pillow: a port at dawn (sky, sea, quay, cranes), large enough
    for every rendition the build makes."""
    from io import BytesIO

    from PIL import Image, ImageDraw

    width, height = size
    horizon = height * 3 // 5
    im = Image.new("RGB", size)
    draw = ImageDraw.Draw(im)
    for y in range(horizon):  # dawn: warm near the horizon, blue above
        t = y / horizon
        draw.line([(0, y), (width, y)], fill=(int(60 + 190 * t), int(90 + 100 * t), int(150 - 20 * t)))
    for y in range(horizon, height):
        t = (y - horizon) / (height - horizon)
        draw.line([(0, y), (width, y)], fill=(int(40 - 20 * t), int(70 - 30 * t), int(100 - 40 * t)))
    draw.ellipse([width * 0.62, horizon - 140, width * 0.62 + 160, horizon + 20], fill=(255, 214, 150))
    draw.rectangle([0, horizon + 60, width, horizon + 110], fill=(52, 48, 50))  # the quay
    for i, x in enumerate(range(120, width - 200, 330)):  # cranes: legs, boom, cab
        top = horizon - 260 + (i % 2) * 40
        draw.rectangle([x, top, x + 18, horizon + 60], fill=(180, 60, 40))
        draw.rectangle([x + 90, top, x + 108, horizon + 60], fill=(180, 60, 40))
        draw.rectangle([x - 80, top - 24, x + 240, top], fill=(200, 70, 45))
        draw.rectangle([x + 20, top, x + 88, top + 40], fill=(230, 230, 225))
    for x, colour in ((160, (30, 90, 150)), (260, (200, 150, 40)), (360, (120, 40, 40))):  # containers
        for row in range(3):
            draw.rectangle([x + row * 8, horizon + 12 - row * 26, x + 90 + row * 8, horizon + 36 - row * 26],
                           fill=colour, outline=(20, 20, 20))
    out = BytesIO()
    im.save(out, "JPEG", quality=85)
    return out.getvalue()


def make_showcase(work: Path) -> Path:
    """Write the showcase site into `work`/showcase and return its folder."""
    site = work / "showcase"
    shutil.copytree(REPO / "content", site / "content")
    config = (REPO / "site.toml").read_text(encoding="utf-8")
    # sections go with the top-level keys, before the first [table]
    head, table, rest = config.partition("\n[")
    (site / "site.toml").write_text(head + "\n" + SECTIONS + table + rest, encoding="utf-8")
    for name, text in STORIES.items():
        (site / "content" / name).write_text(text, encoding="utf-8")
    (site / "static" / PICTURE).parent.mkdir(parents=True)
    (site / "static" / PICTURE).write_bytes(port_picture())
    return site


def build_showcase(work: Path, base_url: str = BASE_URL) -> Path:
    """Build the showcase site in `work` for `base_url` (its path: PREFIX); return its output folder."""
    site = make_showcase(work)
    build(site, base_url=base_url)
    return site / "output"
