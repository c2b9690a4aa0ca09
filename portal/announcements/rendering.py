"""Markdown to HTML, once when an announcement is saved, kept to an allow-list.

markdown-it leaves raw HTML out (``html`` off), and nh3 (the Ammonia sanitizer) then keeps only
the tags below: whatever a staff member pastes, or a stolen staff account writes, reaches
members' pages and mailboxes as text or not at all.
"""

import unicodedata

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "a", "h2", "h3", "h4", "h5", "h6",
                "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Markdown that would make a tag outside the allow-list loses the tag, keeps its text.
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable(
    ["image", "code", "fence", "hr", "table"], ignoreInvalid=True)


def _headings_below_the_title(state) -> None:
    """The page's own h1 is the title: a Markdown heading starts at h2."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"


_MARKDOWN.core.ruler.push("headings_below_the_title", _headings_below_the_title)


def clean_source(text: str) -> str:
    """What staff typed, with line breaks made ``\\n`` and control characters removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(char for char in text
                   if char in "\n\t" or unicodedata.category(char) != "Cc").strip()


def to_html(markdown: str) -> str:
    """Sanitized HTML of ``markdown``: links get rel="nofollow noopener"; only http(s) and
    mailto addresses survive."""
    return nh3.clean(_MARKDOWN.render(clean_source(markdown)), tags=ALLOWED_TAGS,
                     attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="nofollow noopener", strip_comments=True)
