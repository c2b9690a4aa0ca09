"""A round's label in the staff's lists of rounds, a select's options where no <bdi> can go, is
isolated: Arabic, Sorani and Persian pages show 2026-Q4, not Q4-2026."""

import pytest

from tests.conftest import log_in


@pytest.mark.parametrize(("path", "option"), [
    ("/staff/needs/", "\u20682026-Q4\u2069: Quarterly needs</option>"),  # with its survey
    ("/staff/needs/dashboard", "\u20682026-Q4\u2069</option>"),  # under its survey's group
])
def test_a_round_label_keeps_its_order_in_right_to_left_options(client, needs_world, path,
                                                                option):
    log_in(client, needs_world["staff"])
    html = client.get(path, query_string={"lang": "fa"}).get_data(as_text=True)
    assert option in html
