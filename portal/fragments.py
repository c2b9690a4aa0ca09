"""Parts of pages rendered once per process: ``{% cache "name", key… %}…{% endcache %}``
for fixed text, and ``kept(key, make)`` for figures whose key carries a stamp of their data.

Menus, footers and the fixed text of a page depend only on the language, the catalogue and the
URL map, yet each request would otherwise look up dozens of translations and build dozens of
addresses for them. A fragment is kept per name, language, script root and the extra key
values the template gives, which must come from small fixed sets (a flag, a role), never from
what a user typed or from the data: nothing personal is cached, and the cache cannot grow.
"""

import threading
from collections.abc import Callable
from typing import TypeVar

from cachetools import LRUCache
from flask import current_app, request
from flask_babel import get_locale
from jinja2 import nodes
from jinja2.ext import Extension

KEPT_MAX = 256  # entries of `kept` per process: a dashboard's body is ~40 KB
T = TypeVar("T")


def kept(key: tuple, make: Callable[[], T]) -> T:
    """``make()``, kept per app and process under ``key`` with the language and script root.
    The key must carry a stamp that changes with the data shown (NeedsRound.figures_stamp):
    then a kept value is never stale, and old ones age out of the bounded LRU."""
    store, lock = current_app.extensions.setdefault("kept", (LRUCache(KEPT_MAX),
                                                             threading.Lock()))
    full_key = (str(get_locale()), request.script_root, *key)
    with lock:
        value = store.get(full_key)
    if value is None:
        value = make()
        with lock:
            store[full_key] = value
    return value


class FragmentCache(Extension):
    tags = {"cache"}

    def __init__(self, environment):
        super().__init__(environment)
        self.fragments: dict[tuple, str] = {}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        key = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            key.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        call = self.call_method("_fragment", [nodes.List(key)])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _fragment(self, key: list, caller) -> str:
        full_key = (str(get_locale()), request.script_root, *key)
        fragment = self.fragments.get(full_key)
        if fragment is None:
            fragment = self.fragments[full_key] = caller()
        return fragment
