# Chartographer — following FastAPI's container guide: dependencies in their own
# layer before the code, a non-root user, --proxy-headers, and a healthcheck.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MPLCONFIGDIR=/tmp/matplotlib

# GraphViz renders Google's cht=gv charts; nothing else is needed from Debian.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends graphviz \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /code

# 1. requirements first: this layer is rebuilt only when the pins change
COPY ./requirements.txt /code/requirements.txt
RUN pip install --no-cache-dir --upgrade -r /code/requirements.txt

# 2. then the application itself
COPY ./pyproject.toml ./README.md /code/
COPY ./src /code/src
RUN pip install --no-cache-dir --no-deps /code

# 3. run as an unprivileged user; ./data holds the SQLite file by default
RUN useradd --create-home --uid 10001 chartographer \
    && mkdir -p /code/data \
    && chown chartographer /code/data
USER chartographer

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]

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
