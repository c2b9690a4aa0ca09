"""Pages show no English sentence that their catalogue translates: catches msgids that the
runtime looks up differently from how extraction wrote them (such as untrimmed blocks)."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.conftest import log_in

ROOT = Path(__file__).resolve().parents[2]


def english_sentences(locale: str) -> list[str]:
    with (ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalogue = read_po(f)
    return [m.id for m in catalogue
            if isinstance(m.id, str) and len(m.id) >= 20 and "%(" not in m.id
            and m.string and m.string != m.id and not set("<>&'\"") & set(m.id)]


@pytest.mark.parametrize("locale", ["ar", "ckb", "ku", "de"])
def test_pages_are_fully_translated(app, world, locale):
    sentences = english_sentences(locale)
    visitor, member, leader, staff = (app.test_client() for _ in range(4))
    log_in(member, world["member"])
    log_in(leader, world["leader"])
    log_in(staff, world["staff"])
    pages = [(visitor, path) for path in ("/", "/about", "/privacy", "/auth/register",
                                          "/auth/login", "/auth/reset", "/councils/",
                                          f"/councils/{world['council']}")]
    pages += [(member, "/me"), (member, "/councils/propose"), (member, "/auth/2fa/setup"),
              (leader, f"/councils/{world['council']}/members"), (staff, "/staff/members"),
              (staff, "/staff/audit"), (staff, "/staff/councils/"),
              (staff, f"/staff/councils/{world['council']}")]
    for client, path in pages:
        page = client.get(f"{path}?lang={locale}").get_data(as_text=True)
        untranslated = [s for s in sentences if s in page]
        assert not untranslated, f"{path} in {locale}: {untranslated[:3]}"
