"""The Atom feed of public announcements."""

from defusedxml import ElementTree

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _feed(client, query=""):
    response = client.get(f"/announcements/feed.atom{query}")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    return ElementTree.fromstring(response.data)


def _one(element, name):
    found = element.findall(f"{ATOM}{name}")
    assert len(found) == 1, name
    return found[0]


def test_the_feed_is_atom_1_0_with_only_public_announcements(client, published):
    feed = _feed(client, "?lang=en")
    assert feed.tag == f"{ATOM}feed" and feed.get(XML_LANG) == "en"
    for name in ("id", "title", "updated", "author"):
        _one(feed, name)
    assert _one(feed, "author").find(f"{ATOM}name").text
    assert feed.find(f"{ATOM}link[@rel='self']").get("href").startswith("http://localhost/")
    entries = feed.findall(f"{ATOM}entry")
    assert [_one(entry, "title").text for entry in entries] == ["For everyone"]
    entry = entries[0]
    for name in ("id", "updated", "published"):
        assert _one(entry, name).text
    assert _one(entry, "link").get("href") == f"http://localhost/announcements/{published['all']}"
    content = _one(entry, "content")
    assert content.get("type") == "html" and "<p>For everyone: the text.</p>" in content.text


def test_the_feed_is_in_the_language_asked_for(client, published):
    entry = _feed(client, "?lang=ar").find(f"{ATOM}entry")
    assert entry.get(XML_LANG) == "ar" and entry.find(f"{ATOM}title").text == "للجميع"
    entry = _feed(client, "?lang=de").find(f"{ATOM}entry")  # no German text: the default
    assert entry.get(XML_LANG) == "en"
    assert _feed(client, "?lang=xx<script>").get(XML_LANG) in ("ar", "en")


def test_an_empty_feed_is_still_valid(client):
    feed = _feed(client)
    _one(feed, "updated")
    assert feed.findall(f"{ATOM}entry") == []


def test_a_feed_reader_polling_an_unchanged_feed_gets_a_304(client, published):
    first = client.get("/announcements/feed.atom?lang=ar")
    assert first.headers["ETag"] and "public" in first.headers["Cache-Control"]
    again = client.get("/announcements/feed.atom?lang=ar",
                       headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    other = client.get("/announcements/feed.atom?lang=en",
                       headers={"If-None-Match": first.headers["ETag"]})
    assert other.status_code == 200  # another language is another feed
