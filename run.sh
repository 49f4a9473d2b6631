#!/usr/bin/env bash
# Knooppunt on a fresh machine:  ./run.sh demo   |   ./run.sh test
# Creates .venv with Python 3.11 when needed and installs the project into it.
set -euo pipefail
cd "$(dirname "$0")"

PYTHON="${PYTHON:-}"
if [ -z "$PYTHON" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && \
       "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      PYTHON="$candidate"; break
    fi
  done
fi
[ -n "$PYTHON" ] || { echo "Python 3.11 is nodig / Python 3.11 is required" >&2; exit 1; }

venv() {
  if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
  fi
  # Reinstall only when pyproject.toml changed since the last install.
  stamp=.venv/.knooppunt-installed
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".[test,browser,spark]"
    touch "$stamp"
  fi
}

# The browser libraries (MapLibre GL JS, Cytoscape.js) from npm with the committed lockfile, copied into
# Django's static files by frontend/build.mjs; again only when the lockfile changed (0036).
frontend() {
  command -v npm >/dev/null 2>&1 || {
    echo "npm (Node.js 20 of nieuwer) is nodig voor de kaart / npm (Node.js 20 or newer) is required for the map" >&2
    exit 1; }
  stamp=src/knooppunt/web/static/vendor/versions.json
  if [ ! -f "$stamp" ] || [ frontend/package-lock.json -nt "$stamp" ] || [ frontend/build.mjs -nt "$stamp" ]; then
    (cd frontend && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build)
  fi
}

postgres_reachable() {
  .venv/bin/python - <<'PY'
import sys
try:
    import psycopg
    psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", connect_timeout=3).close()
except Exception:
    sys.exit(1)
PY
}

cmd="${1:-help}"; shift || true
case "$cmd" in
  demo)
    venv
    frontend
    exec .venv/bin/knooppunt demo "$@"
    ;;
  test)
    venv
    frontend
    export KNOOPPUNT_TESTING=1
    .venv/bin/ruff check src tests benchmarks 2>/dev/null || .venv/bin/ruff check src tests
    echo "== Tests op SQLite / tests on SQLite =="
    # loadgroup: the Spark engine tests (xdist group "spark") share one worker and one JVM.
    env -u DATABASE_URL .venv/bin/pytest -q -n 2 --dist loadgroup "$@"
    if [ -n "${KNOOPPUNT_TEST_POSTGRES_URL:-}" ] || postgres_reachable; then
      echo "== Tests op PostgreSQL / tests on PostgreSQL =="
      DATABASE_URL="${KNOOPPUNT_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/test}" \
        .venv/bin/pytest -q -n 2 --dist loadgroup "$@"
    else
      echo "PostgreSQL niet bereikbaar op 127.0.0.1:5432: alleen SQLite getest."
    fi
    ;;
  *)
    echo "Gebruik / usage: ./run.sh demo [--region VR05] [--no-serve]  |  ./run.sh test [pytest-args]"
    [ "$cmd" = help ] && exit 0 || exit 2
    ;;
esac
