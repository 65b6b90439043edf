#!/bin/sh
# Migrate once on web start (MIGRATE=1), then run the given command.
set -e
if [ "${MIGRATE:-0}" = "1" ]; then
  python manage.py migrate --noinput
fi
exec "$@"
