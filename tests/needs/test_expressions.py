"""The XLSForm subset of conditions and constraints: parsed, evaluated, written back the same."""

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.needs.expressions import (
    Bounds,
    ExpressionError,
    format_constraint,
    format_relevant,
    names_in,
    parse_constraint,
    parse_relevant,
)


@pytest.mark.parametrize(("text", "answers", "shown"), [
    ("${docs_problem} = 'yes'", {"docs_problem": "yes"}, True),
    ("${docs_problem} = 'yes'", {"docs_problem": "no"}, False),
    ("${docs_problem} = 'yes'", {}, False),
    ("${return_intent} != 'none'", {"return_intent": "few"}, True),
    ("${return_intent} != 'none'", {"return_intent": "none"}, False),
    ("${return_intent} != 'none'", {}, True),  # as in ODK: an empty answer is not 'none'
    ("selected(${info}, 'email')", {"info": ["portal", "email"]}, True),
    ("selected(${info}, 'email')", {"info": ["portal"]}, False),
    ("selected(${info}, 'email')", {"info": None}, False),
    ("${a} = 'x' or ${b} = 'y' and ${c} = 'z'", {"b": "y", "c": "z"}, True),
    ("${a} = 'x' or ${b} = 'y' and ${c} = 'z'", {"b": "y"}, False),
    ("(${a} = 'x' or ${b} = 'y') and ${c} = 'z'", {"a": "x"}, False),
    ('${a} = "it\'s"', {"a": "it's"}, True),
    ("${n} = 3", {"n": "3"}, True),
])
def test_conditions_hold_as_in_xlsform(text, answers, shown):
    assert parse_relevant(text).holds(answers) is shown


def test_and_binds_tighter_than_or_and_nesting_is_flattened():
    condition = parse_relevant("${a} = 'x' or (${b} = 'y' and (${c} = 'z' and ${d} != 'w'))")
    assert format_relevant(condition) == "${a} = 'x' or ${b} = 'y' and ${c} = 'z' and ${d} != 'w'"
    assert names_in(condition) == {"a", "b", "c", "d"}
    grouped = parse_relevant("(${a} = 'x' or ${b} = 'y') and ${c} = 'z'")
    assert format_relevant(grouped) == "(${a} = 'x' or ${b} = 'y') and ${c} = 'z'"


@pytest.mark.parametrize("text", [
    "", "${a}", "${a} > 'x'", "${a} = ", "selected(${a})", "${a} = 'x' and",
    "${a} = 'x' ${b} = 'y'", "count(${a}) = 1", "${a} = 'x')", "(${a} = 'x'", "${a} = 'x",
    "today() > ${d}",
])
def test_conditions_outside_the_subset_are_refused_with_a_reason(text):
    with pytest.raises(ExpressionError) as error:
        parse_relevant(text)
    assert str(error.value.message)


@pytest.mark.parametrize(("text", "bounds", "canonical"), [
    (". >= 0", Bounds(min_value=0), ". >= 0"),
    (".>=1 and .<=100", Bounds(min_value=1, max_value=100), ". >= 1 and . <= 100"),
    (". <= 2.5", Bounds(max_value=2.5), ". <= 2.5"),
    ("string-length(.) <= 2000", Bounds(max_length=2000), "string-length(.) <= 2000"),
])
def test_constraints_give_bounds_and_back(text, bounds, canonical):
    assert parse_constraint(text) == bounds
    assert format_constraint(bounds) == canonical


@pytest.mark.parametrize("text", [". > 0", ". >= 'a'", ". >= 0 or . <= 5", "regex(., '[0-9]')",
                                  "string-length(.) >= 3", ""])
def test_constraints_outside_the_subset_are_refused(text):
    with pytest.raises(ExpressionError):
        parse_constraint(text)


names = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
values = st.text(st.characters(codec="utf-8", exclude_characters="'\"\n\r"), max_size=8)
tests = st.builds(lambda op, name, value: (f"selected(${{{name}}}, '{value}')" if op == "sel"
                                           else f"${{{name}}} {op} '{value}'"),
                  st.sampled_from(["=", "!=", "sel"]), names, values)


@given(st.lists(tests, min_size=1, max_size=5), st.lists(st.sampled_from([" and ", " or "]),
                                                         min_size=4, max_size=4))
def test_the_canonical_form_reads_back_as_itself(parts, joins):
    text = parts[0] + "".join(join + part for join, part in zip(joins, parts[1:], strict=False))
    canonical = format_relevant(parse_relevant(text))
    assert format_relevant(parse_relevant(canonical)) == canonical


@given(st.text(max_size=40))
def test_any_text_is_parsed_or_refused_never_crashes(text):
    with contextlib.suppress(ExpressionError):
        parse_relevant(text)
