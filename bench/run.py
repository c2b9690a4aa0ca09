"""`make bench`: seed a database at ministry scale, serve it with the production gunicorn
settings and drive each page with wrk, side by side with a Flask app that returns a constant
string (the floor), so that every figure is a share of what this machine can do.

Environment: DATABASE_URL (default: a fresh SQLite file in instance/), BENCH_SCALE=small
(2,000 members, 1 s a page, the floor measured once; what the test suite runs), BENCH_WORKERS
(gunicorn workers, default 2), BENCH_RESULTS (default bench/results.json).
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.request import Request, urlopen

import pyotp
from flask_login import AnonymousUserMixin
from itsdangerous import URLSafeSerializer
from sqlalchemy import delete, event, func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from portal import create_app  # noqa: E402  (the checkout's portal, whatever is installed)
from portal.announcements import services  # noqa: E402
from portal.announcements.models import Announcement, Audience  # noqa: E402
from portal.announcements.reading import readable  # noqa: E402
from portal.auth.models import User  # noqa: E402
from portal.bench import BENCH_PASSWORD, BENCH_STAFF, BENCH_TOTP_SECRET  # noqa: E402
from portal.councils.models import Council, Membership  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.mail import MailContent  # noqa: E402
from portal.members.models import Profile  # noqa: E402
from portal.needs.models import NeedsReport, NeedsRound, ReportStatus, Survey  # noqa: E402
from portal.posts.models import Post  # noqa: E402

SMALL = os.environ.get("BENCH_SCALE") == "small"
MEMBERS, COUNCILS = (2_000, 40) if SMALL else (200_000, 500)
DURATION = 1 if SMALL else 8
WORKERS = os.environ.get("BENCH_WORKERS", "2")
RESULTS = Path(os.environ.get("BENCH_RESULTS", ROOT / "bench" / "results.json"))
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_answering(url: str, path: str) -> None:
    """Until every worker has booted: the first answer may come from one that has."""
    answered = 0
    for _ in range(600):
        try:
            with urlopen(url + path, timeout=5) as response:  # noqa: S310  (our own loopback)
                answered += response.status == 200
        except OSError:
            time.sleep(0.05)
        if answered > 2 * int(WORKERS):
            return
    sys.exit(f"{url} did not start")


@contextmanager
def gunicorn(app: str, env: dict, ready_path: str):
    """Serve ``app`` with the production settings: sync workers on loopback."""
    port = free_port()
    process = subprocess.Popen(
        [BIN / "gunicorn", "--workers", WORKERS, "--bind", f"127.0.0.1:{port}", app],
        cwd=ROOT, env={**os.environ, **env, "PORTAL_BASE_URL": f"http://127.0.0.1:{port}"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_answering(url, ready_path)
        yield url
    finally:
        process.terminate()
        process.wait()


def _ms(text: str) -> float:
    """wrk's 850.00us, 12.34ms, 1.20s or 1.01m in milliseconds."""
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def warm_up(url: str, cookie: str | None) -> None:
    """A few requests first, so that each worker has loaded what the page needs once (CLDR
    data, the collator, templates) before the measured ones."""
    request = Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    for _ in range(4 * int(WORKERS)):
        with urlopen(request, timeout=30) as response:  # noqa: S310  # our own loopback
            response.read()


def wrk(url: str, cookie: str | None = None) -> dict:
    """Requests per second, median and 99th percentile latency at 32 connections."""
    warm_up(url, cookie)
    command = ["wrk", "-t2", "-c32", f"-d{DURATION}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps, p50, p99 = (re.search(pattern, out) for pattern in (
        r"Requests/sec:\s+([\d.]+)", r"50%\s+([\d.]+\w+)", r"99%\s+([\d.]+\w+)"))
    if not (rps and p50 and p99):
        sys.exit(f"wrk said nothing measurable about {url}:\n{out}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(rps.group(1)), "p50_ms": _ms(p50.group(1)), "p99_ms": _ms(p99.group(1)),
            "errors": int(errors.group(1)) if errors else 0}


def seed(env: dict) -> None:
    flask = [BIN / "flask", "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env={**os.environ, **env}, check=True,
                   capture_output=True)
    seeded = subprocess.run([*flask, "bench", "seed", "--members", str(MEMBERS), "--councils",
                             str(COUNCILS)], cwd=ROOT, env={**os.environ, **env},
                            capture_output=True, text=True)
    if seeded.returncode and "already holds accounts" not in seeded.stderr:
        sys.exit(seeded.stderr)
    print(seeded.stdout or "the database was seeded before: measuring it as it is")


def _csrf(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def signed_in(app, email: str) -> str:
    """The session cookie of a login through the real forms (the second step for staff)."""
    client = app.test_client()
    client.post("/auth/login", data={"email": email, "password": BENCH_PASSWORD,
                                     "csrf_token": _csrf(client, "/auth/login")})
    if email == BENCH_STAFF:
        with app.app_context():
            officer = db.session.scalar(select(User).where(User.email == email))
            officer.totp_last_step = 0
            db.session.commit()
        client.post("/auth/2fa/verify", data={"code": pyotp.TOTP(BENCH_TOTP_SECRET).now(),
                                              "csrf_token": _csrf(client, "/auth/2fa/verify")})
    return f"session={client.get_cookie('session').value}"


def subjects(app) -> dict:
    """The largest council, its first leader, a member and a member record to look at."""
    with app.app_context():
        council_id, _size = db.session.execute(
            select(Membership.council_id, func.count()).where(Membership.status == "approved")
            .group_by(Membership.council_id).order_by(func.count().desc()).limit(1)).one()
        leader = db.session.scalar(select(User.email).join(
            Membership, Membership.user_id == User.id).where(
            Membership.council_id == council_id, Membership.role == "leader").limit(1))
        newest_round = db.session.scalar(select(NeedsRound).order_by(NeedsRound.id.desc()))
        report = db.session.scalar(
            select(NeedsReport.id).where(NeedsReport.council_id == council_id,
                                         NeedsReport.status != ReportStatus.DRAFT)
            .order_by(NeedsReport.id.desc()))
        return {"slug": db.session.get(Council, council_id).slug, "leader": leader,
                "member": "member2@bench.example", "member_id": 2,
                "round_id": newest_round.id, "report_id": report,
                "lineage_id": db.session.get(Survey, newest_round.survey_id).lineage_id,
                "announcement_id": db.session.scalar(
                    readable(AnonymousUserMixin()).with_only_columns(Announcement.id)
                    .order_by(Announcement.publish_at.desc()).limit(1)),
                **_discussion(council_id, app.secret_key),
                "members": db.session.scalar(select(func.count()).select_from(User)),
                "councils": db.session.scalar(select(func.count()).select_from(Council))}


def _discussion(council_id: int, secret: str) -> dict:
    """The largest council's busiest thread, and the cursor of its discussion's 10th page."""
    threads = select(Post.id).where(Post.council_id == council_id, Post.parent_id.is_(None),
                                    Post.status == "published")
    busiest = db.session.scalar(threads.order_by(Post.reply_count.desc()).limit(1))
    tenth = db.session.scalar(threads.order_by(Post.id.desc()).offset(9 * 20 - 1).limit(1))
    cursor = URLSafeSerializer(secret, salt="council-threads").dumps([True, [tenth or 0]])
    return {"thread_id": busiest, "posts_cursor": cursor}


def pages(s: dict) -> list[tuple[str, str, str | None]]:
    """(name, path, who signs in) for every page the benchmark measures."""
    slug = s["slug"]
    return [
        ("healthz", "/healthz", None),
        # Not a page: what every signed-in request costs before it renders anything (the
        # session, loading the member, the security hooks): the ceiling of signed-in pages.
        ("healthz, signed in", "/healthz", "member"),
        ("home, visitor", "/", None),
        ("home, member", "/", "member"),
        ("login", "/auth/login", None),
        ("council directory", "/councils/", None),
        ("largest council", f"/councils/{slug}", None),
        ("my account", "/me", "member"),
        ("leader's member list", f"/councils/{slug}/members", "leader"),
        ("leader's member list, a search", f"/councils/{slug}/members?q=ali", "leader"),
        ("staff: members", "/staff/members", "staff"),
        ("staff: members, a name", "/staff/members?q=ahmed", "staff"),
        ("staff: members, a country", "/staff/members?country=DE", "staff"),
        ("staff: a member", f"/staff/members/{s['member_id']}", "staff"),
        ("staff: councils", "/staff/councils/", "staff"),
        ("staff: audit log", "/staff/audit", "staff"),
        ("leader: needs rounds", "/needs/", "leader"),
        ("leader: a needs report", f"/needs/reports/{s['report_id']}", "leader"),
        ("staff: needs reports", "/staff/needs/", "staff"),
        ("staff: needs reports, a country", "/staff/needs/?country=TR&status=submitted",
         "staff"),
        ("staff: a needs report", f"/staff/needs/reports/{s['report_id']}", "staff"),
        ("staff: needs dashboard, a round", f"/staff/needs/dashboard?show=round-{s['round_id']}",
         "staff"),
        ("staff: needs dashboard, every round",
         f"/staff/needs/dashboard?show=survey-{s['lineage_id']}", "staff"),
        ("announcements, visitor", "/announcements/", None),
        ("announcements, member", "/announcements/", "member"),
        ("an announcement", f"/announcements/{s['announcement_id']}", "member"),
        ("announcements feed", "/announcements/feed.atom?lang=ar", None),
        ("staff: announcements", "/staff/announcements/", "staff"),
        ("council discussion, a member", f"/councils/{slug}", "leader"),
        ("council discussion, page 10", f"/councils/{slug}?posts={s['posts_cursor']}",
         "leader"),
        ("a thread", f"/councils/{slug}/posts/{s['thread_id']}", "leader"),
        ("staff: moderation queue", "/staff/moderation", "staff"),
        ("staff: moderation queue, a country", "/staff/moderation?country=TR", "staff"),
    ]


def statements_and_size(app, path: str, cookie: str | None) -> tuple[int, int]:
    """SQL statements run by one request, and the size of its answer."""
    client = app.test_client()
    if cookie:
        client.set_cookie("session", cookie.partition("=")[2])
    seen = []
    with app.app_context():
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            body = client.get(path).get_data()
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
    return len(seen), len(body)


# The outbox worker's part of a fan-out, in a process of its own as in production.
FAN_OUT = """import sys, time
from portal import create_app
from portal.announcements import mailing
with create_app().app_context():
    started = time.perf_counter()
    written = mailing.fan_out(int(sys.argv[1]))
    print(written, time.perf_counter() - started)
"""


def _announce_to_half(app) -> int:
    """An approved announcement to the largest countries' members: half of them, 100,000 at
    full scale."""
    with app.app_context():
        officer = db.session.scalar(select(User).where(User.email == BENCH_STAFF))
        living = db.session.execute(select(Profile.country, func.count()).group_by(
            Profile.country).order_by(func.count().desc())).all()
        countries, reached = [], 0
        for country, members in living:
            if reached >= MEMBERS // 2:
                break
            countries.append(country)
            reached += members
        announcement = services.publish(None, services.Draft(
            texts={"en": ("Fan-out", "Timed by the benchmark.")}, default_locale="en",
            audience=Audience.COUNTRIES, countries=countries), officer)
        announcement.awaiting_approval = False  # as if a second officer had approved it
        db.session.commit()
        return announcement.id


def time_fan_out(app, env: dict, page: str, cookie: str) -> tuple[dict, dict]:
    """The fan-out of one announcement to half the members, as rows per second into the
    outbox, and ``page`` measured while it runs; then the announcement and its mail go."""
    announcement_id = _announce_to_half(app)
    worker = subprocess.Popen([sys.executable, "-c", FAN_OUT, str(announcement_id)], cwd=ROOT,
                              env={**os.environ, **env}, stdout=subprocess.PIPE, text=True)
    during = wrk(page, cookie)
    written, seconds = worker.communicate()[0].split()
    with app.app_context():
        db.session.execute(delete(MailContent).where(
            MailContent.key.startswith(f"announcement:{announcement_id}:")))  # and its mail
        db.session.execute(delete(Announcement).where(Announcement.id == announcement_id))
        db.session.commit()
    written, seconds = int(written), float(seconds)
    print(f"fan-out: {written:,} messages in {seconds:.1f} s, "
          f"{written / seconds:,.0f} rows/s into the outbox", flush=True)
    return {"recipients": written, "seconds": round(seconds, 2),
            "rows_per_second": round(written / seconds)}, during


def _result(app, name: str, path: str, cookie: str | None, measured: dict,
            floor_rps: float) -> dict:
    queries, size = statements_and_size(app, path, cookie)
    result = {"page": name, "path": path, **measured,
              "ratio": round(measured["rps"] / floor_rps, 3), "queries": queries, "bytes": size}
    print(f"{name:34} {measured['rps']:8.0f}/s  p50 {measured['p50_ms']:6.1f} ms  "
          f"p99 {measured['p99_ms']:6.1f} ms  {result['ratio']:5.2f} of floor  "
          f"{queries:2} SQL  {size / 1024:6.1f} KB", flush=True)
    return result


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    url = os.environ.get("DATABASE_URL")
    if not url:
        database = ROOT / "instance" / f"bench-{MEMBERS}.sqlite3"
        url = f"sqlite:///{database}"
    seed({"DATABASE_URL": url, "PORTAL_ENV": "development"})  # seeding refuses production
    env = {"DATABASE_URL": url, "PORTAL_ENV": "production"}
    os.environ.update(env, PORTAL_BASE_URL="http://localhost")  # the test client's host
    app = create_app()
    who = subjects(app)
    cookies = {"member": signed_in(app, who["member"]), "leader": signed_in(app, who["leader"]),
               "staff": signed_in(app, BENCH_STAFF)}
    results, floor_rps = [], None
    with gunicorn("bench.floor:app", {}, "/") as floor_url, \
            gunicorn("wsgi:app", env, "/healthz") as portal:
        for name, path, person in pages(who):
            if floor_rps is None or not SMALL:
                floor_rps = wrk(floor_url)["rps"]
            measured = wrk(portal + path, cookies.get(person))
            results.append(_result(app, name, path, cookies.get(person), measured, floor_rps))
        fan_out, during = time_fan_out(app, env, portal + "/", cookies["member"])
        results.append(_result(app, "home, member, during a fan-out", "/", cookies["member"],
                               during, floor_rps))
    scale = {"members": who["members"], "councils": who["councils"], "workers": int(WORKERS),
             "seconds_per_page": DURATION, "database": url.partition(":")[0]}
    RESULTS.write_text(json.dumps({"floor_rps": floor_rps, "scale": scale, "pages": results,
                                   "fan_out": fan_out}, indent=2))
    print(f"floor {floor_rps:.0f}/s; results in {RESULTS}")


if __name__ == "__main__":
    main()
