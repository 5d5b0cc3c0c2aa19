"""Settings for the HTTP benchmarks: the real settings plus a bare baseline endpoint."""

from onewindow.conf.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"
DEBUG = False
LOGGING["root"]["level"] = "ERROR"  # noqa: F405
API_PATH_PREFIXES = [*API_PATH_PREFIXES, "/bench/"]  # noqa: F405  (the bare baseline: the API's chain)
