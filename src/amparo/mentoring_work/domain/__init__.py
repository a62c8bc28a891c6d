"""Pure engines of the ongoing mentorship: the mentee's response clock and mentor pay arithmetic.

No Django, no other app except the deadline engine's pure business-day calendar (import-linter
enforces it)."""
