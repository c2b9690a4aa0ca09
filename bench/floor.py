"""The floor: a Flask app that answers a constant string, served like the portal. What the
portal's pages reach is measured as a share of what this machine does for it in the same run."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def constant():
    return "ok"
