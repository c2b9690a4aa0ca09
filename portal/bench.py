"""`flask bench seed`: a reproducible data set at ministry scale, for the benchmark (`make bench`).

Rows go in by bulk inserts (many rows per statement) that bypass the ORM; every member shares
one precomputed password hash. The shape follows real diasporas: a few councils of thousands,
most of a few hundred; Baghdad, Nineveh and Basra as the commonest origins.
"""

import random
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from functools import cache

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from portal.announcements.demo import SAMPLE_TEXTS
from portal.announcements.models import (
    Announcement,
    AnnouncementCouncil,
    AnnouncementCountry,
    AnnouncementText,
)
from portal.announcements.rendering import to_html
from portal.audit import AuditEvent
from portal.auth.models import User
from portal.bulk import bulk_insert
from portal.councils.models import Council, CouncilTranslation, Membership
from portal.councils.services import place_key
from portal.extensions import db
from portal.members.models import Profile, phone_digits
from portal.needs.models import Answer, NeedsReport, NeedsRound, ReviewEvent, RoundScope
from portal.needs.sample import plausible_answers, quarter_rounds, sample_report
from portal.needs.standard import build_standard_survey
from portal.needs.tallies import retally_everything
from portal.posts.demo import SAMPLE_POSTS
from portal.posts.models import ModerationDecision, Post, PostReport
from portal.search import joined_key, search_key
from portal.security import hash_password

BENCH_PASSWORD = "bench-password-2026"  # noqa: S105  (seeded accounts on a benchmark machine)
# The officer whose pages are measured signs in with this second factor.
BENCH_STAFF, BENCH_TOTP_SECRET = "staff@bench.example", "BENCHBENCHBENCHBENCHBENCHBENCH22"
SEED = 20261201

# Where Iraqis abroad live (weights), with a few cities each.
COUNTRIES = {
    "TR": (20, ["Istanbul", "Ankara", "Izmir", "Bursa", "Konya", "Kayseri", "Samsun"]),
    "DE": (14, ["Berlin", "Hamburg", "Munich", "Cologne", "Essen", "Nuremberg", "Bremen"]),
    "SE": (9, ["Stockholm", "Gothenburg", "Malmö", "Uppsala", "Södertälje", "Östersund"]),
    "IR": (8, ["Tehran", "Qom", "Mashhad", "Isfahan", "Ahvaz"]),
    "GB": (6, ["London", "Manchester", "Birmingham", "Cardiff", "Glasgow"]),
    "NL": (5, ["Amsterdam", "Rotterdam", "The Hague", "Utrecht", "Eindhoven"]),
    "US": (6, ["Detroit", "San Diego", "Chicago", "Houston", "Phoenix", "Nashville"]),
    "JO": (5, ["Amman", "Irbid", "Zarqa"]),
    "DK": (3, ["Copenhagen", "Aarhus", "Odense"]),
    "NO": (3, ["Oslo", "Bergen", "Trondheim"]),
    "FI": (3, ["Helsinki", "Tampere", "Turku"]),
    "AT": (2, ["Vienna", "Graz", "Linz"]),
    "BE": (2, ["Brussels", "Antwerp", "Liège"]),
    "CH": (1, ["Zurich", "Geneva", "Basel"]),
    "FR": (2, ["Paris", "Lyon", "Marseille"]),
    "CA": (3, ["Toronto", "Ottawa", "Windsor", "Calgary"]),
    "AU": (3, ["Sydney", "Melbourne", "Auckland"]),
    "NZ": (1, ["Auckland", "Wellington"]),
    "LB": (2, ["Beirut", "Tripoli"]),
    "SY": (2, ["Damascus", "Aleppo"]),
    "AE": (2, ["Dubai", "Abu Dhabi", "Sharjah"]),
    "EG": (2, ["Cairo", "Alexandria"]),
    "GR": (1, ["Athens", "Thessaloniki"]),
    "IT": (1, ["Rome", "Milan"]),
    "ES": (1, ["Madrid", "Barcelona"]),
    "MY": (1, ["Kuala Lumpur"]),
    "RU": (1, ["Moscow", "Saint Petersburg"]),
    "UA": (1, ["Kyiv", "Kharkiv"]),
    "PL": (1, ["Warsaw", "Krakow"]),
    "CZ": (1, ["Prague", "Brno"]),
}
GOVERNORATES = {"IQ-BG": 26, "IQ-NI": 12, "IQ-BA": 9, "IQ-AR": 6, "IQ-SU": 6, "IQ-DA": 4,
                "IQ-AN": 5, "IQ-KI": 5, "IQ-BB": 4, "IQ-DI": 4, "IQ-SD": 4, "IQ-NA": 3,
                "IQ-KA": 3, "IQ-DQ": 3, "IQ-WA": 2, "IQ-QA": 2, "IQ-MA": 2, "IQ-MU": 1,
                "halabja": 1}
LOCALES = {"ar": 45, "ckb": 15, "ku": 8, "en": 8, "tr": 8, "fa": 4, "de": 7, "sv": 5}
FIRST = ["أحمد", "محمد", "علي", "حسين", "فاطمة", "زينب", "مريم", "نور", "شنۆ", "کاروان",
         "Ahmed", "Mohammed", "Ali", "Hussein", "Fatima", "Zainab", "Layla", "Omar", "Rezan",
         "Dilan", "Sara", "Yousif", "Hawraa", "Mustafa"]
LAST = ["الجبوري", "العبيدي", "الموسوي", "الكعبي", "کەریم", "مەحمود", "Jabbar", "Hassan",
        "Saleh", "Abbas", "Kareem", "Xelîl", "Matti", "Aziz", "Qadiri", "Hamid"]
OCCUPATIONS = ["Engineer", "Teacher", "Nurse", "Driver", "Student", "Pharmacist", "Tailor",
               "Electrician", "Chef", "Accountant", "مدرس", "طالب", "ممرضة", None]
NEEDS_ROUNDS = [f"{year}-Q{quarter}" for year in (2025, 2026) for quarter in range(1, 5)]
# The paths reports took (portal.needs.sample.PATHS), weighted by how many rounds ago theirs was
# open: the open round mostly drafts, the last closed one in review, older ones mostly settled.
NEEDS_PATHS = [
    {"draft": 5, "submitted": 3, "under_review": 1},
    {"submitted": 2, "under_review": 3, "acknowledged": 3, "returned": 1, "in_progress": 2,
     "resolved": 1},
    {"draft": 0.5, "acknowledged": 3, "returned": 0.3, "resubmitted": 1, "in_progress": 2,
     "resolved": 6},
]
AUDIT_ACTIONS = {"login.succeeded": 60, "login.failed": 10, "membership.approved": 10,
                 "members.exported": 2, "sensitive.viewed": 5, "council.updated": 3,
                 "member.data_exported": 5, "2fa.enabled": 5}


def council_sizes(members: int, councils: int, rng: random.Random) -> list[int]:
    """Members per council, skewed like real diasporas: a few councils of 5,000–10,000
    (scaled down with the data set), most of 50–500; together about one per member."""
    big = max(1, councils // 100)
    weights = [rng.uniform(50, 100) for _ in range(big)]
    weights += [rng.paretovariate(1.6) for _ in range(councils - big)]
    total = sum(weights)
    return [max(5, round(members * w / total)) for w in weights]


class Seeder:
    """Fills an empty database; each table's time is reported through ``say``."""

    def __init__(self, members: int, councils: int, audit_events: int, say=click.echo):
        self.members, self.council_count, self.audit_events = members, councils, audit_events
        self.rng, self.say = random.Random(SEED), say  # noqa: S311  (reproducible, not secret)
        self.now = datetime.now(UTC)

    def run(self) -> None:
        self.password_hash = hash_password(BENCH_PASSWORD)
        self._timed("councils", self._councils)
        self._timed("users", self._users)
        self._timed("profiles", self._profiles)
        self._timed("memberships", self._memberships)
        self._timed("audit events", self._audit)
        self._timed("needs reports, answers and events", self._needs)
        self._timed("announcements and their texts", self._announcements)
        self._timed("posts, replies, reports and decisions", self._posts)

    def _timed(self, name: str, step) -> None:
        started = time.perf_counter()
        rows = step()
        _advance_sequences()
        db.session.commit()
        self.say(f"{name}: {rows:,} rows in {time.perf_counter() - started:.1f} s")

    def _councils(self) -> int:
        countries = list(COUNTRIES)
        weights = [COUNTRIES[c][0] for c in countries]
        self.places = []
        for n in range(self.council_count):
            country = self.rng.choices(countries, weights)[0]
            city = self.rng.choice(COUNTRIES[country][1])
            self.places.append((n + 1, country, city))
        rows = ({"id": n, "slug": f"{country.lower()}-{search_key(city).replace(' ', '-')}-{n}",
                 "default_locale": "en", "name": f"Iraqi Community Council of {city} {n}",
                 "country": country, "city": city, "description": "", "status": "active",
                 "search_key": place_key(country, f"Iraqi Community Council of {city} {n}",
                                         city, f"مجلس الجالية العراقية في {city}"),
                 "created_at": self.now, "updated_at": self.now}
                for n, country, city in self.places)
        count = bulk_insert(Council.__table__, rows)
        arabic = ({"council_id": n, "locale": "ar", "name": f"مجلس الجالية العراقية في {city}",
                   "city": None, "description": None} for n, _country, city in self.places)
        return count + bulk_insert(CouncilTranslation.__table__, arabic)

    def _users(self) -> int:
        locales, weights = list(LOCALES), list(LOCALES.values())
        self.sizes = council_sizes(self.members, self.council_count, self.rng)
        self.names = [""]  # by user id, for the memberships' copy of the name

        def rows():
            for n in range(1, self.members + 1):
                name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
                self.names.append(name)
                email = f"member{n}@bench.example"
                created = self.now - timedelta(minutes=self.rng.randrange(2 * 365 * 24 * 60))
                yield {"id": n, "email": email, "password_hash": self.password_hash,
                       "display_name": name, "locale": self.rng.choices(locales, weights)[0],
                       "role": "member", "email_verified_at": created,
                       "privacy_version": current_app.config["PRIVACY_NOTICE_VERSION"],
                       "privacy_accepted_at": created, "session_version": 1,
                       "totp_last_step": 0, "is_demo": False,
                       "search_key": joined_key(name, email),
                       "created_at": created, "updated_at": created}

        officer = {"id": self.members + 1, "email": BENCH_STAFF, "role": "staff",
                   "password_hash": self.password_hash, "display_name": "Bench Officer",
                   "locale": "en", "email_verified_at": self.now, "totp_last_step": 0,
                   "totp_secret": BENCH_TOTP_SECRET, "is_demo": False,
                   "privacy_version": current_app.config["PRIVACY_NOTICE_VERSION"],
                   "privacy_accepted_at": self.now, "session_version": 1,
                   "search_key": joined_key("Bench Officer", BENCH_STAFF),
                   "created_at": self.now, "updated_at": self.now}
        return bulk_insert(User.__table__, [*rows(), officer])

    def _home_councils(self) -> list[int]:
        """Each member's home council, following the council sizes."""
        homes = [council for council, size in enumerate(self.sizes, start=1)
                 for _ in range(size)]
        self.rng.shuffle(homes)
        return (homes + [1] * self.members)[:self.members]

    def _profiles(self) -> int:
        self.homes = self._home_councils()
        governorates, weights = list(GOVERNORATES), list(GOVERNORATES.values())

        def rows():
            for n, council in enumerate(self.homes, start=1):
                _id, country, city = self.places[council - 1]
                phone = f"+{self.rng.randrange(10, 99)} {self.rng.randrange(10**8, 10**9)}" \
                    if self.rng.random() < 0.4 else None
                yield {"user_id": n, "country": country, "city": city,
                       "governorate": self.rng.choices(governorates, weights)[0],
                       "year_left": self.rng.randrange(1980, 2025),
                       "occupation": self.rng.choice(OCCUPATIONS), "skills": None,
                       "languages": "Arabic", "phone": phone,
                       "residence_status": self.rng.choice(
                           ["citizen", "permanent_resident", "temporary_permit", None]),
                       "documentation_needs": [], "shared_with_leaders": ["display_name", "city"],
                       "city_key": search_key(city), "phone_key": phone_digits(phone),
                       "created_at": self.now, "updated_at": self.now}

        return bulk_insert(Profile.__table__, rows())

    def _memberships(self) -> int:
        first_of = self.leaders = {}  # each council's first member leads it
        for n, council in enumerate(self.homes, start=1):
            first_of.setdefault(council, n)
        leaders = set(first_of.values())

        def rows():
            for n, council in enumerate(self.homes, start=1):
                roll = self.rng.random()
                status = "pending" if roll < 0.05 else "left" if roll < 0.08 else "approved"
                asked = self.now - timedelta(days=self.rng.randrange(700))
                yield {"user_id": n, "council_id": council, "member_name": self.names[n],
                       "role": "leader" if n in leaders else "member",
                       "status": "approved" if n in leaders else status,
                       "is_home": status == "approved" or n in leaders, "requested_at": asked,
                       "decided_at": None if status == "pending" else asked + timedelta(days=2),
                       "created_at": asked, "updated_at": asked}

        return bulk_insert(Membership.__table__, rows())

    def _audit(self) -> int:
        actions, weights = list(AUDIT_ACTIONS), list(AUDIT_ACTIONS.values())

        def rows():
            for _ in range(self.audit_events):
                actor = self.rng.randrange(1, self.members + 1)
                yield {"created_at": self.now - timedelta(
                           seconds=self.rng.randrange(2 * 365 * 24 * 3600)),
                       "actor_id": actor, "action": self.rng.choices(actions, weights)[0],
                       "subject_type": "User", "subject_id": actor, "details": {},
                       "address": "203.0.113.7"}

        return bulk_insert(AuditEvent.__table__, rows())


    def _needs(self) -> int:
        """A report of every council in every round of the standard survey."""
        officer = db.session.get(User, self.members + 1)
        survey = build_standard_survey(created_by=officer)
        rounds = [NeedsRound(survey=survey, label=label, scope=RoundScope.ALL, opens_on=opens,
                             closes_on=closes, created_by_id=officer.id, created_at=self.now)
                  for label, opens, closes in quarter_rounds(NEEDS_ROUNDS, self.now.date())]
        db.session.add_all(rounds)
        db.session.flush()
        reports, answers, events = [], [], []
        for age, needs_round in enumerate(reversed(rounds)):
            paths = NEEDS_PATHS[min(age, len(NEEDS_PATHS) - 1)]
            for council, country, city in self.places:
                path = self.rng.choices(list(paths), list(paths.values()))[0]
                report, sample = self._report(len(reports) + 1, needs_round, council, country,
                                              city, path)
                reports.append(report)
                answers += [row | {"report_id": report["id"]} for row in sample.answers]
                events += [{"report_id": report["id"], "from_status": step.from_status,
                            "to_status": step.to_status, "comment": step.comment,
                            "actor_id": self._actor(council, step), "created_at": step.at}
                           for step in sample.steps]
        count = (len(rounds) + bulk_insert(NeedsReport.__table__, reports)
                 + bulk_insert(Answer.__table__, answers)
                 + bulk_insert(ReviewEvent.__table__, events))
        retally_everything()
        return count

    def _report(self, report_id, needs_round, council, country, city, path):
        answers = plausible_answers(self.rng, country, city, 8 * self.sizes[council - 1], "en")
        sample = sample_report(self.rng, needs_round.survey.questions, path, answers,
                               needs_round.opens_on, needs_round.closes_on, self.now, "en")
        last = sample.steps[-1] if sample.steps else None
        return {"id": report_id, "round_id": needs_round.id, "council_id": council,
                "status": sample.status, "revision": sample.revision,
                "submitted_at": sample.submitted_at, "reopened_until": None,
                "updated_by_id": self._actor(council, last), "created_at": sample.created_at,
                "updated_at": sample.updated_at}, sample

    def _actor(self, council: int, step) -> int | None:
        """The council's leader submits (and saves drafts); the officer reviews."""
        return self.members + 1 if step and not step.by_leader else self.leaders.get(council)


    def _announcements(self) -> int:
        """About one per 100 members (2,000 at full scale), in one to eight languages, for
        everyone, for countries or for councils, over two years; a few pinned, scheduled,
        expiring or archived. They count as mailed already: no fan-out is owed."""
        count = min(2000, max(20, self.members // 100))
        rows, texts, countries, councils = [], [], [], []
        for n in range(1, count + 1):
            row, audience = self._announcement(n)
            rows.append(row)
            texts += self._announcement_texts(n, row["default_locale"])
            if audience == "countries":
                countries += [{"announcement_id": n, "country": code} for code in set(
                    self.rng.choices(list(COUNTRIES), [w for w, _ in COUNTRIES.values()],
                                     k=self.rng.randint(1, 3)))]
            elif audience == "councils":
                councils += [{"announcement_id": n, "council_id": council} for council in set(
                    self.rng.choices(range(1, self.council_count + 1), k=self.rng.randint(1, 4)))]
        return (bulk_insert(Announcement.__table__, rows)
                + bulk_insert(AnnouncementText.__table__, texts)
                + bulk_insert(AnnouncementCountry.__table__, countries)
                + bulk_insert(AnnouncementCouncil.__table__, councils))

    def _announcement(self, n: int) -> tuple[dict, str]:
        audience = self.rng.choices(["all", "countries", "councils"], [5, 3, 2])[0]
        roll = self.rng.random()
        publish = self.now + timedelta(days=self.rng.uniform(1, 30)) if roll < 0.02 else \
            self.now - timedelta(minutes=self.rng.randrange(2 * 365 * 24 * 60))
        expires = publish + timedelta(days=self.rng.randrange(30, 120)) if roll > 0.9 else None
        return {"id": n, "default_locale": self.rng.choices(list(LOCALES), list(
                    LOCALES.values()))[0], "audience": audience,
                "pinned": self.rng.random() < 0.01, "publish_at": publish,
                "expires_at": expires,
                "archived_at": publish + timedelta(days=3) if 0.02 < roll < 0.05 else None,
                "awaiting_approval": False, "created_by_id": self.members + 1,
                "corrected_at": publish + timedelta(hours=5) if 0.05 < roll < 0.1 else None,
                "revision": 1, "fanout_pending": False, "created_at": publish,
                "updated_at": publish}, audience

    def _announcement_texts(self, n: int, default: str) -> list[dict]:
        """The default language and a few others, each a text the demo has in it."""
        others = self.rng.sample(list(LOCALES), self.rng.randint(0, 7))
        rows = []
        for locale in dict.fromkeys([default, *others]):
            title, body = self.rng.choice(SAMPLE_TEXTS[locale])
            rows.append({"announcement_id": n, "locale": locale, "title": f"{title} · {n}",
                         "body_markdown": body, "body_html": _html(body)})
        return rows


    def _posts(self) -> int:
        """As many posts as members (200,000 at full scale), by each council's members in
        proportion to its size: half threads, half replies to them; most published, some
        waiting, reported, hidden, refused or deleted, so that about 5,000 wait in the
        moderation queue at full scale."""
        authors: dict[int, list[int]] = {}
        for member, council in enumerate(self.homes, start=1):
            authors.setdefault(council, []).append(member)
        councils = list(authors)
        weights = [len(authors[council]) for council in councils]
        posts, reports, decisions, threads = [], [], [], []
        for n in range(1, self.members + 1):
            council = self.rng.choices(councils, weights)[0]
            parent = self.rng.choice(threads) if threads and n % 2 == 0 else None
            if parent is not None and parent[1] != council:
                council = parent[1]
            post, open_reports = self._post(n, council, authors[council], parent)
            posts.append(post)
            if parent is None:
                threads.append((n, council))
            reports += [{"post_id": n, "reporter_id": reporter, "reason": "spam", "text": "",
                         "created_at": post["created_at"]}
                        for reporter in set(self.rng.sample(authors[council],
                                                            min(open_reports,
                                                                len(authors[council]))))]
            if post["status"] in ("rejected", "hidden"):
                decisions.append({"post_id": n, "moderator_id": self.members + 1,
                                  "action": "reject" if post["status"] == "rejected" else "hide",
                                  "reason": "spam", "note": "",
                                  "created_at": post["created_at"] + timedelta(hours=3)})
        replies = Counter(post["parent_id"] for post in posts if post["parent_id"])
        for post in posts:
            post["reply_count"] = replies.get(post["id"], 0)
        return (bulk_insert(Post.__table__, posts)
                + bulk_insert(PostReport.__table__, reports)
                + bulk_insert(ModerationDecision.__table__, decisions))

    def _post(self, n: int, council: int, members: list[int],
              parent: tuple[int, int] | None) -> tuple[dict, int]:
        roll = self.rng.random()
        status = ("pending" if roll < 0.02 else "hidden" if roll < 0.025 else
                  "rejected" if roll < 0.03 else "deleted" if roll < 0.04 else "published")
        reported = status == "published" and self.rng.random() < 0.005
        created = self.now - timedelta(minutes=(self.members - n) * 3)
        return {"id": n, "council_id": council, "author_id": self.rng.choice(members),
                "parent_id": parent[0] if parent else None,
                "body": self.rng.choice(SAMPLE_POSTS), "status": status, "created_at": created,
                "edited_at": None, "reply_count": 0, "open_reports": 1 if reported else 0,
                "needs_moderation": status == "pending" or reported, "version": 1}, \
            1 if reported else 0


@cache
def _html(markdown: str) -> str:
    return to_html(markdown)


def _advance_sequences() -> None:
    """Rows were given their ids: PostgreSQL's sequences must continue after them."""
    if db.engine.dialect.name != "postgresql":
        return
    for model in (User, Council, CouncilTranslation, Membership, AuditEvent, NeedsReport,
                  Announcement, Post, PostReport, ModerationDecision):
        table = model.__table__
        following = select(func.coalesce(func.max(table.c.id), 0) + 1).scalar_subquery()
        db.session.execute(select(func.setval(
            func.pg_get_serial_sequence(table.name, "id"), following, False)))


bench_cli = AppGroup("bench", help="Benchmark data.")


@bench_cli.command("seed")
@click.option("--members", default=200_000, show_default=True)
@click.option("--councils", default=500, show_default=True)
@click.option("--audit-events", default=None, type=int,
              help="Audit events to add (default: as many as members).")
def seed_command(members: int, councils: int, audit_events: int | None) -> None:
    """Fill an empty, non-production database with a reproducible data set at scale."""
    if current_app.config["PORTAL_ENV"] == "production":
        raise click.ClickException("refused: PORTAL_ENV is production")
    if db.session.scalar(select(func.count()).select_from(User)):
        raise click.ClickException("refused: the database already holds accounts")
    Seeder(members, councils, members if audit_events is None else audit_events).run()
