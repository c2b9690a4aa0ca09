"""Needs surveys: the builder, rounds, council reports, the ministry\x27s review and dashboard."""
