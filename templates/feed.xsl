<?xml version="1.0" encoding="UTF-8"?>
{#- A template (render/feed_stylesheet.py): its words are the theme's, in the site's language
    (i18n/<language>.toml, feed_page_* keys), each XSLT value it names filled in where the
    words place it; its month names and digits are the language's (CLDR, through Babel). The
    build writes it to static/feed.xsl, unless the site's templates/static/ has a feed.xsl. -#}
<!--
  site-builder: show an RSS 2.0 or Atom 1.0 feed opened in a browser as a readable page that
  lists its articles and explains how to subscribe, instead of raw XML (issue 4).

  Every feed, subscription feed or RFC 5005 archive page, links here with
  <?xml-stylesheet type="text/xsl" href="…/static/feed.xsl"?>. Feed readers ignore that line.

  - XSLT 1.0 only: it is what browsers (libxslt in Chromium, TransforMiiX in Firefox) run.
    Chrome is removing XSLT (Chromium 156 still runs it, under a warning banner); a browser
    without it shows the raw XML, and feed readers never use this file at all.
  - Relative URLs in the result resolve against the feed's address, not this file's, so the
    style is inline and the page makes no other request (no theme CSS, no images, no script).
  - Feed text is only ever copied with xsl:value-of, which escapes it: never
    disable-output-escaping, so a feed cannot inject markup or script into the page. What a
    feed marks as HTML (an RSS <description>, an Atom text construct with type="html") is
    turned into plain text first: tags dropped, the usual entities decoded. Summaries only;
    the full HTML content is for feed readers. Only http(s) URLs become links.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:content="http://purl.org/rss/1.0/modules/content/"
    xmlns:fh="http://purl.org/syndication/history/1.0"
    exclude-result-prefixes="atom dc content fh">

{%- macro value(select) %}<xsl:value-of select="{{ select }}"/>{% endmacro %}
{%- macro code(select) %}<code><xsl:value-of select="{{ select }}"/></code>{% endmacro %}
{%- set site_link -%}
<xsl:choose><xsl:when test="$home != ''"><xsl:call-template name="link"><xsl:with-param name="href" select="$home"/><xsl:with-param name="text" select="$title"/></xsl:call-template></xsl:when><xsl:otherwise><xsl:value-of select="$title"/></xsl:otherwise></xsl:choose>
{%- endset %}
  <xsl:output method="html" encoding="UTF-8" indent="yes" doctype-system="about:legacy-compat"/>

  <!-- RFC 822's month names, to read an RSS date; the site's language's, to show one. -->
  <xsl:variable name="months" select="'JanFebMarAprMayJunJulAugSepOctNovDec'"/>
  <xsl:variable name="digits" select="'{{ digits }}'"/>

  <!-- The feed, whichever format it is in. -->
  <xsl:variable name="is-atom" select="boolean(/atom:feed)"/>
  <xsl:variable name="format">
    <xsl:choose>
      <xsl:when test="$is-atom">Atom</xsl:when>
      <xsl:otherwise>RSS</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="title-text">
    <xsl:call-template name="text-of"><xsl:with-param name="node" select="/rss/channel/title | /atom:feed/atom:title"/></xsl:call-template>
  </xsl:variable>
  <xsl:variable name="title" select="normalize-space($title-text)"/>
  <xsl:variable name="description-text">
    <xsl:call-template name="text-of"><xsl:with-param name="node" select="/rss/channel/description | /atom:feed/atom:subtitle"/></xsl:call-template>
  </xsl:variable>
  <xsl:variable name="description" select="normalize-space($description-text)"/>
  <xsl:variable name="lang" select="normalize-space(/rss/channel/language | /atom:feed/@xml:lang)"/>
  <!-- RSS carries its links as atom:link (RFC 5005 and the self link), its page as <link>. -->
  <xsl:variable name="links" select="/rss/channel/atom:link | /atom:feed/atom:link"/>
  <xsl:variable name="self" select="normalize-space($links[@rel = 'self'][1]/@href)"/>
  <xsl:variable name="current" select="normalize-space($links[@rel = 'current'][1]/@href)"/>
  <xsl:variable name="prev-archive" select="normalize-space($links[@rel = 'prev-archive'][1]/@href)"/>
  <xsl:variable name="next-archive" select="normalize-space($links[@rel = 'next-archive'][1]/@href)"/>
  <xsl:variable name="home"
      select="normalize-space(/rss/channel/link | /atom:feed/atom:link[not(@rel) or @rel = 'alternate'][1]/@href)"/>
  <!-- RFC 5005 §4: an archive page says <fh:archive/>; subscribe to its "current" feed. -->
  <xsl:variable name="is-archive" select="boolean(/rss/channel/fh:archive | /atom:feed/fh:archive)"/>
  <xsl:variable name="subscribe-url">
    <xsl:choose>
      <xsl:when test="$is-archive and $current != ''"><xsl:value-of select="$current"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$self"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="entries" select="/rss/channel/item | /atom:feed/atom:entry"/>

  <xsl:template match="/">
    <html>
      <xsl:if test="$lang != ''">
        <xsl:attribute name="lang"><xsl:value-of select="$lang"/></xsl:attribute>
        <xsl:variable name="primary" select="substring-before(concat($lang, '-'), '-')"/>
        <xsl:if test="contains(' ar fa he ur yi ps dv ckb ', concat(' ', $primary, ' '))">
          <xsl:attribute name="dir">rtl</xsl:attribute>
        </xsl:if>
      </xsl:if>
      <head>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>{{ i18n("feed_page_title", title=value("$title"), format=value("$format")) }}</title>
        <style><xsl:call-template name="style"/></style>
      </head>
      <body>
        <header class="top">
          <div class="wrap">
            <p class="kicker">
              <xsl:choose>
                <xsl:when test="$is-archive">{{ i18n("feed_page_archive_kind", format=value("$format")) }}</xsl:when>
                <xsl:otherwise>{{ i18n("feed_page_kind", format=value("$format")) }}</xsl:otherwise>
              </xsl:choose>
            </p>
            <h1><xsl:value-of select="$title"/></h1>
            <xsl:if test="$description != '' and $description != $title">
              <p class="description"><xsl:value-of select="$description"/></p>
            </xsl:if>
            <xsl:if test="$home != ''">
              <p class="home">
                <xsl:call-template name="link">
                  <xsl:with-param name="href" select="$home"/>
                  <xsl:with-param name="text">{{ i18n("feed_page_visit") }}</xsl:with-param>
                  <xsl:with-param name="class" select="'home-link'"/>
                </xsl:call-template>
              </p>
            </xsl:if>
          </div>
        </header>
        <main class="wrap">
          <xsl:call-template name="subscribe"/>
          <h2 class="list-head">
            <xsl:choose>
              <xsl:when test="$is-archive">{{ i18n("feed_page_archive_articles") }}</xsl:when>
              <xsl:otherwise>{{ i18n("feed_page_latest") }}</xsl:otherwise>
            </xsl:choose>
            <span class="count">{{ i18n("feed_page_count", count=value("translate(count($entries), '0123456789', $digits)")) }}</span>
          </h2>
          <xsl:choose>
            <xsl:when test="$entries">
              <ol class="entries">
                <xsl:apply-templates select="$entries"/>
              </ol>
            </xsl:when>
            <xsl:otherwise>
              <p class="empty">{{ i18n("no_articles") }}</p>
            </xsl:otherwise>
          </xsl:choose>
          <xsl:call-template name="archive-nav"/>
        </main>
        <footer class="foot">
          <div class="wrap">
          <p>{{ i18n("feed_page_footer", format=value("$format"), site=site_link) }}</p>
          </div>
        </footer>
      </body>
    </html>
  </xsl:template>

  <!-- The box that says what this is and how to subscribe. -->
  <xsl:template name="subscribe">
    <section class="subscribe" aria-labelledby="subscribe-title">
      <h2 id="subscribe-title">
        <span class="icon" aria-hidden="true">
          <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16" width="20" height="20">
            <circle cx="3" cy="13" r="2" fill="currentColor"/>
            <path d="M1 6.5a8.5 8.5 0 0 1 8.5 8.5M1 1.5a13.5 13.5 0 0 1 13.5 13.5"
                  fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round"/>
          </svg>
        </span>
        <xsl:choose>
          <xsl:when test="$is-archive">{{ i18n("feed_page_is_archive") }}</xsl:when>
          <xsl:otherwise>{{ i18n("feed_page_is_feed") }}</xsl:otherwise>
        </xsl:choose>
      </h2>
      <p>
        <xsl:choose>
          <xsl:when test="$is-archive">{{ i18n("feed_page_archive_help") }}</xsl:when>
          <xsl:otherwise>{{ i18n("feed_page_help") }}</xsl:otherwise>
        </xsl:choose>
      </p>
      <p class="address"><code><xsl:value-of select="$subscribe-url"/></code></p>
      <xsl:if test="$is-archive and $self != '' and $self != $subscribe-url">
        <p class="small">{{ i18n("feed_page_this_archive", address=code("$self")) }}</p>
      </xsl:if>
      <p class="small">
        {{ i18n("feed_page_readers") }}
        <a href="https://aboutfeeds.com/">{{ i18n("feed_page_what") }}</a>
      </p>
    </section>
  </xsl:template>

  <!-- RFC 5005 links to older and newer archive pages. -->
  <xsl:template name="archive-nav">
    <xsl:if test="$prev-archive != '' or $next-archive != '' or ($is-archive and $current != '')">
      <nav class="archive-nav" aria-label="{{ i18n('feed_page_archive_nav') }}">
        <xsl:if test="$next-archive != ''">
          <xsl:call-template name="link">
            <xsl:with-param name="href" select="$next-archive"/>
            <xsl:with-param name="text">{{ i18n("feed_page_newer") }}</xsl:with-param>
          </xsl:call-template>
        </xsl:if>
        <xsl:if test="$is-archive and $current != ''">
          <xsl:call-template name="link">
            <xsl:with-param name="href" select="$current"/>
            <xsl:with-param name="text">{{ i18n("feed_page_current") }}</xsl:with-param>
          </xsl:call-template>
        </xsl:if>
        <xsl:if test="$prev-archive != ''">
          <xsl:call-template name="link">
            <xsl:with-param name="href" select="$prev-archive"/>
            <xsl:with-param name="text">{{ i18n("feed_page_older") }}</xsl:with-param>
            <xsl:with-param name="class" select="'older'"/>
          </xsl:call-template>
        </xsl:if>
      </nav>
    </xsl:if>
  </xsl:template>

  <!-- One article: RSS <item> or Atom <entry>. -->
  <xsl:template match="item | atom:entry">
    <xsl:variable name="url" select="normalize-space(link | atom:link[not(@rel) or @rel = 'alternate'][1]/@href)"/>
    <xsl:variable name="published" select="normalize-space(pubDate | atom:published)"/>
    <xsl:variable name="updated" select="normalize-space(atom:updated)"/>
    <xsl:variable name="author" select="normalize-space((dc:creator | author | atom:author/atom:name)[1])"/>
    <xsl:variable name="title-text">
      <xsl:call-template name="text-of"><xsl:with-param name="node" select="title | atom:title"/></xsl:call-template>
    </xsl:variable>
    <xsl:variable name="summary-text">
      <xsl:call-template name="text-of">
        <xsl:with-param name="node" select="description | atom:summary"/>
        <xsl:with-param name="html" select="boolean(description) or atom:summary/@type = 'html'"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="summary" select="normalize-space($summary-text)"/>
    <li class="entry">
      <h3>
        <xsl:call-template name="link">
          <xsl:with-param name="href" select="$url"/>
          <xsl:with-param name="text" select="normalize-space($title-text)"/>
        </xsl:call-template>
      </h3>
      <p class="meta">
        <xsl:choose>
          <xsl:when test="$published != ''">
            <xsl:call-template name="date"><xsl:with-param name="value" select="$published"/></xsl:call-template>
            <xsl:if test="$updated != '' and substring($updated, 1, 10) != substring($published, 1, 10)">
              <xsl:text> · </xsl:text>{{ i18n("feed_page_updated") }}<xsl:text> </xsl:text>
              <xsl:call-template name="date"><xsl:with-param name="value" select="$updated"/></xsl:call-template>
            </xsl:if>
          </xsl:when>
          <xsl:when test="$updated != ''">
            <xsl:call-template name="date"><xsl:with-param name="value" select="$updated"/></xsl:call-template>
          </xsl:when>
        </xsl:choose>
        <xsl:if test="$author != ''">
          <xsl:if test="$published != '' or $updated != ''"> · </xsl:if>
          <span class="author" dir="auto"><xsl:value-of select="$author"/></span>
        </xsl:if>
      </p>
      <xsl:if test="$summary != ''">
        <p class="summary"><xsl:value-of select="$summary"/></p>
      </xsl:if>
    </li>
  </xsl:template>

  <!-- The text of a text element: an RSS element (HTML when $html, as an item's
       <description> is), or an Atom text construct (RFC 4287 §3.1: type "text", "html" or
       "xhtml", whose string value is its text). HTML is made plain text: its first 1,000
       characters only (libxslt stops a recursion near 1,000 calls; a summary is shorter). -->
  <xsl:template name="text-of">
    <xsl:param name="node"/>
    <xsl:param name="html" select="$node/@type = 'html'"/>
    <xsl:choose>
      <xsl:when test="$html">
        <xsl:call-template name="html-to-text">
          <xsl:with-param name="html" select="substring($node, 1, 1000)"/>
        </xsl:call-template>
        <xsl:if test="string-length($node) &gt; 1000">…</xsl:if>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$node"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Drop the tags of an HTML fragment (each becomes a space) and decode its entities. -->
  <xsl:template name="html-to-text">
    <xsl:param name="html"/>
    <xsl:choose>
      <xsl:when test="contains($html, '&lt;')">
        <xsl:call-template name="decode">
          <xsl:with-param name="text" select="substring-before($html, '&lt;')"/>
        </xsl:call-template>
        <xsl:text> </xsl:text>
        <xsl:call-template name="html-to-text">
          <xsl:with-param name="html" select="substring-after(substring-after($html, '&lt;'), '&gt;')"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="decode"><xsl:with-param name="text" select="$html"/></xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Decode &amp; &lt; &gt; &quot; &apos; &#39; &nbsp; in one pass (so "&amp;lt;" is "&lt;");
       any other reference stays as it is written. -->
  <xsl:template name="decode">
    <xsl:param name="text"/>
    <xsl:choose>
      <xsl:when test="contains($text, '&amp;')">
        <xsl:value-of select="substring-before($text, '&amp;')"/>
        <xsl:variable name="rest" select="substring-after($text, '&amp;')"/>
        <xsl:variable name="name" select="substring-before($rest, ';')"/>
        <xsl:variable name="char">
          <xsl:choose>
            <xsl:when test="$name = 'amp'">&amp;</xsl:when>
            <xsl:when test="$name = 'lt'">&lt;</xsl:when>
            <xsl:when test="$name = 'gt'">&gt;</xsl:when>
            <xsl:when test="$name = 'quot' or $name = '#34' or $name = '#x22'">"</xsl:when>
            <xsl:when test="$name = 'apos' or $name = '#39' or $name = '#x27'">'</xsl:when>
            <xsl:when test="$name = 'nbsp' or $name = '#160' or $name = '#xA0'">&#160;</xsl:when>
          </xsl:choose>
        </xsl:variable>
        <xsl:choose>
          <xsl:when test="not(contains($rest, ';'))">
            <xsl:value-of select="concat('&amp;', $rest)"/>
          </xsl:when>
          <xsl:when test="$char != ''">
            <xsl:value-of select="$char"/>
            <xsl:call-template name="decode"><xsl:with-param name="text" select="substring-after($rest, ';')"/></xsl:call-template>
          </xsl:when>
          <xsl:otherwise>
            <xsl:text>&amp;</xsl:text>
            <xsl:call-template name="decode"><xsl:with-param name="text" select="$rest"/></xsl:call-template>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A link if the URL is http(s), else the text alone (no javascript: or data: links). -->
  <xsl:template name="link">
    <xsl:param name="href"/>
    <xsl:param name="text"/>
    <xsl:param name="class" select="''"/>
    <xsl:choose>
      <xsl:when test="starts-with($href, 'https://') or starts-with($href, 'http://')">
        <a href="{$href}">
          <xsl:if test="$class != ''"><xsl:attribute name="class"><xsl:value-of select="$class"/></xsl:attribute></xsl:if>
          <xsl:value-of select="$text"/>
        </a>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- "Wed, 10 Jul 2024 11:45:00 +0100" (RFC 822, RSS) or "2024-07-10T11:45:00+01:00"
       (RFC 3339, Atom) → <time datetime="2024-07-10">10 July 2024</time>, in the site's
       language's month names and digits. Anything else is shown as it is. -->
  <xsl:template name="date">
    <xsl:param name="value"/>
    <xsl:choose>
      <xsl:when test="translate(substring($value, 1, 10), '0123456789', '##########') = '####-##-##'">
        <xsl:variable name="month" select="number(substring($value, 6, 2))"/>
        <xsl:call-template name="shown-date">
          <xsl:with-param name="iso" select="substring($value, 1, 10)"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <!-- RFC 822: an optional "Day, ", then day, month name, year. -->
        <xsl:variable name="rest">
          <xsl:choose>
            <xsl:when test="contains($value, ',')"><xsl:value-of select="normalize-space(substring-after($value, ','))"/></xsl:when>
            <xsl:otherwise><xsl:value-of select="$value"/></xsl:otherwise>
          </xsl:choose>
        </xsl:variable>
        <xsl:variable name="tail" select="substring-after($rest, ' ')"/>
        <xsl:variable name="day" select="substring-before($rest, ' ')"/>
        <xsl:variable name="name" select="substring-before($tail, ' ')"/>
        <xsl:variable name="year" select="substring(substring-after($tail, ' '), 1, 4)"/>
        <xsl:variable name="index" select="string-length(substring-before($months, $name)) div 3 + 1"/>
        <xsl:choose>
          <xsl:when test="string-length($name) = 3 and contains($months, $name) and number($day) = number($day) and string-length($year) = 4">
            <xsl:call-template name="shown-date">
              <xsl:with-param name="iso" select="concat($year, '-', format-number($index, '00'), '-', format-number($day, '00'))"/>
            </xsl:call-template>
          </xsl:when>
          <xsl:otherwise><xsl:value-of select="$value"/></xsl:otherwise>
        </xsl:choose>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- "2024-07-10" → <time datetime="2024-07-10">10 July 2024</time>, in the site's language. -->
  <xsl:template name="shown-date">
    <xsl:param name="iso"/>
    <xsl:variable name="month" select="number(substring($iso, 6, 2))"/>
    <time datetime="{$iso}">
      <xsl:value-of select="translate(number(substring($iso, 9, 2)), '0123456789', $digits)"/>
      <xsl:text> </xsl:text>
      <xsl:choose>
        {%- for name in month_names %}
        <xsl:when test="$month = {{ loop.index }}">{{ name }}</xsl:when>
        {%- endfor %}
      </xsl:choose>
      <xsl:text> </xsl:text>
      <xsl:value-of select="translate(substring($iso, 1, 4), '0123456789', $digits)"/>
    </time>
  </xsl:template>

  <xsl:template name="style">
:root {
  --bg: #fdfdfb; --fg: #1b1b1b; --muted: #5c5c5c; --rule: #e2e0da;
  --accent: #a3151c; --accent-hover: #7a0f14; --box: #f4f1ea; --box-rule: #d9d3c4; --focus: #1a5fb4;
  --serif: "Iowan Old Style", "Palatino Linotype", Palatino, Georgia, Cambria, "Times New Roman", serif;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #121212; --fg: #e8e6e1; --muted: #a3a09a; --rule: #2e2d2b;
    --accent: #ff8a80; --accent-hover: #ffb3ad; --box: #1d1c1a; --box-rule: #3a3835; --focus: #8ab4f8;
  }
}
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 1.0625rem/1.6 var(--sans); }
.wrap { max-inline-size: 68ch; margin-inline: auto; padding-inline: 1rem; }
a { color: var(--accent); text-underline-offset: 0.15em; }
a:hover { color: var(--accent-hover); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 2px; }
h1, h2, h3 { font-family: var(--serif); line-height: 1.2; text-wrap: balance; }
.top { border-block-end: 3px double var(--rule); padding-block: 1.5rem 1rem; }
.kicker {
  margin: 0; color: var(--muted); font-size: 0.8rem; font-weight: 600;
  letter-spacing: 0.06em; text-transform: uppercase;
}
h1 { font-size: clamp(1.75rem, 1.3rem + 2vw, 2.4rem); margin: 0.2rem 0 0.4rem; }
.description { margin: 0 0 0.5rem; color: var(--muted); }
.home { margin: 0; }
.home-link::after { content: " →"; }
main { padding-block: 1.5rem 2rem; }
.subscribe {
  background: var(--box); border: 1px solid var(--box-rule); border-inline-start: 4px solid var(--accent);
  border-radius: 6px; padding: 1rem 1.25rem; margin-block-end: 2rem;
}
.subscribe h2 {
  display: flex; align-items: center; gap: 0.5rem;
  font-size: 1.3rem; margin: 0 0 0.5rem;
}
.subscribe .icon { color: #e66a12; display: inline-flex; }
.subscribe p { margin: 0 0 0.6rem; }
.subscribe .address { margin-block: 0.75rem; }
.subscribe code {
  font-family: var(--mono); font-size: 0.95rem; overflow-wrap: anywhere;
  -webkit-user-select: all; user-select: all;
}
.subscribe .address code {
  display: block; background: var(--bg); border: 1px solid var(--box-rule); border-radius: 4px;
  padding: 0.5rem 0.75rem; cursor: text;
}
.small { color: var(--muted); font-size: 0.9rem; }
.subscribe .small:last-child { margin-block-end: 0; }
.list-head {
  display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: 0.5rem;
  font-size: 1.35rem; margin: 0; padding-block-end: 0.5rem; border-block-end: 1px solid var(--rule);
}
.list-head .count { font: 400 0.9rem var(--sans); color: var(--muted); }
.entries { list-style: none; margin: 0; padding: 0; }
.entry { border-block-end: 1px solid var(--rule); padding-block: 1.1rem; }
.entry h3 { font-size: 1.25rem; margin: 0 0 0.25rem; }
.entry h3 a { color: var(--fg); text-decoration: none; }
.entry h3 a:hover { color: var(--accent); text-decoration: underline; }
.meta { color: var(--muted); font-size: 0.9rem; margin: 0 0 0.4rem; }
.summary { margin: 0; }
.empty { color: var(--muted); }
.archive-nav {
  display: flex; flex-wrap: wrap; justify-content: space-between; gap: 0.75rem; margin-block-start: 1.5rem;
}
.archive-nav .older { margin-inline-start: auto; }
.foot { border-block-start: 1px solid var(--rule); color: var(--muted); padding-block: 1.25rem 2rem; }
.foot p { margin: 0; font-size: 0.9rem; }
@media (min-width: 48em) { body { font-size: 1.125rem; } }
  </xsl:template>
</xsl:stylesheet>
