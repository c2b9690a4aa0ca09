"""Key pages cost the same statements with few rows and with many: the council page, a
member's record and the audit log (the lists have their own tests beside them)."""

from portal import audit
from portal.auth.models import Role
from portal.auth.services import create_verified_user
from portal.councils.services import add_member, find_council
from portal.extensions import db
from tests.conftest import counted_statements, log_in


def grow(app, world, start: int, count: int) -> None:
    """``count`` more members of the council, each with a few audit events."""
    with app.test_request_context():
        council = find_council(world["council"])
        for n in range(start, start + count):
            user = create_verified_user(f"p{n}@example.org", f"P{n}", "long password",
                                        Role.MEMBER, "en")
            add_member(council, user)
            audit.record("login.succeeded", user, actor=user)
        db.session.commit()


def statements(app, client, path: str) -> int:
    with app.app_context(), counted_statements() as seen:
        assert client.get(path).status_code == 200, path
    return len(seen)


def test_key_pages_do_not_grow_with_the_data(app, world):
    visitor, staff = app.test_client(), app.test_client()
    log_in(staff, world["staff"])
    member_id = world["ids"]["member"]
    paths = [(visitor, f"/councils/{world['council']}"), (staff, f"/staff/members/{member_id}"),
             (staff, "/staff/audit"), (staff, "/staff/members"), (staff, "/staff/councils/")]
    grow(app, world, 0, 10)
    few = [statements(app, client, path) for client, path in paths]
    grow(app, world, 10, 120)
    many = [statements(app, client, path) for client, path in paths]
    costs = list(zip([path for _, path in paths], few, many, strict=True))
    assert many == few and max(many) <= 8, costs
