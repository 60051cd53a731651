#!/bin/sh
# The image's entrypoint.
#
#   (no arguments), serve [FLAGS], or FLAGS   thread serve on $THREAD_HOST:$THREAD_PORT (default
#                                             0.0.0.0:8000): the query API over the store
#                                             (--store or THREAD_STORE_URL, else /repo/.thread),
#                                             POST /api/analyze, and the push webhooks when a
#                                             secret is set; FLAGS go to thread serve
#                                             (--analyze-only: analysis alone, no index)
#   any other command                         run as it is: what makes this a Dagster image
#                                             (dagster api execute_run ..., dagster api grpc ...,
#                                             dagster-daemon run, thread index /repo, ...)
set -eu

if [ "$#" -gt 0 ] && [ "$1" = serve ]; then
    shift
elif [ "$#" -gt 0 ] && [ "${1#-}" = "$1" ]; then
    exec "$@"
fi
exec thread serve --host "${THREAD_HOST:-0.0.0.0}" --port "${THREAD_PORT:-8000}" "$@"
