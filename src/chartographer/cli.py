"""The ``chartographer`` command line: ``serve``, ``render`` and the subsystem groups."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from chartographer.access import cli as access_cli
from chartographer.accounts import cli as accounts_cli
from chartographer.config import ConfigError, load_settings
from chartographer.maps import cli as maps_cli


@click.group()
@click.version_option(package_name="chartographer")
def main() -> None:
    """Charts and static maps as images, by URL."""


@main.command()
@click.option("--host", default=None, help="interface to bind (default 127.0.0.1)")
@click.option("--port", type=int, default=None, help="port (default 8000)")
@click.option("--workers", type=int, default=None, help="uvicorn worker processes")
@click.option(
    "--proxy-headers/--no-proxy-headers",
    default=False,
    help="believe forwarded headers from CHARTOGRAPHER_TRUSTED_PROXIES only (nobody when it "
    "is empty); the app always decides this, the flag only reports what is trusted",
)
def serve(host: str | None, port: int | None, workers: int | None, proxy_headers: bool) -> None:
    """Serve the API (embedded defaults; configure with CHARTOGRAPHER_* variables)."""
    try:
        settings = load_settings()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    overrides = {
        k: v for k, v in {"host": host, "port": port, "workers": workers}.items() if v is not None
    }
    settings = settings.model_copy(update=overrides)
    if settings.workers > 1 or settings.server == "granian":
        # each worker process builds its app from the environment: pass overrides on
        os.environ.update({f"CHARTOGRAPHER_{k.upper()}": str(v) for k, v in overrides.items()})
    from chartographer import logs, metrics_setup

    metrics_setup.prepare_multiprocess(settings)  # before anything imports prometheus-client

    if proxy_headers:
        trusted = ", ".join(settings.trusted_proxies)
        click.echo(
            f"forwarded headers ({settings.forwarded_header}) are believed from {trusted}"
            if trusted
            else "--proxy-headers: CHARTOGRAPHER_TRUSTED_PROXIES is empty, so forwarded "
            "headers are believed from nobody"
        )
    click.echo(f"Chartographer on http://{settings.host}:{settings.port}  (docs: /docs)")
    if settings.server == "granian":
        # forwarded headers are read by the app itself, from CHARTOGRAPHER_TRUSTED_PROXIES
        from chartographer.server import run_granian

        run_granian(settings)
        return
    import uvicorn

    uvicorn.run(
        "chartographer.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        # never uvicorn's own proxy handling (it trusts 127.0.0.1 by default): the app's
        # ClientAddressMiddleware is the one place that believes forwarded headers
        proxy_headers=False,
        log_level=settings.log_level,
        log_config=logs.log_config(settings),
        # JSON logs: the app writes the access line itself (with the request id)
        access_log=not logs.app_writes_access_log(settings),
        env_file=None,
        # a worker's startup (imports, render pool warm-up) can take longer than
        # uvicorn's 5 s on a busy machine; it was killed and restarted forever
        timeout_worker_healthcheck=60,
        # the limits Granian enforces, as far as uvicorn has them (no header timeout)
        http="h11",
        h11_max_incomplete_event_size=settings.server_max_header_bytes,
        limit_concurrency=settings.server_max_concurrency,
        backlog=settings.server_backlog,
        timeout_graceful_shutdown=settings.server_shutdown_timeout,
    )


@main.command()
@click.argument("kind")
@click.option("--values", "values", multiple=True, required=True, help="3,7,5 (repeat per series)")
@click.option("--labels", default=None, help="a,b,c")
@click.option("--title", default=None)
@click.option("--series", default=None, help="series names, comma-separated")
@click.option("--colors", default=None, help="colours, comma-separated")
@click.option("--width", type=int, default=600)
@click.option("--height", type=int, default=400)
@click.option("--scale", type=float, default=1.0)
@click.option("--format", "fmt", type=click.Choice(["png", "svg", "webp", "pdf"]), default=None)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def render(
    kind: str,
    values: tuple[str, ...],
    labels: str | None,
    title: str | None,
    series: str | None,
    colors: str | None,
    width: int,
    height: int,
    scale: float,
    fmt: str | None,
    output: Path,
) -> None:
    """Render a chart to a file, offline (no server): render bar --values 3,7,5 -o bar.png."""
    from pydantic import ValidationError

    from chartographer.charts.native.params import ChartQuery, Limits, spec_from_query
    from chartographer.charts.render import render_chart
    from chartographer.charts.spec import ChartKind
    from chartographer.errors import ChartographerError

    fmt = fmt or (output.suffix.lstrip(".").lower() or "png")
    try:
        chart_kind = ChartKind(kind)
        query = ChartQuery(
            values=list(values),
            labels=labels,
            title=title,
            series=series,
            colors=colors,
            width=width,
            height=height,
            scale=scale,
            format=fmt,  # type: ignore[arg-type]
        )
        spec = spec_from_query(chart_kind, query, Limits.from_settings(load_settings()))
    except ValueError as exc:
        if isinstance(exc, ValidationError):
            message = "; ".join(
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
            )
        else:
            message = str(exc)
        raise click.UsageError(message) from None
    except ChartographerError as exc:
        raise click.UsageError(exc.detail) from None
    rendered = render_chart(spec)
    output.write_bytes(rendered.body)
    click.echo(f"wrote {output} ({len(rendered.body)} bytes, {rendered.media_type})")


for _command in access_cli.COMMANDS:  # db, plans, keys, usage
    main.add_command(_command)
main.add_command(maps_cli.tiles)  # chartographer tiles info|pack
main.add_command(maps_cli.gazetteer)  # chartographer gazetteer build
main.add_command(accounts_cli.accounts)  # chartographer accounts list|set-role|approve|…


if __name__ == "__main__":
    sys.exit(main())
