"""Tests of the pure deadline engine (no Django, no database)."""
