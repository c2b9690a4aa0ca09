"""The survey builder's pages on a 360 px phone in the right-to-left languages: no sideways
scrolling, 44 px targets, no WCAG 2.1 A/AA violation that axe-core finds — also with errors on
the form — and a question built without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.needs import builder
from tests.browser.test_layout import AXE, WCAG_21_AA, phone, problems, sign_in  # noqa: F401
from tests.needs.conftest import needs_world  # noqa: F401  (a fixture)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("locale", ["ar", "ckb", "fa"])
def test_the_builder_fits_a_phone_and_passes_axe(app, needs_world, phone, locale):  # noqa: F811
    survey_id = needs_world["survey_id"]
    with app.app_context():
        question_id = builder.find_survey(survey_id).questions[4].id
    page = phone(locale)
    sign_in(app, page, needs_world["staff"])
    found = {}
    for path in ("/staff/surveys/", "/staff/surveys/new", "/staff/surveys/import",
                 f"/staff/surveys/{survey_id}", f"/staff/surveys/{survey_id}/texts",
                 f"/staff/surveys/{survey_id}/questions/new",
                 f"/staff/surveys/{survey_id}/questions/{question_id}",
                 f"/staff/surveys/{survey_id}/questions/{question_id}/delete"):
        if issues := problems(page, f"{path}?lang={locale}"):
            found[path] = issues
    assert not found, "\n".join(f"{where}: {issues}" for where, issues in found.items())


def test_a_question_is_built_without_javascript_and_errors_pass_axe(
        app, needs_world, phone):  # noqa: F811
    survey_id = needs_world["survey_id"]
    page = phone("ckb")
    sign_in(app, page, needs_world["staff"])
    page.goto(f"/staff/surveys/{survey_id}/questions/new?lang=ckb")
    page.locator("#name").fill("households")  # taken: refused beside the field
    page.locator("#kind").select_option("single")
    page.locator("#label_en").fill("How do you meet?")
    page.locator("#choice_code_0").fill("online")
    page.locator("#choice_label_0_en").fill("Online")
    page.locator("main form.survey-form button[type=submit]").click()
    # the page coming back is waited for: a slow machine may still be loading it
    expect(page.locator(".error-summary a[href='#name']")).to_have_count(1)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                           WCAG_21_AA)
    assert result["violations"] == []
    page.locator("#name").fill("meetings")
    page.locator("#choice_code_1").fill("in_person")
    page.locator("#choice_label_1_en").fill("In person")
    page.locator("main form.survey-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/staff/surveys/{survey_id}(#question-\d+)?$"))
    with app.app_context():
        question = builder.find_survey(survey_id).questions[-1]
        assert (question.name, [c.code for c in question.choices]) == (
            "meetings", ["online", "in_person"])
        db.session.rollback()
