"""`flask bench seed`: a reproducible data set of the asked size, never over real accounts."""

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.announcements.models import Announcement, AnnouncementText
from portal.auth.models import User
from portal.bench import BENCH_TOTP_SECRET, council_sizes
from portal.councils.models import Council, Membership
from portal.database import utcnow
from portal.extensions import db
from portal.needs.models import NeedsReport, NeedsRound, ReportStatus
from portal.posts.models import Post
from tests.needs.survey_checks import answers_obey_the_survey, timeline_follows_the_workflow

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.run import pages  # noqa: E402

SUBJECTS = {"slug": "x", "member_id": 2, "report_id": 1, "round_id": 1, "lineage_id": 1,
            "announcement_id": 1, "thread_id": 1, "posts_cursor": "x"}


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_seed_fills_every_table_and_refuses_a_second_time(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["bench", "seed", "--members", "600", "--councils", "12"])
    assert result.exit_code == 0, result.output
    assert "users: 601 rows" in result.output and "audit events: 600 rows" in result.output
    assert count(app, User) == 601 and count(app, Council) == 12  # and one officer
    assert count(app, Membership, Membership.role == "leader") >= 10
    assert count(app, Membership, Membership.status == "pending") > 0
    assert "needs reports, answers and events: " in result.output
    assert count(app, Announcement) == 20 and count(app, AnnouncementText) >= 20
    assert count(app, Post) == 600 and count(app, Post, Post.parent_id.is_not(None)) > 200
    assert count(app, Post, Post.needs_moderation) > 0
    with app.app_context():
        _needs_reports_are_believable(officer_id=601)
        officer = db.session.get(User, 601)  # its row has columns the members' rows have not
        assert officer.is_staff and officer.totp_secret == BENCH_TOTP_SECRET
    with app.test_client() as client:  # the seeded accounts work
        response = client.post("/auth/login", data={"email": "member1@bench.example",
                                                     "password": "bench-password-2026"})
        assert response.status_code == 302
    created = runner.invoke(args=["users", "create", "new@example.org", "--name", "New",
                                  "--password-stdin"], input="a long fresh passphrase\n")
    assert created.exit_code == 0, created.output  # ids continue after the seeded ones
    again = runner.invoke(args=["bench", "seed", "--members", "10"])
    assert again.exit_code != 0 and "already holds accounts" in again.output


def _needs_reports_are_believable(officer_id: int) -> None:
    """Every council in each of 8 rounds, every state of the workflow, answers that obey the
    survey and timelines that follow the workflow."""
    reports = db.session.scalars(select(NeedsReport)).all()
    assert len(reports) == 12 * 8
    labels = db.session.scalars(select(NeedsRound.label).order_by(NeedsRound.opens_on)).all()
    assert labels == [f"{year}-Q{quarter}" for year in (2025, 2026) for quarter in (1, 2, 3, 4)]
    assert {report.status for report in reports} == set(ReportStatus)
    assert answers_obey_the_survey(reports[0].round.survey_id) == len(reports)
    leaders = {m.council_id: {m.user_id} for m in db.session.scalars(
        select(Membership).where(Membership.role == "leader"))}
    for report in reports:
        timeline_follows_the_workflow(report, leaders[report.council_id], {officer_id}, utcnow())


def test_seed_refuses_production(app, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_ENV", "production")
    result = app.test_cli_runner().invoke(args=["bench", "seed", "--members", "10"])
    assert result.exit_code != 0 and "production" in result.output
    assert count(app, User) == 0


def test_council_sizes_are_skewed_like_a_diaspora():
    sizes = council_sizes(200_000, 500, random.Random(1))
    assert len(sizes) == 500 and 180_000 < sum(sizes) < 230_000
    assert max(sizes) >= 5_000 and sorted(sizes)[250] < 500


def test_the_harness_runs_end_to_end(tmp_path):
    """`make bench` at small scale: every page measured and written to results.json, so the
    benchmark never rots. Run in the SQLite pass only (it makes its own database)."""
    if os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("runs once, in the SQLite pass")
    if not shutil.which("wrk"):
        if os.environ.get("CI"):
            pytest.fail("wrk is missing: .ci/run must install it")
        pytest.skip("wrk is not installed (apt-get install wrk)")
    results = tmp_path / "results.json"
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py")], cwd=ROOT,
                         capture_output=True, text=True, env={
                             **os.environ, "BENCH_SCALE": "small", "BENCH_RESULTS": str(results),
                             "DATABASE_URL": f"sqlite:///{tmp_path / 'bench.sqlite3'}"})
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(results.read_text())
    assert report["floor_rps"] > 0 and report["scale"]["members"] == 2001
    assert [p["page"] for p in report["pages"]] == [
        *(name for name, *_ in pages(SUBJECTS)), "home, member, during a fan-out"]
    for page in report["pages"]:
        assert page["rps"] > 0 and page["queries"] >= 0 and page["bytes"] >= 0, page
    assert report["fan_out"]["recipients"] >= 1000 and report["fan_out"]["rows_per_second"] > 0
