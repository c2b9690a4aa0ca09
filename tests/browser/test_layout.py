"""Every page, as an Arabic, Sorani or Persian reader meets it on a 360 px phone: no sideways
scrolling, targets of at least 44×44 px, and no WCAG 2.1 A/AA violation that axe-core finds.

axe-core comes from npm (`make test` installs it); it is injected through a context that
bypasses the Content-Security-Policy, which forbids such scripts on the real pages.
"""

from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.auth.models import User
from portal.extensions import db
from tests.browser.needs_data import reports_in_review
from tests.conftest import PASSWORD, TOTP_SECRET

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / ".venv/npm/node_modules/axe-core/axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Violations in full; of the rules passed, one node each (axe's documented speed-up).
AXE_RUN = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags},
                                    resultTypes: ['violations']})"""

# Controls smaller than 44×44 px. Links inside a sentence are exempt (WCAG 2.5.5 "inline");
# a checkbox or radio counts with its label, which takes the tap too.
SMALL_TARGETS = """() => {
  const small = [];
  const controls = document.querySelectorAll(
    'a, button, summary, select, textarea, input:not([type=hidden])');
  for (const el of controls) {
    if (!el.offsetParent || el.closest('.skip-link')) continue;
    if (el.tagName === 'A' && el.closest('p, dd, td, .prose, .hint, h1, h2, h3')) continue;
    let box = el.getBoundingClientRect();
    if (el.type === 'checkbox' || el.type === 'radio') {
      const label = el.closest('label') || document.querySelector(`label[for="${el.id}"]`);
      if (label) box = label.parentElement.getBoundingClientRect();
    }
    if (box.width < 43.5 || box.height < 43.5) {
      small.push(`${el.tagName.toLowerCase()} "${(el.textContent || el.name || '').trim()
        .slice(0, 30)}" ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  }
  return small;
}"""


# The innermost elements that stick out of the screen, to say what to fix.
WIDEST = """() => [...document.querySelectorAll('body *')].filter(el => {
  const box = el.getBoundingClientRect();
  return (box.right > innerWidth + 1 || box.left < -1) && !el.closest('.table-scroll')
    && ![...el.children].some(c => { const b = c.getBoundingClientRect();
                                     return b.right > innerWidth + 1 || b.left < -1; });
}).slice(0, 3).map(el => el.outerHTML.slice(0, 90))"""


NOT_FOUND = "/no-such-page"  # its page is checked too


def pages(world) -> dict[str, list[str]]:
    council, member_id = world["council"], world["ids"]["member"]
    return {
        "visitor": ["/", "/about", "/privacy", "/contact", "/councils/",
                    f"/councils/{council}", "/auth/login", "/auth/register", "/auth/reset",
                    "/announcements/", NOT_FOUND],
        "member": ["/me", "/me/profile", "/me/sharing", "/me/councils", "/me/password",
                   "/me/language", "/me/time-zone", "/me/data", "/councils/propose",
                   f"/councils/{council}", f"/councils/{council}/leave", "/auth/2fa/setup",
                   "/me/delete", "/me/notifications"],
        "leader": [f"/councils/{council}/members", f"/councils/{council}/leave",
                   f"/councils/{council}/moderation"],
        "staff": ["/staff/members", "/staff/audit", "/staff/councils/",
                  f"/staff/councils/{council}", f"/staff/members/{member_id}",
                  "/staff/announcements/", "/staff/announcements/new", "/staff/moderation"],
        "admin": ["/staff/accounts"],
    }


def sign_in(app, page, email):
    """Log in through the form, with the second step for ministry accounts."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        if user.is_staff:
            user.totp_secret, user.totp_last_step = TOTP_SECRET, 0
            db.session.commit()
    page.goto("/auth/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    if page.url.endswith("/auth/2fa/verify"):
        page.locator("#code").fill(pyotp.TOTP(TOTP_SECRET).now())
        page.locator("main form button[type=submit]").click()


# Captions of wide tables that stick out of the screen: half a sentence until one scrolls.
CUT_CAPTIONS = """() => [...document.querySelectorAll('.table-scroll caption')].filter(el => {
  const box = el.getBoundingClientRect();
  return box.right > innerWidth + 1 || box.left < -1;
}).map(el => el.textContent.trim().slice(0, 40))"""


def found_on(page, locale: str, who: str, paths: list[str]) -> dict[str, list[str]]:
    """The problems of each page that has some, seen by ``who`` in ``locale``."""
    found = {}
    for path in paths:
        if issues := problems(page, f"{path}{'&' if '?' in path else '?'}lang={locale}"):
            found[f"{who} {path}"] = issues
    return found


def listed(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{where}: {issues}" for where, issues in found.items())


def problems(page, path: str) -> list[str]:
    status = page.goto(path).status
    found = [] if status == 200 or path.startswith(NOT_FOUND) else [f"answered {status}"]
    return found + layout_problems(page)


def layout_problems(page) -> list[str]:
    """What is wrong with the page the tab shows (a journey checks each page it reaches), once
    it has loaded: a page reached by a click may still wait for its stylesheet."""
    page.wait_for_load_state()
    found = []
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if overflow > 0:
        wide = page.evaluate(WIDEST)
        found.append(f"scrolls sideways by {overflow} px ({wide})")
    found += [f"small target: {target}" for target in page.evaluate(SMALL_TARGETS)]
    found += [f"caption cut: {caption}" for caption in page.evaluate(CUT_CAPTIONS)]
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(AXE_RUN, WCAG_21_AA)
    found += [f"axe {v['id']}: {[n['target'] for n in v['nodes']][:3]}"
              for v in result["violations"]]
    return found


def reading_in(app, world, locale: str, *people: str) -> None:
    """The people's accounts set to a language, as a journey's readers have them."""
    with app.app_context():
        for key in people:
            db.session.get(User, world["ids"][key]).locale = locale
        db.session.commit()


def check(found: dict, page, step: str) -> None:
    """A journey's step: the problems of the page it reached, kept under the step's name, so
    that one run lists them all."""
    if issues := layout_problems(page):
        found[step] = issues


@pytest.fixture
def phone(app, browser, live_url):
    """A factory of 360×740 tabs in a language, with CSRF on as in production."""
    if not AXE.exists():
        pytest.fail(f"axe-core is missing ({AXE}): `make test` installs it with npm")
    contexts = []
    app.config["WTF_CSRF_ENABLED"] = True

    def open_tab(locale: str):
        context = browser.new_context(base_url=live_url, viewport={"width": 360, "height": 740},
                                      locale=locale, bypass_csp=True)
        contexts.append(context)
        return context.new_page()

    yield open_tab
    app.config["WTF_CSRF_ENABLED"] = False
    for context in contexts:
        context.close()


@pytest.mark.parametrize("locale", ["ar", "ckb", "fa", "en"])
def test_the_header_leaves_the_screen_to_the_page(phone, locale):
    """One language control instead of eight links: the header stays under 140 of 740 px."""
    page = phone(locale)
    page.goto(f"/councils/?lang={locale}")
    assert page.locator("header").bounding_box()["height"] < 140
    assert not page.get_by_role("link", name="Svenska").is_visible()  # closed until asked
    page.locator(".language-menu summary").click()
    assert page.get_by_role("link", name="Svenska").is_visible()


@pytest.mark.parametrize("locale", ["ar", "ckb", "fa"])
def test_every_page_fits_a_phone_and_passes_axe(app, world, phone, locale):
    found = {}
    for who, paths in pages(world).items():
        page = phone(locale)
        if who != "visitor":
            sign_in(app, page, world[who])
        found |= found_on(page, locale, who, paths)
    assert not found, listed(found)


@pytest.mark.parametrize("locale", ["ar", "ckb", "fa"])
def test_the_needs_pages_fit_a_phone_and_pass_axe(app, world, phone, locale):
    """A leader's reports, one returned with the ministry's comment and its form refused; the
    staff's review list and pages, a round, its publishing form and the dashboard's charts.
    (The survey builder's pages: tests/needs/test_builder_browser.py.)"""
    with app.test_request_context():
        ids = reports_in_review(world, locale)
    leader, staff = phone(locale), phone(locale)
    sign_in(app, leader, world["leader"])
    sign_in(app, staff, world["staff"])
    found = found_on(leader, locale, "leader", ["/needs/", f"/needs/reports/{ids['returned']}"])
    found |= found_on(staff, locale, "staff", [
        "/staff/needs/", f"/staff/needs/reports/{ids['submitted']}",
        f"/staff/needs/reports/{ids['returned']}", f"/staff/surveys/{ids['survey']}",
        f"/staff/surveys/{ids['survey']}/rounds/new", f"/staff/rounds/{ids['round']}",
        "/staff/needs/dashboard"])
    leader.goto(f"/needs/rounds/{ids['round']}/councils/{world['council']}?lang={locale}")
    leader.locator("#q-households").fill("-3")
    leader.locator("main form button[value=save]").click()
    expect(leader.locator("#q-households-error")).to_be_visible()  # the page came back
    if issues := layout_problems(leader):
        found["leader's form, refused"] = issues
    assert not found, listed(found)


def test_forms_with_errors_pass_axe_too(app, world, phone):
    page = phone("ar")
    page.goto("/auth/register?lang=ar")
    page.locator("main form button[type=submit]").click()
    assert page.locator(".error-summary").count() == 1
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                           WCAG_21_AA)
    assert result["violations"] == []
