# Thread's image: `thread serve` (the query API, POST /api/analyze and, with a secret, push
# webhooks) by default, and any other command as it is, so the same image is a Dagster run worker,
# code server or daemon. docs/deploy.md, "The container image", says how to run each, and what of
# this file was and was not exercised.
#
# The base is a build argument, pinned to a patch release of the Python the dependencies were
# resolved with (docker/requirements.txt); pin its digest too where your registry is reachable:
#   docker build --build-arg PYTHON_IMAGE=python:3.11.7-slim-bookworm@sha256:<digest> -t thread .
ARG PYTHON_IMAGE=python:3.11.7-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
# the dependencies first, a layer of their own: rebuilt only when the pinned list changes
COPY docker/install.sh docker/requirements.txt /build/
RUN sh /build/install.sh deps /opt/thread /build/requirements.txt
COPY . /build/context
RUN sh /build/install.sh app /opt/thread /build/context

FROM ${PYTHON_IMAGE}
# git: the push webhooks fetch and fast-forward checkouts. No compiler, no pip cache, no source
# tree: Thread is in the virtualenv, installed from its wheel.
RUN apt-get update \
    && apt-get install -y --no-install-recommends git \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 thread \
    && useradd --system --uid 10001 --gid thread --create-home --home-dir /home/thread thread \
    && mkdir -p /repo \
    && chown thread:thread /repo
COPY --from=build /opt/thread /opt/thread
ENV PATH=/opt/thread/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1
USER 10001:10001
WORKDIR /repo
EXPOSE 8000
ENTRYPOINT ["/opt/thread/entrypoint.sh"]
