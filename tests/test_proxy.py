"""The client address: a spoofed X-Forwarded-For is ignored unless a proxy is configured."""

from sqlalchemy import select

from portal import create_app
from portal.audit import AuditEvent
from portal.extensions import db
from tests.conftest import log_in


def test_forwarded_for_is_ignored_without_a_proxy(app, client, make_user):
    make_user()
    client.environ_base["HTTP_X_FORWARDED_FOR"] = "6.6.6.6"
    log_in(client, "member@example.org")
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.address)) == "127.0.0.1"


def test_one_configured_proxy_is_trusted_for_one_hop(app):
    behind_proxy = create_app({**app.config, "PROXY_COUNT": 1})
    seen = {}

    @behind_proxy.get("/_address")
    def address():
        from flask import request

        seen["address"] = request.remote_addr
        return ""

    behind_proxy.test_client().get("/_address",
                                   headers={"X-Forwarded-For": "6.6.6.6, 192.0.2.10"})
    assert seen["address"] == "192.0.2.10"  # the proxy's own report, not the client's claim
