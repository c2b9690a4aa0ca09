"""The migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from portal.extensions import db


def test_models_and_migrations_agree(app):
    # The session fixture built the schema with `flask db upgrade`, never create_all().
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_sqlite_is_tuned_for_real_use(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            return
        with db.engine.connect() as connection:
            def pragma(name):
                return connection.exec_driver_sql(f"PRAGMA {name}").scalar()

            assert pragma("foreign_keys") == 1
            assert pragma("journal_mode") == "wal"
            assert pragma("busy_timeout") == 5000


def test_upgrades_keep_existing_accounts(tmp_path):
    """Each migration must work on a database that already has rows, not only on an empty one."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from portal import create_app

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        upgrade(revision="0001")
        db.session.execute(text(
            "INSERT INTO users (email, password_hash, display_name, locale, role, "
            "privacy_version, privacy_accepted_at, session_version, created_at, updated_at) "
            "VALUES ('old@example.org', 'x', 'Old', 'ar', 'member', '2026-11', "
            "'2026-11-01 00:00:00', 1, '2026-11-01 00:00:00', '2026-11-01 00:00:00')"))
        db.session.commit()
        upgrade(revision="0005")
        db.session.execute(text("UPDATE users SET recovery_code_hashes = '[\"ab\", \"cd\"]'"))
        db.session.execute(text(
            "INSERT INTO councils (slug, name, country, description, status, created_at, "
            "updated_at) VALUES ('tr-x', 'X', 'TR', '', 'active', '2026-11-01', '2026-11-01')"))
        db.session.execute(text(
            "INSERT INTO memberships (user_id, council_id, role, status, is_home, requested_at, "
            "created_at, updated_at) SELECT users.id, councils.id, 'member', 'approved', 1, "
            "'2026-11-01', '2026-11-01', '2026-11-01' FROM users, councils"))
        db.session.execute(text(
            "INSERT INTO audit_events (created_at, action, details) VALUES ('2026-11-01', "
            "'members.exported', '{\"filters\": {\"q\": \"old@example.org\", "
            "\"country\": \"SE\"}, \"rows\": 1}')"))
        db.session.commit()
        upgrade()
        details = db.session.execute(text("SELECT details FROM audit_events")).scalar()
        assert "old@example.org" not in details and '"country": "SE"' in details
        row = db.session.execute(text("SELECT totp_last_step, is_demo FROM users")).one()
        assert tuple(row) == (0, 0)
        codes = db.session.execute(text("SELECT digest, keyed FROM recovery_codes")).all()
        assert sorted(map(tuple, codes)) == [("ab", 0), ("cd", 0)]
        # Rebuilding users (a dropped column) must not cascade to the rows that point at it.
        assert db.session.execute(text("SELECT count(*) FROM memberships")).scalar() == 1
        assert db.session.execute(text("SELECT member_name FROM memberships")).scalar() == "Old"
        db.session.remove()
        db.engine.dispose()


def test_a_savepoint_is_undone_by_the_rollback_of_its_transaction(app, ctx):
    """What the unique-constraint races rely on: rows written inside begin_nested() belong to
    the request's transaction (pysqlite would otherwise commit them on RELEASE)."""
    from portal.councils.models import Council

    with db.session.begin_nested():
        db.session.add(Council(slug="x", name="X", country="SE", status="active"))
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Council)) == 0
