"""Council directory and pages, joining and leaving, leaders' member lists, staff management."""

from flask import Blueprint

bp = Blueprint("councils", __name__, url_prefix="/councils", template_folder="templates")
