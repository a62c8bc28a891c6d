"""A bench-only Django site: Amparo's settings and URLs plus a minimal view (the stack's ceiling).

Selected with DJANGO_SETTINGS_MODULE=benchsite.settings and bench/ on PYTHONPATH (bench_web.py
does both); the production URLconf never carries the minimal view.
"""
