"""Exit 0 when the Redis at the URL given answers a PING within two seconds."""

import sys

import redis

try:
    redis.Redis.from_url(sys.argv[1], socket_connect_timeout=2, socket_timeout=2).ping()
except redis.RedisError as exc:
    print(f"Redis not reachable: {exc}".strip(), file=sys.stderr)
    sys.exit(1)
