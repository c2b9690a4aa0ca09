"""Council rules, called directly."""

import pytest
from sqlalchemy import select

from portal.audit import AuditEvent
from portal.auth.models import User
from portal.councils import services
from portal.councils.models import CouncilStatus, Membership, MembershipRole, MembershipStatus
from portal.errors import DomainError
from portal.extensions import db


def user(email):
    return db.session.scalar(select(User).where(User.email == email))


def council(slug):
    return services.find_council(slug)


def test_slugs_are_readable_and_unique(ctx):
    first = services.create_council("Iraqi Council", "SE", "Göteborg")
    second = services.create_council("Another", "SE", "Göteborg")
    arabic = services.create_council("مجلس الجالية العراقية", "NL")
    assert (first.slug, second.slug, arabic.slug) == ("se-goteborg", "se-goteborg-2", "nl")


def test_join_approve_and_home(ctx, world):
    outsider, a, b = user(world["outsider"]), council(world["council"]), \
        council(world["other_council"])
    membership = services.request_to_join(outsider, a)
    assert membership.status == MembershipStatus.PENDING
    with pytest.raises(DomainError):
        services.request_to_join(outsider, a)  # duplicate request
    services.decide_request(membership, True, "", user(world["leader"]))
    assert membership.status == MembershipStatus.APPROVED and membership.is_home
    with pytest.raises(DomainError):
        services.request_to_join(outsider, a)  # already a member
    second = services.request_to_join(outsider, b)
    services.decide_request(second, True, "Welcome", user(world["other_leader"]))
    assert not second.is_home  # the first council stays home until the member says otherwise
    services.set_home(outsider, b)
    assert second.is_home and not membership.is_home
    services.leave(outsider, b)
    assert membership.is_home  # home moves to the remaining council
    assert second.status == MembershipStatus.LEFT


def test_rejection_is_recorded_and_mailed(ctx, world):
    outsider = user(world["outsider"])
    membership = services.request_to_join(outsider, council(world["council"]))
    services.decide_request(membership, False, "Please add your city first",
                            user(world["leader"]), "unconfirmed")
    db.session.flush()
    assert membership.status == MembershipStatus.REJECTED
    assert membership.reason == "Please add your city first"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "membership.rejected"))
    assert event.subject_id == membership.id
    with pytest.raises(DomainError):
        services.decide_request(membership, True, "", user(world["leader"]))
    # A rejected member may ask again.
    assert services.request_to_join(outsider, council(world["council"])).status == "pending"


def test_suspended_council_refuses_requests(ctx, world):
    a = council(world["council"])
    services.set_status(a, CouncilStatus.SUSPENDED)
    with pytest.raises(DomainError):
        services.request_to_join(user(world["outsider"]), a)


def test_proposal_approved_makes_the_proposer_leader(ctx, world):
    proposer = user(world["outsider"])
    proposed = services.propose_council(proposer, "Council of Malmö", "SE", "Malmö", "")
    assert proposed.status == CouncilStatus.PROPOSED
    with pytest.raises(DomainError):
        services.set_status(proposed, CouncilStatus.ACTIVE)  # decide first
    services.decide_proposal(proposed, True, "")
    assert proposed.status == CouncilStatus.ACTIVE
    assert services.is_leader_of(proposer, proposed)
    with pytest.raises(DomainError):
        services.decide_proposal(proposed, False, "twice")


def test_proposal_rejected_keeps_the_reason(ctx, world):
    proposed = services.propose_council(user(world["outsider"]), "Dup", "TR", "Izmir", "")
    services.decide_proposal(proposed, False, "Istanbul already has a council")
    assert proposed.status == CouncilStatus.REJECTED
    assert proposed.decision_reason == "Istanbul already has a council"
    assert services.find_council(proposed.slug, CouncilStatus.ACTIVE) is None


def test_leaders_appointed_and_removed(ctx, world):
    a, outsider = council(world["council"]), user(world["outsider"])
    membership = services.set_leader(a, outsider, True)
    assert membership.role == MembershipRole.LEADER and membership.status == "approved"
    assert outsider in services.leaders(a)
    services.set_leader(a, outsider, False)
    assert not services.is_leader_of(outsider, a)
    with pytest.raises(DomainError):
        services.set_leader(a, outsider, False)
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"membership.leader_appointed", "membership.leader_removed"} <= actions


def test_directory_search_and_counts(ctx, world):
    rows = services.directory("istan", "en")
    assert [(c.slug, n) for c, n in rows] == [(world["council"], 2)]
    assert services.directory("%", "en") == [] and services.directory("_", "en") == []
    assert services.directory("' OR 1=1 --", "en") == []
    assert len(services.directory("", "en")) == 2


def test_find_request_is_scoped_to_its_council(ctx, world):
    other = db.session.scalar(select(Membership).where(
        Membership.council_id == world["other_council_id"]))
    assert services.find_request(council(world["council"]), other.id) is None


@pytest.mark.parametrize(("country", "city"), [("TR", "istanbul"), ("tr", " ISTANBUL "),
                                               ("SE", "Malmo"), ("NL", None)])
def test_a_place_has_one_council(ctx, world, country, city):
    services.propose_council(user(world["member"]), "Malmö", "SE", "Malmö", "")
    services.propose_council(user(world["member"]), "Netherlands", "NL", None, "")
    with pytest.raises(services.DuplicateCouncil) as refused:
        services.propose_council(user(world["outsider"]), "Again", country, city, "")
    assert refused.value.council.status in (CouncilStatus.ACTIVE, CouncilStatus.PROPOSED)
    services.propose_council(user(world["outsider"]), "Lund", "SE", "Lund", "")  # another place


def test_a_slug_taken_at_the_same_moment_moves_to_the_next_number(ctx, world, monkeypatch):
    """Two requests both saw ``se-lund`` free; the second insert takes ``se-lund-2``."""
    services.create_council("Lund", "SE", "Lund")
    monkeypatch.setattr(services, "unique_slug", _stale_then_real(services.unique_slug, "se-lund"))
    assert services.create_council("Lund again", "SE", "Lund").slug == "se-lund-2"


def test_a_double_submitted_join_answers_as_one(ctx, world, monkeypatch):
    """The twin request inserted the membership between our look-up and our insert."""
    a, outsider = council(world["council"]), user(world["outsider"])
    services.request_to_join(outsider, a)
    monkeypatch.setattr(services, "membership_of", _stale_then_real(services.membership_of, None))
    membership = services.request_to_join(outsider, a)
    assert membership.status == MembershipStatus.PENDING
    assert len(db.session.scalars(select(Membership).where(
        Membership.user_id == outsider.id, Membership.council_id == a.id)).all()) == 1


def _stale_then_real(function, stale):
    """``function``, except that its first call answers ``stale``: what a concurrent request
    saw before its twin committed."""
    calls = []

    def wrapped(*args):
        calls.append(args)
        return stale if len(calls) == 1 else function(*args)

    return wrapped
