"""The dashboard's tallies follow what the councils send: counted when a report is sent, never
from a draft, and the same whether kept one round and country at a time or all at once."""

from sqlalchemy import func, select

from portal.auth.models import User
from portal.councils.models import Council
from portal.extensions import db
from portal.needs.models import NeedsRound, Question, Tally
from portal.needs.reports import save_answers
from portal.needs.tallies import retally_everything

ANSWERS = {"households": ["12"], "docs_problem": ["yes"], "docs_kinds": ["passport",
                                                                         "civil_records"],
           "docs_people": ["5"], "return_intent": ["few"]}


def send(world, slug_key, answers, submit=True):
    needs_round = db.session.get(NeedsRound, world["round_id"])
    council = db.session.scalar(select(Council).where(Council.slug == world[slug_key]))
    leader = db.session.get(User, world["ids"]["leader" if slug_key == "council"
                                              else "other_leader"])
    return save_answers(needs_round, council, None, answers, "en", 0, leader, submit)


def test_a_sent_report_is_counted_and_a_draft_is_not(ctx, needs_world):
    send(needs_world, "other_council", ANSWERS, submit=False)
    assert db.session.scalars(select(Tally)).all() == []
    send(needs_world, "council", ANSWERS)
    counted = {(country, name, choice): (answers, total, low, high)
               for country, name, choice, answers, total, low, high in db.session.execute(
                   select(Tally.country, Question.name, Tally.choice, Tally.answers,
                          Tally.total, Tally.low, Tally.high).join(Question))}
    assert counted[("TR", "docs_kinds", "passport")] == (1, None, None, None)
    assert counted[("TR", "return_intent", "few")] == (1, None, None, None)
    assert counted[("TR", "households", "")] == (1, 12, 12, 12)
    assert {country for country, *_ in counted} == {"TR"}  # Berlin's draft counts nowhere


def test_counting_everything_again_gives_the_same_tallies(ctx, needs_world):
    send(needs_world, "council", ANSWERS)
    send(needs_world, "other_council", ANSWERS | {"households": ["30"]})
    kept = sorted(tuple(row) for row in db.session.execute(select(Tally.__table__)))
    retally_everything()
    assert sorted(tuple(row) for row in db.session.execute(select(Tally.__table__))) == kept


def test_the_retally_command_counts_everything_again(app, needs_world):
    with app.app_context():
        send(needs_world, "council", ANSWERS)
        db.session.execute(Tally.__table__.delete())
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["surveys", "retally"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(func.sum(Tally.answers))) == 6  # one per answer row
