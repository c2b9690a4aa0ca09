"""Operator commands for needs surveys: import and export XLSForm, publish rounds."""

from flask.cli import AppGroup

surveys_cli = AppGroup("surveys", help="Build, import, export and publish needs surveys.")
