"""Exit 0 when the PostgreSQL at the URL given accepts a connection within two seconds."""

import sys

import psycopg

try:
    with psycopg.connect(sys.argv[1], connect_timeout=2):
        pass
except psycopg.Error as exc:
    print(f"PostgreSQL not reachable: {exc}".strip(), file=sys.stderr)
    sys.exit(1)
