"""Pure engines of the trainings app (no Django imports): progress and expiry of a course,
quiz grading, what an uploaded certificate really is, and wall-clock times in a time zone."""
