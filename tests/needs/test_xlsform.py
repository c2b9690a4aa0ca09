"""XLSForm import and export: the round trip, Kobo forms, every refusal and the limits."""

import re
import zipfile
from io import BytesIO

import openpyxl
import openpyxl.xml
import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from portal.extensions import db
from portal.needs.models import Choice, QuestionKind, Sector, Survey
from portal.needs.xlsform import MAX_ROWS, XLSFormError, read_survey, write_survey
from tests.needs.conftest import build_small_survey


@pytest.fixture
def en_ctx(app):
    """A request in English, for calling the import directly and reading its messages."""
    with app.test_request_context("/?lang=en"):
        yield
        db.session.rollback()


def canonical(survey: Survey) -> dict:
    """Everything a survey says, without its ids and version."""
    return {
        "default": survey.default_locale, "title": survey.title,
        "description": survey.description,
        "questions": [{
            "name": q.name, "kind": q.kind, "required": q.required,
            "bounds": (q.min_value, q.max_value, q.max_length), "relevant": q.relevant,
            "sector": q.sector, "gcm": q.gcm_objective, "hxl": q.hxl, "label": q.label,
            "hint": q.hint, "constraint_message": q.constraint_message,
            "choices": [(c.code, c.label, c.sector) for c in q.choices],
        } for q in survey.questions],
    }


def workbook(survey=(), choices=(), settings=({"form_title": "Needs"},)) -> bytes:
    """An .xlsx of sheets given as rows of {column: value}; a sheet of None is left out."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in (("survey", survey), ("choices", choices), ("settings", settings)):
        if rows is None:
            continue
        sheet = book.create_sheet(name)
        header = list(dict.fromkeys(column for row in rows for column in row))
        sheet.append(header)
        for row in rows:
            sheet.append([row.get(column) for column in header])
    output = BytesIO()
    book.save(output)
    return output.getvalue()


def read(data: bytes):
    return read_survey(BytesIO(data))


def surveys_stored() -> int:
    return db.session.scalar(select(func.count(Survey.id)))


def test_openpyxl_parses_through_defusedxml():
    assert openpyxl.xml.DEFUSEDXML


def test_the_small_survey_comes_back_the_same(en_ctx):
    survey = build_small_survey()
    households, docs_problem, docs_kinds = survey.questions[:3]
    households.hint = {"en": "Count each household once.", "ckb": "هەر خێزانێک یەک جار"}
    households.constraint_message = {"en": "At least 0.", "de": "Mindestens 0."}
    households.label["ar"] = "=1+1"  # text, never a formula
    docs_kinds.choices[0].sector = Sector.DOCUMENTATION
    docs_problem.choices[0].label["sv"] = "Ja"
    before = canonical(survey)

    again, warnings = read(write_survey(survey))

    assert canonical(again) == before and warnings == []
    assert again.id != survey.id and again.lineage_id == again.id and again.version == 1


def test_every_text_cell_is_written_as_a_string(en_ctx):
    survey = build_small_survey()
    survey.questions[0].label["en"] = "=HYPERLINK(\"http://x\")"
    book = load_workbook(BytesIO(write_survey(survey)))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row
             if cell.value is not None]
    assert {cell.data_type for cell in cells} == {"s"}
    header, values = book["settings"].iter_rows(values_only=True)
    settings = dict(zip(header, values, strict=True))
    assert settings["version"] == f"{survey.id}.1"
    assert settings["default_language"] == "English (en)"
    assert settings["form_title::Arabic (ar)"] == "الاحتياجات"
    assert [row[0].value for row in book["choices"].iter_rows(min_row=2)].count("yes_no") == 2


KOBO_SURVEY = [
    {"type": "start", "name": "start", "$kuid": "a1"},
    {"type": "deviceid", "name": "deviceid"},
    {"type": "begin_group", "name": "household", "label::English (en)": "Household",
     "appearance": "field-list"},
    {"type": "note", "name": "intro", "label::English (en)": "Answer for the whole community.",
     "label::Arabic (ar)": "أجيبوا عن الجالية كلها."},
    {"type": "integer", "name": "households", "label::English (en)": "How many households?",
     "label::Arabic (ar)": "كم عدد الأسر؟", "label::Français (fr)": "Combien de ménages ?",
     "hint::English (en)": "Count each household once.", "required": "TRUE()",
     "constraint": ".>=0 and .<=5000", "constraint_message::English (en)": "0 to 5000",
     "$kuid": "b2", "$autoname": "households", "hxl": "#Affected +HH", "gcm": 1},
    {"type": "select_one yes_no", "name": "docs", "label::English (en)": "Document problems?",
     "required": "yes", "sector": "documentation"},
    {"type": "end_group"},
    {"type": "begin group", "name": "if_docs", "relevant": "${docs}='yes'"},
    {"type": "select_multiple doc_kinds", "name": "doc_kinds",
     "label::English (en)": "Which documents?", "relevant": "${households} != '0'",
     "appearance": "minimal", "gcm": "4"},
    {"type": "end group"},
    {"type": "text", "name": "story", "label::English (en)": "Tell us more",
     "appearance": "multiline", "constraint": "string-length(.) <= 500"},
    {"type": "text", "name": "contact", "label::English (en)": "Contact person",
     "required": True},
    {"type": "date", "name": "meeting", "label::English (en)": "Next meeting",
     "required": "false"},
    {"type": "username", "name": "username"},
    {"type": "audit", "name": "audit"},
]
KOBO_CHOICES = [
    {"list_name": "yes_no", "name": "no", "label::English (en)": "No", "$kuid": "c1"},
    {"list_name": "yes_no", "name": "yes", "label::English (en)": "Yes",
     "label::Arabic (ar)": "نعم"},
    {"list_name": "doc_kinds", "name": "passport", "label::English (en)": "Passport",
     "sector": "documentation"},
    {"list_name": "doc_kinds", "name": "id_card", "label::English (en)": "National card"},
]
KOBO_SETTINGS = [{"form_title": "Kobo needs", "form_id": "kobo_needs", "version": "vA1b2",
                  "default_language": "English (en)"}]


def test_a_kobo_form_is_read_without_what_does_not_matter(en_ctx):
    survey, warnings = read(workbook(KOBO_SURVEY, KOBO_CHOICES, KOBO_SETTINGS))

    kinds = {q.name: q.kind for q in survey.questions}
    assert kinds == {"households": QuestionKind.INTEGER, "docs": QuestionKind.YES_NO,
                     "doc_kinds": QuestionKind.MULTIPLE, "story": QuestionKind.LONG_TEXT,
                     "contact": QuestionKind.SHORT_TEXT, "meeting": QuestionKind.DATE}
    households, docs, doc_kinds, story = survey.questions[:4]
    assert households.hint == {"en": "Answer for the whole community.\n\n"
                                     "Count each household once.",
                               "ar": "أجيبوا عن الجالية كلها."}
    assert (households.required, households.min_value, households.max_value) == (True, 0, 5000)
    assert (households.hxl, households.gcm_objective) == ("#affected+hh", 1)
    assert households.label == {"en": "How many households?", "ar": "كم عدد الأسر؟"}
    assert [c.code for c in docs.choices] == ["yes", "no"]
    assert doc_kinds.relevant == "${docs} = 'yes' and ${households} != '0'"
    assert doc_kinds.choices[0].sector == Sector.DOCUMENTATION and doc_kinds.gcm_objective == 4
    assert story.max_length == 500 and survey.title == {"en": "Kobo needs"}
    assert [q.required for q in survey.questions] == [True, True, False, False, True, False]
    assert warnings == [
        "The columns in “Français (fr)” were ignored: the portal does not offer that language.",
        "Ignored, as they do not matter here: column “$kuid” (sheet “survey”); column "
        "“$autoname” (sheet “survey”); column “$kuid” (sheet “choices”); column “form_id” "
        "(sheet “settings”); appearance “field-list”; appearance “minimal”."]

    again, warnings = read(write_survey(survey))
    assert canonical(again) == canonical(survey) and warnings == []


def test_a_note_after_the_last_question_is_a_warning(en_ctx):
    _, warnings = read(workbook([_row(type="integer", name="people"),
                                 {"type": "note", "label": "Thanks!"}]))
    assert warnings == ["Sheet “survey”, row 3: A note after the last question was ignored."]


def test_a_bare_label_is_in_the_default_language(en_ctx):
    survey, _ = read(workbook(
        [{"type": "integer", "name": "people", "label": "كم؟", "label::English (en)": "How many?",
          "hint": "تقدير"}],
        settings=[{"form_title": "الاحتياجات", "default_language": "ar"}]))
    assert survey.default_locale == "ar" and survey.title == {"ar": "الاحتياجات"}
    assert survey.questions[0].label == {"ar": "كم؟", "en": "How many?"}
    assert survey.questions[0].hint == {"ar": "تقدير"}


@pytest.mark.parametrize(("spelling", "kind"), [
    ("select one colours", QuestionKind.SINGLE), ("SELECT_ONE colours", QuestionKind.SINGLE),
    ("select multiple colours", QuestionKind.MULTIPLE),
    ("select all that apply colours", QuestionKind.MULTIPLE), ("Integer", QuestionKind.INTEGER),
])
def test_types_in_every_spelling(en_ctx, spelling, kind):
    survey, _ = read(workbook([_row(type=spelling, name="q")], COLOURS))
    assert survey.questions[0].kind == kind


def test_languages_by_code_or_english_name(en_ctx):
    survey, warnings = read(workbook([
        {"type": "integer", "name": "people", "label::ar": "كم؟", "label::Central Kurdish": "چەند؟",
         "label::English": "How many?", "hint::Kurdish (ku)": "Çend?"}]))
    assert survey.default_locale == "ar"  # the first language of the labels
    assert survey.questions[0].label == {"ar": "كم؟", "ckb": "چەند؟", "en": "How many?"}
    assert survey.questions[0].hint == {"ku": "Çend?"} and warnings == []


def test_questions_with_the_same_choices_share_a_list(en_ctx):
    survey = build_small_survey()
    survey.questions[4].name = "yes_no"  # a single choice named like the yes/no list
    twin = survey.questions[2]
    survey.questions[5].kind, survey.questions[5].min_value = QuestionKind.MULTIPLE, None
    survey.questions[5].max_value = None
    survey.questions[5].choices = [Choice(position=c.position, code=c.code, label=dict(c.label))
                                   for c in twin.choices]
    book = load_workbook(BytesIO(write_survey(survey)))
    lists = [row[0] for row in book["choices"].iter_rows(min_row=2, values_only=True)]
    assert list(dict.fromkeys(lists)) == ["yes_no", "docs_kinds", "yes_no_list"]
    again, _ = read(write_survey(survey))
    assert canonical(again) == canonical(survey)


def test_columns_past_a_wrong_dimension_are_read(en_ctx):
    """Some tools declare the sheet's size wrong; openpyxl would drop the columns past it."""
    source = zipfile.ZipFile(BytesIO(workbook([_row(type="integer", name="people", hxl="#x")])))
    members = {info.filename: source.read(info) for info in source.infolist()}
    sheet = members["xl/worksheets/sheet1.xml"]
    members["xl/worksheets/sheet1.xml"] = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"',
                                                 sheet)
    survey, _ = read(_zip(**members))
    assert survey.questions[0].hxl == "#x"


def _row(**cells):
    return {"label": "A question", **cells}


GOOD = [_row(type="integer", name="people"), _row(type="select_one colours", name="colour")]
COLOURS = [{"list_name": "colours", "name": "red", "label": "Red"},
           {"list_name": "colours", "name": "blue", "label": "Blue"}]


@pytest.mark.parametrize(("survey", "choices", "settings", "problem"), [
    ([*GOOD, _row(type="calculate", name="sum")], COLOURS, None,
     "Sheet “survey”, row 4, column “type”: Calculated fields (calculate) cannot be honoured: "
     "councils answer every question themselves."),
    ([_row(type="begin repeat", name="people"), *GOOD[1:], {"type": "end repeat"}], COLOURS,
     None, "Sheet “survey”, row 2, column “type”: Repeats are not supported: a report has one "
           "answer per question."),
    ([*GOOD, _row(type="geopoint", name="where")], COLOURS, None,
     "Sheet “survey”, row 4, column “type”: Locations (geopoint, geotrace, geoshape) are not "
     "collected here."),
    ([*GOOD, _row(type="image", name="photo")], COLOURS, None,
     "Sheet “survey”, row 4, column “type”: Files, pictures, sound, video and barcodes are not "
     "collected here."),
    ([*GOOD, _row(type="barcode", name="code")], COLOURS, None,
     "Sheet “survey”, row 4, column “type”: Files, pictures, sound, video and barcodes are not "
     "collected here."),
    ([*GOOD, _row(type="range", name="scale")], COLOURS, None,
     "Sheet “survey”, row 4, column “type”: The type “range” is not supported: use integer, "
     "decimal, text, date, select_one, select_multiple, note or a group."),
    ([*GOOD, _row(name="untyped")], COLOURS, None,
     "Sheet “survey”, row 4, column “type”: The type is missing."),
    ([*GOOD, _row(type="select_one sizes", name="size")], COLOURS, None,
     "Sheet “survey”, row 4, column “type”: The choice list “sizes” does not exist."),
    ([*GOOD, _row(type="integer", name="more", relevant="${people} > 3")], COLOURS, None,
     "Sheet “survey”, row 4, column “relevant”: Unexpected “> 3” at character 10."),
    ([*GOOD, _row(type="integer", name="more", constraint=". > 3")], COLOURS, None,
     "Sheet “survey”, row 4, column “constraint”: Unexpected “> 3” at character 2."),
    ([*GOOD, _row(type="integer", name="more", required="maybe")], COLOURS, None,
     "Sheet “survey”, row 4, column “required”: Write yes or no (or true, false, 1, 0)."),
    ([*GOOD, _row(type="integer", name="more", sector="food")], COLOURS, None,
     "Sheet “survey”, row 4, column “sector”: “food” is not a sector; the sectors are "
     "documentation, return, education, health, livelihoods, psychosocial, housing, legal, "
     "information, other."),
    ([*GOOD, _row(type="integer", name="more", gcm=24)], COLOURS, None,
     "Sheet “survey”, row 4, column “gcm”: The Global Compact has objectives 1 to 23."),
    ([*GOOD, _row(type="integer", name="more", gcm="four")], COLOURS, None,
     "Sheet “survey”, row 4, column “gcm”: “four” is not a whole number."),
    ([*GOOD, _row(type="integer", name="more", hxl="affected")], COLOURS, None,
     "Sheet “survey”, row 4, column “hxl”: “affected” is not an HXL hashtag, such as "
     "#affected+ind."),
    ([*GOOD, _row(type="integer", name="More")], COLOURS, None,
     "Sheet “survey”, row 4, column “name”: A name starts with a lowercase letter and has only "
     "lowercase letters, digits and _ (at most 64)."),
    ([*GOOD, _row(type="integer", name="people")], COLOURS, None,
     "Sheet “survey”, row 4, column “name”: Row 2 already has a question named “people”."),
    ([_row(type="integer", name="early", relevant="${people} = '1'"), *GOOD], COLOURS, None,
     "Sheet “survey”, row 2: The condition reads “people”, which is not an earlier question."),
    ([*GOOD, {"type": "integer", "name": "unlabelled"}], COLOURS, None,
     "Sheet “survey”, row 4: The question needs a label in the survey's default language."),
    ([{"type": "integer", "label": "No name"}], (), None,
     "Sheet “survey”, row 1, column “name”: This column is missing."),
    ([{"name": "no_type", "label": "No type"}], (), None,
     "Sheet “survey”, row 1, column “type”: This column is missing."),
    (GOOD, [{"list_name": "colours", "label": "Red"}], None,
     ("Sheet “choices”, row 1, column “name”: This column is missing.",
      "Sheet “survey”, row 3, column “type”: The choice list “colours” does not exist.")),
    (GOOD, [*COLOURS, {"list_name": "colours", "name": "green", "label": "Green",
                       "sector": "paint"}], None,
     "Sheet “choices”, row 4, column “sector”: “paint” is not a sector; the sectors are "
     "documentation, return, education, health, livelihoods, psychosocial, housing, legal, "
     "information, other."),
    (GOOD, COLOURS[:1], None,
     "Sheet “survey”, row 3: A choice question needs at least two choices."),
    (GOOD, COLOURS, [{"form_title": "Needs", "default_language": "Klingon (tlh)"}],
     "Sheet “settings”, row 2, column “default_language”: “Klingon (tlh)” is not one of the "
     "portal's languages: ar, ckb, ku, en, tr, fa, de, sv."),
    (GOOD, COLOURS, [{"version": "1"}],
     "Sheet “settings”, row 2, column “form_title”: The survey needs a title in its default "
     "language."),
    (None, COLOURS, None, "The workbook has no sheet named “survey”."),
])
def test_every_refusal_names_sheet_row_and_column(en_ctx, survey, choices, settings, problem):
    data = workbook(survey, choices, settings or [{"form_title": "Needs"}])
    with pytest.raises(XLSFormError) as refused:
        read(data)
    assert refused.value.problems == ([problem] if isinstance(problem, str) else list(problem))
    assert surveys_stored() == 0


def test_every_problem_is_told_at_once(en_ctx):
    with pytest.raises(XLSFormError) as refused:
        read(workbook([*GOOD, _row(type="calculate", name="x"), _row(type="geoshape", name="y"),
                       _row(type="integer", name="z", relevant="${nope} = 'a'")], COLOURS))
    assert len(refused.value.problems) == 3
    assert str(refused.value.message) == "The form was not imported: 3 problems."


def test_problems_are_told_in_the_reader_s_language(app):
    with app.test_request_context("/?lang=ckb"), pytest.raises(XLSFormError) as refused:
        read(workbook([*GOOD, _row(type="calculate", name="x")], COLOURS))
    assert str(refused.value.message) == "فۆرمەکە هاوردە نەکرا: ١ کێشە."
    assert refused.value.problems == [
        "پەڕەی «survey»، ڕیزی 4، ستوونی «type»: خانە ژمێردراوەکان (calculate) پشتگیری ناکرێن: "
        "ئەنجومەنەکان خۆیان وەڵامی هەموو پرسیارێک دەدەنەوە."]


def _zip(**members: bytes) -> bytes:
    output = BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return output.getvalue()


def _zip_bomb() -> bytes:
    output = BytesIO()
    with (zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive,
          archive.open("xl/worksheets/sheet1.xml", "w") as member):
        for _ in range(60):
            member.write(bytes(1024 * 1024))
    return output.getvalue()


def _with_entities() -> bytes:
    """A workbook whose sheet declares an XML entity (the start of a billion laughs)."""
    source = zipfile.ZipFile(BytesIO(workbook(GOOD, COLOURS)))
    members = {info.filename: source.read(info) for info in source.infolist()}
    members["xl/worksheets/sheet1.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY lol "lol">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol;</t></is></c></row>'
        b'</sheetData></worksheet>')
    return _zip(**members)


@pytest.mark.parametrize(("make", "problem"), [
    (lambda: b"PK" + bytes(int(2.1 * 1024 * 1024)), "The file is larger than 2 MB."),
    (_zip_bomb, "The workbook would unpack to more than 50 MB."),
    (lambda: b"type,name\ninteger,people\n",
     "The file is not an Excel workbook: save the form as .xlsx and try again."),
    (lambda: _zip(**{"notes.txt": b"hello"}),
     "The workbook cannot be read: it is damaged or not a spreadsheet."),
    (_with_entities, "The workbook cannot be read: it is damaged or not a spreadsheet."),
    (lambda: workbook([{"type": "start", "name": "start"}] * MAX_ROWS),
     "Sheet “survey” has more than 2,000 rows."),
], ids=["2.1 MB", "zip bomb", "text file", "zip of something else", "XML entities",
        "2,001 rows"])
def test_limits_come_before_parsing(en_ctx, make, problem):
    with pytest.raises(XLSFormError) as refused:
        read(make())
    assert refused.value.problems == [problem]


def test_two_thousand_rows_are_read(en_ctx):
    rows = [{"type": "start", "name": "start"}] * (MAX_ROWS - 2) + [_row(type="date", name="d")]
    survey, _ = read(workbook(rows))
    assert [q.name for q in survey.questions] == ["d"]


def test_import_prints_the_warnings_then_the_id(app, tmp_path):
    path = tmp_path / "kobo.xlsx"
    path.write_bytes(workbook(KOBO_SURVEY, KOBO_CHOICES, KOBO_SETTINGS))
    result = app.test_cli_runner().invoke(args=["surveys", "import", str(path)])
    assert result.exit_code == 0, result.output
    *warnings, last = result.stdout.splitlines()
    assert len(warnings) == 2 and warnings[1].startswith("Ignored, as they do not matter")
    with app.app_context():
        survey = db.session.get(Survey, int(last))
        assert survey.title == {"en": "Kobo needs"} and len(survey.questions) == 6


def test_import_refuses_on_stderr_and_stores_nothing(app, tmp_path):
    path = tmp_path / "form.xlsx"
    path.write_bytes(workbook([*GOOD, _row(type="calculate", name="x"),
                               _row(type="select_one sizes", name="y")], COLOURS))
    result = app.test_cli_runner().invoke(args=["surveys", "import", str(path)])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "The form was not imported: 2 problems.",
        "Sheet “survey”, row 4, column “type”: Calculated fields (calculate) cannot be "
        "honoured: councils answer every question themselves.",
        "Sheet “survey”, row 5, column “type”: The choice list “sizes” does not exist."]
    with app.app_context():
        assert surveys_stored() == 0


def test_import_refuses_a_text_file_named_xlsx(app, tmp_path):
    path = tmp_path / "form.xlsx"
    path.write_text("type,name\n")
    result = app.test_cli_runner().invoke(args=["surveys", "import", str(path)])
    assert result.exit_code == 1
    assert "not an Excel workbook" in result.stderr


def test_export_writes_what_import_reads_back(app, tmp_path):
    with app.test_request_context():
        survey = build_small_survey()
        db.session.commit()
        survey_id, before = survey.id, canonical(survey)
    path = tmp_path / "out.xlsx"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["surveys", "export", str(survey_id), str(path)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["surveys", "import", str(path)])
    with app.app_context():
        again = db.session.get(Survey, int(result.stdout.splitlines()[-1]))
        assert again.id != survey_id and canonical(again) == before


def test_export_of_an_unknown_survey_fails(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["surveys", "export", "999", str(tmp_path / "x")])
    assert result.exit_code == 1 and "no survey 999" in result.output
