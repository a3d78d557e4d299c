"""Application assembly: ``create_app(settings)``.

The lifespan owns the long-lived resources (render pool, image cache, and the
stores that feature packages register); routers only borrow them through
``chartographer.deps``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from fastapi import FastAPI

from chartographer import __version__, health, metrics, metrics_endpoint, names
from chartographer.access import router as access_router
from chartographer.access.lifespan import access_lifespan
from chartographer.access.middleware import AccessMiddleware, ClientAddressMiddleware
from chartographer.access.network import CidrSet
from chartographer.access.openapi import add_security
from chartographer.cached import CachedImageMiddleware
from chartographer.charts.google import router as google_router
from chartographer.charts.inline import renders_inline
from chartographer.charts.native import router as charts_router
from chartographer.charts.native.params import Limits
from chartographer.config import Settings
from chartographer.direct import DirectImageMiddleware
from chartographer.docs_offline import install_docs
from chartographer.errors import install_error_handlers
from chartographer.imaging import ImageCache, ImageService
from chartographer.logs import app_writes_access_log
from chartographer.maps import router as maps_router
from chartographer.maps import service as maps_service
from chartographer.maps import tileserver
from chartographer.observability import ObservabilityMiddleware
from chartographer.openapi import declare_limits
from chartographer.portal.app import mount_portal
from chartographer.protocol import ProtocolMiddleware
from chartographer.rediscache import RedisImageCache
from chartographer.renderpool import RenderPool

DESCRIPTION = """
Charts and static maps as images, by URL. Paste a URL into an `<img src>` and get
a PNG, SVG or WebP back. Every example below renders an image: press
**Try it out**, then **Execute**.

Errors are `application/problem+json` with a `param` naming the offending
parameter. Images carry an `ETag`; send it back in `If-None-Match` for a `304`.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the ASGI application from one settings object."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        pool = RenderPool(
            settings.render_processes,
            settings.render_timeout,
            settings.render_queue,
            settings.render_deadline,
        )
        shared = None
        if settings.redis_url and settings.redis_cache:
            shared = RedisImageCache(
                settings.redis_url,
                settings.redis_cache_ttl,
                settings.redis_cache_max_item_bytes,
                settings.redis_cache_timeout,
            )
        app.state.images = ImageService(
            pool,
            ImageCache(settings.cache_bytes),
            settings.cache_max_age,
            shared,
            inline=partial(renders_inline, max_pixels=settings.render_inline_pixels),
        )
        app.state.readiness["render"] = pool.check
        maps_service.setup(app, settings)
        metrics.forget_dead_processes()
        metrics_server = await metrics_endpoint.start_server(settings) if settings.metrics else None
        try:
            async with access_lifespan(app, settings):
                yield
        finally:
            if metrics_server is not None:
                metrics_server.close()
            await maps_service.teardown(app)
            if shared is not None:
                await shared.close()
            pool.close()

    app = FastAPI(
        title="Chartographer",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served offline by install_docs
        redoc_url=None,
    )
    # set after construction: FastAPI's root_path= argument is deprecated (warns)
    app.root_path = settings.root_path
    app.state.settings = settings
    app.state.limits = Limits.from_settings(settings)
    app.state.readiness = {}
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(charts_router.router)
    app.include_router(google_router.router)  # Google Image Charts at /chart
    app.include_router(names.router)
    app.include_router(maps_router.router)
    app.include_router(tileserver.router)  # /tiles/{source}/…, TileJSON, /maps/demo
    app.include_router(access_router.router)
    install_docs(app)
    mount_portal(app, settings)
    if settings.metrics:
        app.include_router(metrics_endpoint.router)
    app.add_middleware(DirectImageMiddleware)  # GET /chart, /v1/charts/{kind} without routing
    app.add_middleware(CachedImageMiddleware)  # inside the access layer: keys still apply
    app.add_middleware(AccessMiddleware)
    if settings.trusted_proxies:  # before the gate: every route and the access log see one client
        app.add_middleware(
            ClientAddressMiddleware,
            trusted=CidrSet(settings.trusted_proxies),
            header=settings.forwarded_header,
        )
    app.add_middleware(ProtocolMiddleware)  # outermost: HEAD as GET, relative redirects
    # outermost: ids and counts every request, refusals by the access layer too
    app.add_middleware(ObservabilityMiddleware, access_log=app_writes_access_log(settings))
    add_security(app, keys_required=settings.access_mode == "keys")
    declare_limits(app, settings)  # the schema states the configured limits
    return app
