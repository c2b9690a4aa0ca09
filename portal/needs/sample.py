"""Believable reports on the standard survey — answers and review timelines — for the demo and
the benchmark, drawn from the caller's seeded Random so that both are reproducible.

Answers differ by country as NEEDS-SURVEY.md asks, so that the dashboard shows real
differences: documentation problems are commonest where no Iraqi mission is near, more members
consider returning in Türkiye and Iran than in Sweden or Germany, and the right to work is
scarcest in Iran and Türkiye. Answers are stored as the leader's form stores them, and never
for a question whose condition does not hold.
"""

import functools
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from portal.needs.expressions import parse_relevant
from portal.needs.models import Question, QuestionKind, ReportStatus
from portal.needs.rules import CHOICE_KINDS
from portal.needs.standard_texts import CHOICES


@dataclass(frozen=True)
class Country:
    """How a country's councils tend to answer: weights of each choice, in the survey's order."""

    far: tuple  # consular_distance from a city without a mission: under_3h, 3–8 h, over 8 h
    returning: tuple  # return_intent: none, few, half, most
    working: tuple  # work_permit: almost_all, about_half, few
    health: tuple  # health_access: most_can, some_cannot, most_cannot
    sending: tuple  # remittance_cost: no, costly, no_safe_channel
    housing: tuple  # stable, overcrowded, at_risk
    out_of_school: float  # share of the people: children without a school place
    asylum: float  # share of the people: members who need legal advice


COUNTRIES = {
    "TR": Country((2, 5, 3), (1, 4, 4, 2), (1, 3, 6), (3, 5, 2), (3, 6, 1), (2, 5, 3), .02, .015),
    "IR": Country((1, 4, 5), (1, 3, 4, 3), (0, 2, 8), (2, 5, 3), (1, 3, 6), (3, 5, 2), .015, .01),
    "DE": Country((3, 6, 1), (6, 3, 1, 0), (5, 4, 1), (7, 3, 0), (5, 4, 1), (5, 4, 1), .003, .03),
    "SE": Country((1, 4, 5), (7, 3, 0, 0), (7, 2, 1), (8, 2, 0), (5, 4, 1), (6, 3, 1), .002, .02),
    "NL": Country((9, 1, 0), (6, 3, 1, 0), (6, 3, 1), (7, 3, 0), (5, 4, 1), (5, 4, 1), .002, .02),
    "GB": Country((4, 5, 1), (6, 3, 1, 0), (6, 3, 1), (6, 3, 1), (5, 4, 1), (4, 5, 1), .003, .02),
}
ELSEWHERE = Country((4, 4, 2), (3, 4, 2, 1), (4, 4, 2), (5, 4, 1), (4, 5, 1), (5, 4, 1), .005,
                    .015)
# Cities with an Iraqi embassy or consulate.
MISSIONS = frozenset({
    "Istanbul", "Ankara", "Tehran", "Mashhad", "Berlin", "Stockholm", "London", "The Hague",
    "Detroit", "Amman", "Copenhagen", "Oslo", "Helsinki", "Vienna", "Brussels", "Paris",
    "Ottawa", "Beirut", "Damascus", "Dubai", "Abu Dhabi", "Cairo", "Athens", "Rome", "Madrid",
    "Kuala Lumpur", "Moscow", "Kyiv", "Warsaw", "Prague"})
# How likely members have trouble with Iraqi documents, by how far the nearest mission is.
DOCS_PROBLEM = {"same_city": .25, "under_3h": .45, "from_3_to_8h": .7, "over_8h": .9}

# What a leader might write, in the council's language (English where there is none here).
SKILLS = {
    "en": ("Civil engineers and electricians for rebuilding schools; two doctors could teach "
           "short courses.", "Accountants and IT specialists; teachers of English."),
    "ar": ("مهندسون مدنيون وكهربائيون لإعادة بناء المدارس، وطبيبان مستعدان لتقديم دورات قصيرة.",
           "محاسبون ومختصون في تقنية المعلومات، ومعلمو لغة إنكليزية."),
    "de": ("Ingenieurinnen und Ingenieure, Pflegekräfte; einige Mitglieder können Berufskurse "
           "geben.", "Softwareentwicklung, Handwerk (Elektrik, Sanitär), Medizin."),
    "sv": ("Sjuksköterskor, tandläkare och lärare; några kan hålla kurser på distans.",
           "Ingenjörer och företagare med erfarenhet av export."),
}
NOTES = {
    "en": ("The nearest consulate takes months to give an appointment; a mobile consular visit "
           "would help many families.", "Many members ask how to register children born here "
           "in the civil status records in Iraq."),
    "ar": ("مواعيد القنصلية بعيدة جدًا؛ زيارة قنصلية متنقلة ستساعد عائلات كثيرة.",
           "يسأل كثير من الأعضاء عن تسجيل أطفالهم المولودين هنا في سجلات الأحوال المدنية "
           "في العراق."),
    "de": ("Termine beim Konsulat dauern Monate; ein mobiler Konsulartag würde vielen Familien "
           "helfen.", "Viele fragen, wie hier geborene Kinder im irakischen Personenstandsregister "
           "eingetragen werden."),
    "sv": ("Det tar månader att få en tid på ambassaden; ett mobilt konsulärt besök skulle "
           "hjälpa många familjer.", "Många undrar hur barn som fötts här registreras i det "
           "irakiska civilståndsregistret."),
}


def _pick(rng: random.Random, name: str, weights) -> str:
    return rng.choices(list(CHOICES[name]), weights)[0]


def _some(rng: random.Random, name: str, weights, most: int) -> list[str]:
    """One to ``most`` different choices, the heavier ones likelier."""
    left = dict(zip(CHOICES[name], weights, strict=True))
    chosen = []
    for _ in range(rng.randint(1, most)):
        code = rng.choices(list(left), list(left.values()))[0]
        chosen.append(code)
        del left[code]
    return [code for code in CHOICES[name] if code in chosen]


def plausible_answers(rng: random.Random, country: str, city: str | None, people: int,
                      language: str) -> dict:
    """A council's answer to every question, in the survey's order, for a community of about
    ``people`` Iraqis; ``answer_rows`` leaves out those whose condition does not hold."""
    profile = COUNTRIES.get(country, ELSEWHERE)
    distance = "same_city" if city in MISSIONS else rng.choices(
        ["under_3h", "from_3_to_8h", "over_8h"], profile.far)[0]
    people = round(people * rng.uniform(0.92, 1.08))
    answers = {
        "households": round(people / rng.uniform(3.5, 5.0)),
        "members_est": people,
        "docs_problem": "yes" if rng.random() < DOCS_PROBLEM[distance] else "no",
        "docs_kinds": _some(rng, "docs_kinds", (6, 4, 2, 4, 2, 2), 3),
        "docs_people": max(1, round(people * rng.uniform(0.02, 0.08))),
        "consular_distance": distance,
        "return_intent": _pick(rng, "return_intent", profile.returning),
        "return_barriers": _some(rng, "return_barriers", (5, 6, 4, 3, 2, 3), 3),
        "children_school": round(people * profile.out_of_school * rng.uniform(0.5, 1.5)),
        "certificates": "yes" if rng.random() < 0.6 else "no",
        "health_access": _pick(rng, "health_access", profile.health),
        "psychosocial": "yes" if rng.random() < 0.55 else "no",
        "work_permit": _pick(rng, "work_permit", profile.working),
        "skills_offer": _written(rng, SKILLS, language, 0.6),
        "remittance_cost": _pick(rng, "remittance_cost", profile.sending),
        "housing": _pick(rng, "housing", profile.housing),
        "legal_aid": round(people * profile.asylum * rng.uniform(0.5, 1.5)),
        "info_channel": _some(rng, "info_channel", (3, 2, 6, 3, 2), 3),
    }
    answers["top_need"] = _top_need(rng, answers)
    answers["notes"] = _written(rng, NOTES, language, 0.3)
    return answers


def _written(rng: random.Random, texts: dict, language: str, likelihood: float) -> str | None:
    return rng.choice(texts.get(language, texts["en"])) if rng.random() < likelihood else None


def _top_need(rng: random.Random, answers: dict) -> str:
    """The most urgent need follows the other answers, with room for surprise."""
    weights = dict.fromkeys(CHOICES["top_need"], 1.0)
    weights["documentation"] += 6 * (answers["docs_problem"] == "yes")
    weights["livelihoods"] += 4 * (answers["work_permit"] == "few")
    weights["return"] += 3 * (answers["return_intent"] in ("half", "most"))
    weights["housing"] += 3 * (answers["housing"] == "at_risk")
    weights["health"] += 3 * (answers["health_access"] == "most_cannot")
    return rng.choices(list(weights), list(weights.values()))[0]


_condition = functools.cache(parse_relevant)


def answer_rows(questions: list[Question], answers: dict) -> list[dict]:
    """The answer rows (question_id, choice, number, text, day) the leader's form would store:
    a row per chosen choice of a multiple-choice question, nothing for an unanswered question
    or one whose condition does not hold on the answers before it."""
    shown: dict = {}
    rows = []
    for question in questions:
        value = answers.get(question.name)
        if value is None or (question.relevant
                             and not _condition(question.relevant).holds(shown)):
            continue
        shown[question.name] = value if isinstance(value, str | list) else str(value)
        rows += [_row(question, part) for part in (value if isinstance(value, list) else [value])]
    return rows


def _row(question: Question, value) -> dict:
    kind = question.kind
    return {"question_id": question.id,
            "choice": value if kind in CHOICE_KINDS else "",
            "number": value if kind in (QuestionKind.INTEGER, QuestionKind.DECIMAL) else None,
            "text": value if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT) else None,
            "day": value if kind == QuestionKind.DATE else None}


R = ReportStatus
# The steps that brought a report where it is: the leader submits (and resubmits after a
# return), staff take the edges of STAFF_TRANSITIONS.
PATHS = {
    "draft": (),
    "submitted": (R.SUBMITTED,),
    "under_review": (R.SUBMITTED, R.UNDER_REVIEW),
    "acknowledged": (R.SUBMITTED, R.UNDER_REVIEW, R.ACKNOWLEDGED),
    "returned": (R.SUBMITTED, R.UNDER_REVIEW, R.RETURNED),
    "resubmitted": (R.SUBMITTED, R.UNDER_REVIEW, R.RETURNED, R.SUBMITTED, R.UNDER_REVIEW,
                    R.ACKNOWLEDGED),
    "in_progress": (R.SUBMITTED, R.UNDER_REVIEW, R.IN_PROGRESS),
    "resolved": (R.SUBMITTED, R.UNDER_REVIEW, R.ACKNOWLEDGED, R.IN_PROGRESS, R.RESOLVED),
}
# What staff write at each of their steps, in Arabic or English (a leader's submission has no
# comment: the form takes none).
COMMENTS = {
    R.ACKNOWLEDGED: {
        "en": "Thank you. The documentation figures go to the consular department for next "
              "quarter's plan.",
        "ar": "شكرًا لكم. أُحيلت أرقام الوثائق إلى الدائرة القنصلية لخطة الفصل القادم."},
    R.RETURNED: {
        "en": "Please add which documents members need most and how many people need them; we "
              "plan consular visits from these figures.",
        "ar": "يرجى بيان الوثائق الأكثر حاجة وعدد من يحتاجونها، فنحن نخطط للزيارات القنصلية "
              "على أساس هذه الأرقام."},
    R.IN_PROGRESS: {
        "en": "A mobile consular visit is being arranged with the embassy; we will confirm the "
              "dates.",
        "ar": "يجري ترتيب زيارة قنصلية متنقلة مع السفارة، وسنؤكد المواعيد لاحقًا."},
    R.RESOLVED: {
        "en": "The mobile consular visit took place and the applications were received. Thank "
              "you for your help.",
        "ar": "تمت الزيارة القنصلية المتنقلة واستُلمت الطلبات. شكرًا لتعاونكم."},
}


@dataclass(frozen=True)
class Step:
    from_status: ReportStatus
    to_status: ReportStatus
    at: datetime
    comment: str
    by_leader: bool


@dataclass(frozen=True)
class SampleReport:
    status: ReportStatus
    revision: int
    submitted_at: datetime | None
    created_at: datetime
    updated_at: datetime
    answers: list[dict]  # answer_rows
    steps: list[Step]


def sample_report(rng: random.Random, questions: list[Question], path: str, answers: dict,
                  opens_on: date, closes_on: date, now: datetime, language: str) -> SampleReport:
    """A report that took ``path`` (a key of PATHS) in a round open from ``opens_on`` to
    ``closes_on``: submitted while it was open, reviewed afterwards, all before ``now``. A draft
    has answered only the first questions."""
    opened = datetime.combine(opens_on, time(6), tzinfo=UTC)
    last_day = min(datetime.combine(closes_on, time(18), tzinfo=UTC), now)
    created = opened + (last_day - opened) * rng.uniform(0.02, 0.1)
    if not PATHS[path]:
        answers = dict(list(answers.items())[:rng.randint(3, len(answers) - 4)])
    steps = _steps(rng, PATHS[path], created + (last_day - created) * rng.uniform(0.1, 0.7),
                   now, "ar" if language == "ar" else "en")
    submitted = [step.at for step in steps if step.to_status == R.SUBMITTED]
    return SampleReport(
        status=steps[-1].to_status if steps else R.DRAFT, revision=2 + len(steps),
        submitted_at=submitted[-1] if submitted else None, created_at=created,
        updated_at=steps[-1].at if steps else created, answers=answer_rows(questions, answers),
        steps=steps)


def _steps(rng: random.Random, path: tuple, at: datetime, now: datetime,
           language: str) -> list[Step]:
    steps, status = [], R.DRAFT
    for to_status in path:
        if steps:  # days apart, and never later than now
            at += min(timedelta(days=rng.uniform(0.5, 8)), (now - at) / 3)
        comment = COMMENTS.get(to_status, {}).get(language, "")
        steps.append(Step(status, to_status, at, comment, to_status == R.SUBMITTED))
        status = to_status
    return steps


def quarter_rounds(labels: list[str], today: date) -> list[tuple[str, date, date]]:
    """(label, opens_on, closes_on) of rounds a quarter apart, the last one open today (for
    another month) and each earlier one open for 60 days."""
    rounds = []
    for back, label in enumerate(reversed(labels)):
        opens = today - timedelta(days=60 + 91 * back)
        closes = today + timedelta(days=29) if back == 0 else opens + timedelta(days=59)
        rounds.append((label, opens, closes))
    return rounds[::-1]
