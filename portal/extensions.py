"""Extension objects, bound to the app in create_app() with init_app()."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from portal.database import MAX_ID, Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
babel = Babel()
csrf = CSRFProtect()


def by_id(model, value):
    """The row whose id is ``value`` (a number or the text of one, as typed into a form or a
    query string), or None for anything that cannot be an id."""
    text = str(value) if value is not None else ""
    return db.session.get(model, int(text)) if text.isdigit() and int(text) <= MAX_ID else None
