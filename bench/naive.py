"""The naive chart endpoint the seeds start from: FastAPI, a new ``Figure``, ``savefig``.

``GET /v1/charts/bar?values=3,7,5&labels=a,b,c&width=400&height=300`` — served by
``python -m bench.naive PORT`` for ``bench.server`` to compare against over HTTP.
"""

from __future__ import annotations

import io
import sys

import uvicorn
from fastapi import FastAPI, Response
from matplotlib.figure import Figure

app = FastAPI()


@app.get("/v1/charts/bar")
def bar(values: str, labels: str = "", width: int = 400, height: int = 300) -> Response:
    numbers = [float(v) for v in values.split(",")]
    names = labels.split(",") if labels else []
    fig = Figure(figsize=(width / 100, height / 100), dpi=100)
    axes = fig.subplots()
    xs = list(range(len(numbers)))
    axes.bar(xs, numbers)
    if names:
        axes.set_xticks(xs, names)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return Response(buf.getvalue(), media_type="image/png")


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
