"""Public pages of the online hall (issue 14)."""
