"""A live portal in a thread and Debian's Chromium driven by Playwright."""

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def live_url(app):
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if os.environ.get("TEST_DATABASE_URL"):
        # What a page looks like does not depend on the database; the request tests run on
        # both. Once, in the SQLite pass, keeps `make test` within its ten minutes.
        pytest.skip("the browser tests run once, in the SQLite pass")
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: .ci/run must install Debian's chromium")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(app, browser, live_url):
    """A fresh browser tab, with CSRF protection on as in production and mailed links that
    lead to the live portal."""
    context = browser.new_context(base_url=live_url, java_script_enabled=False, locale="ar-IQ")
    app.config.update(WTF_CSRF_ENABLED=True, PORTAL_BASE_URL=live_url)  # mailed links work
    yield context.new_page()
    app.config.update(WTF_CSRF_ENABLED=False, PORTAL_BASE_URL="http://localhost")
    context.close()
