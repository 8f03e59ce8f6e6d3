"""Placeholder for the HTML site writer."""
