#!/bin/sh
# Every container of the app image: read the settings the setup job generated for this
# container (QINQING_ROLE names them; secrets, never in the image or the compose file),
# then run the command.
set -eu
if [ -n "${QINQING_ROLE:-}" ]; then
  settings="/run/qinqing/settings/${QINQING_ROLE}.env"
  if [ ! -r "$settings" ]; then
    echo "no settings for ${QINQING_ROLE} at $settings: has the setup job run?" >&2
    exit 1
  fi
  set -a
  . "$settings"
  set +a
fi
exec "$@"
