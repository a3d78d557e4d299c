# Chartographer — following FastAPI's container guide: dependencies in their own
# layer before the code, a non-root user, --proxy-headers, and a healthcheck.
# Two stages: the build stage makes a virtualenv; the runtime stage gets only
# that virtualenv, Python and GraphViz (no pip cache, no compilers).
#
# The base is a build argument: the official slim Python image by default, or a
# plain Debian image (CI builds one with debootstrap: `make image-test`); on a
# base without Python, Debian's python3 is installed.
ARG BASE_IMAGE=python:3.11-slim

FROM ${BASE_IMAGE} AS build

ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

# hadolint ignore=DL3008
RUN if ! python3 -c "import ensurepip, venv" 2>/dev/null; then \
        apt-get update \
        && apt-get install -y --no-install-recommends python3 python3-venv \
        && rm -rf /var/lib/apt/lists/*; \
    fi \
    && python3 -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

WORKDIR /code

# 1. requirements first: this layer is rebuilt only when the pins change
COPY ./requirements.txt /code/requirements.txt
RUN pip install --no-cache-dir -r /code/requirements.txt

# 2. then the application itself
COPY ./pyproject.toml ./README.md /code/
COPY ./src /code/src
RUN pip install --no-cache-dir --no-deps /code

FROM ${BASE_IMAGE}

# Metadata first and the big COPY last: with the vfs storage driver (CI) every
# instruction after a large layer copies the whole filesystem again.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    MPLCONFIGDIR=/tmp/matplotlib \
    PATH=/opt/venv/bin:$PATH
WORKDIR /code
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python3", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]

# The HTTP server (Granian) and its limits, spelled out: a request head over
# 64 KiB is a 431, a head not finished in 10 s is dropped (slowloris), at most
# 512 requests run at once per worker and 1024 connections wait in the backlog.
ENV CHARTOGRAPHER_SERVER=granian \
    CHARTOGRAPHER_SERVER_MAX_HEADER_BYTES=65536 \
    CHARTOGRAPHER_SERVER_HEADER_TIMEOUT=10 \
    CHARTOGRAPHER_SERVER_MAX_CONCURRENCY=512 \
    CHARTOGRAPHER_SERVER_BACKLOG=1024

# Behind a proxy (nginx, Traefik, a cloud load balancer): set
# CHARTOGRAPHER_TRUSTED_PROXIES to its address so forwarded headers are believed.
CMD ["chartographer", "serve", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers"]

# GraphViz renders Google's cht=gv charts; Python itself only on a plain Debian base.
# Noto (+ Symbola for emoji outlines): CJK, Arabic, Hebrew and emoji in chart text.
# 3. an unprivileged user; ./data holds the SQLite file and the usage journal
# hadolint ignore=DL3008
RUN apt-get update \
    && if ! command -v python3 >/dev/null; then \
        apt-get install -y --no-install-recommends python3; \
    fi \
    && apt-get install -y --no-install-recommends graphviz \
        fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji fonts-symbola \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb \
    && useradd --create-home --uid 10001 chartographer \
    && mkdir -p /code/data \
    && chown chartographer /code/data
VOLUME ["/code/data"]

COPY --from=build /opt/venv /opt/venv
USER chartographer
