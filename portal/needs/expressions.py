"""The XLSForm expressions a survey may hold, parsed and evaluated on the server.

``relevant`` (when a question is shown): ``${q} = 'v'``, ``${q} != 'v'`` and
``selected(${q}, 'v')``, joined by ``and``/``or`` (``and`` binds tighter) with parentheses.
``constraint`` (bounds of an answer): ``. >= N``, ``. <= N`` and ``string-length(.) <= N``
joined by ``and``. Both are kept as text in their canonical form (``format_relevant``,
``format_constraint``), so a survey exported and imported again is the same survey.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from portal.errors import DomainError

Answers = Mapping[str, "str | list[str] | None"]

_TOKEN = re.compile(r"""
    \s*(?:
      (?P<ref>\$\{(?P<name>[A-Za-z_][A-Za-z0-9_.-]*)\})
    | (?P<string>'[^']*'|"[^"]*")
    | (?P<number>-?\d+(?:\.\d+)?)
    | (?P<op>!=|>=|<=|=|\(|\)|,)
    | (?P<word>[A-Za-z][A-Za-z-]*)
    | (?P<dot>\.)
    )""", re.VERBOSE)


class ExpressionError(DomainError):
    """An expression outside the subset we honour; the message says what and where."""


@dataclass(frozen=True)
class Test:
    """One comparison: ``op`` is "=", "!=" or "selected"."""

    op: str
    name: str
    value: str

    def holds(self, answers: Answers) -> bool:
        answer = answers.get(self.name)
        chosen = answer if isinstance(answer, list) else ([answer] if answer else [])
        if self.op == "selected":
            return self.value in chosen
        equal = chosen == [self.value]
        return equal if self.op == "=" else not equal

    def format(self) -> str:
        if self.op == "selected":
            return f"selected(${{{self.name}}}, {_quote(self.value)})"
        return f"${{{self.name}}} {self.op} {_quote(self.value)}"


@dataclass(frozen=True)
class Junction:
    """Tests (or nested junctions) joined by ``op``: "and" or "or"."""

    op: str
    parts: tuple["Test | Junction", ...]

    def holds(self, answers: Answers) -> bool:
        results = (part.holds(answers) for part in self.parts)
        return all(results) if self.op == "and" else any(results)

    def format(self) -> str:
        def wrapped(part):  # "and" binds tighter: only an "or" inside an "and" needs brackets
            text = part.format()
            return f"({text})" if isinstance(part, Junction) and part.op == "or" else text
        return f" {self.op} ".join(wrapped(part) for part in self.parts)


Condition = Test | Junction


@dataclass(frozen=True)
class Bounds:
    min_value: float | None = None
    max_value: float | None = None
    max_length: int | None = None


def _quote(value: str) -> str:
    return f'"{value}"' if "'" in value else f"'{value}'"


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise ExpressionError(_l("Unexpected “%(text)s” at character %(position)d.",
                                     text=text[position:position + 12].strip(),
                                     position=position + 1))
        kind = next(k for k in ("ref", "string", "number", "op", "word", "dot") if match.group(k))
        value = match.group("name") if kind == "ref" else match.group(kind)
        tokens.append((kind, value if kind != "string" else value[1:-1]))
        position = match.end()
    return tokens


class _Reader:
    def __init__(self, text: str):
        self.tokens = _tokens(text)
        self.index = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self, kind: str, value: str | None = None) -> str:
        token = self.peek()
        if token is None or token[0] != kind or (value is not None and token[1] != value):
            found = token[1] if token else _l("the end")
            raise ExpressionError(_l("Expected %(expected)s, found “%(found)s”.",
                                     expected=value or _KIND_NAMES[kind], found=found))
        self.index += 1
        return token[1]

    def at(self, kind: str, value: str) -> bool:
        return self.peek() == (kind, value)

    def finish(self) -> None:
        if self.peek() is not None:
            raise ExpressionError(_l("Unexpected “%(text)s” after the end of the expression.",
                                     text=self.peek()[1]))


_KIND_NAMES = {"ref": "${name}", "string": "'…'", "number": _l("a number"), "op": "",
               "word": "", "dot": "."}


def _value(reader: _Reader) -> str:
    token = reader.peek()
    if token and token[0] in ("string", "number"):
        reader.index += 1
        return token[1]
    return reader.take("string")


def _test(reader: _Reader) -> Condition:
    if reader.at("op", "("):
        reader.take("op", "(")
        inner = _junction(reader, "or")
        reader.take("op", ")")
        return inner
    if reader.at("word", "selected"):
        reader.take("word")
        reader.take("op", "(")
        name = reader.take("ref")
        reader.take("op", ",")
        value = _value(reader)
        reader.take("op", ")")
        return Test("selected", name, value)
    name = reader.take("ref")
    token = reader.peek()
    if token not in (("op", "="), ("op", "!=")):
        raise ExpressionError(_l("Only = and != compare an answer here, found “%(found)s”.",
                                 found=token[1] if token else ""))
    reader.index += 1
    return Test(token[1], name, _value(reader))


def _junction(reader: _Reader, op: str) -> Condition:
    read_part = (lambda: _junction(reader, "and")) if op == "or" else (lambda: _test(reader))
    parts = [read_part()]
    while reader.at("word", op):
        reader.take("word", op)
        parts.append(read_part())
    flat = []
    for part in parts:  # "a and (b and c)" is "a and b and c": one canonical form
        flat.extend(part.parts if isinstance(part, Junction) and part.op == op else [part])
    return flat[0] if len(flat) == 1 else Junction(op, tuple(flat))


def parse_relevant(text: str) -> Condition:
    """The condition ``text`` states; ExpressionError if it is outside the subset."""
    reader = _Reader(text)
    if reader.peek() is None:
        raise ExpressionError(_l("The condition is empty."))
    condition = _junction(reader, "or")
    reader.finish()
    return condition


def format_relevant(condition: Condition) -> str:
    return condition.format()


def names_in(condition: Condition) -> set[str]:
    """The questions a condition reads."""
    if isinstance(condition, Test):
        return {condition.name}
    return set().union(*(names_in(part) for part in condition.parts))


def parse_constraint(text: str) -> Bounds:
    """The bounds ``text`` states; ExpressionError if it is outside the subset."""
    reader = _Reader(text)
    found: dict[str, float | int] = {}
    while True:
        if reader.at("word", "string-length"):
            reader.take("word")
            reader.take("op", "(")
            reader.take("dot")
            reader.take("op", ")")
            reader.take("op", "<=")
            found["max_length"] = int(float(reader.take("number")))
        else:
            reader.take("dot")
            op = reader.take("op")
            if op not in (">=", "<="):
                raise ExpressionError(_l("Only >= and <= bound a number here, found “%(found)s”.",
                                         found=op))
            found["min_value" if op == ">=" else "max_value"] = float(reader.take("number"))
        if not reader.at("word", "and"):
            break
        reader.take("word", "and")
    reader.finish()
    return Bounds(**found)


def format_constraint(bounds: Bounds) -> str | None:
    """The canonical text of ``bounds``, or None when there are none."""
    parts = []
    if bounds.min_value is not None:
        parts.append(f". >= {_number(bounds.min_value)}")
    if bounds.max_value is not None:
        parts.append(f". <= {_number(bounds.max_value)}")
    if bounds.max_length is not None:
        parts.append(f"string-length(.) <= {bounds.max_length}")
    return " and ".join(parts) or None


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
