"""``docs/configuration.md``, generated from :class:`chartographer.config.Settings`.

Regenerate with ``make config-docs`` (``python -m chartographer.configdoc``);
``tests/test_configdoc.py`` fails when the file and the settings disagree.
Sections follow the ``# --- name ---`` comments in ``config.py``.
"""

from __future__ import annotations

import inspect
import re
import sys
from typing import Any, get_args

from pydantic import SecretStr
from pydantic_core import PydanticUndefined

from chartographer import config
from chartographer.config import Settings

_SECTION = re.compile(r"^\s*# --- (.+?) -*\s*$")
_FIELD = re.compile(r"^    ([a-z_][a-z0-9_]*)\s*:")

#: settings declared without a ``description=`` (kept here so config.py stays as it is)
_UNDESCRIBED = {
    "host": "interface `chartographer serve` binds",
    "port": "port `chartographer serve` binds",
    "log_level": "debug, info, warning, error",
    "access_mode": "`open` (no key, limits per IP) or `keys` (key or signature on every call)",
}

HEADER = """# Configuration

Every setting is an environment variable with the prefix `CHARTOGRAPHER_` (or a
field passed to `create_app(Settings(...))`). Lists take `a,b` or a JSON list;
mappings take JSON. The defaults run on a laptop with no configuration at all.
The command-line tools (`chartographer db|plans|keys|usage|render`) read the
same variables: run them with the server's environment (same database, same
`CHARTOGRAPHER_KEY_HASH_SECRET`), or the keys they make will not match.

This file is generated from `chartographer.config.Settings`: edit the settings,
then run `make config-docs` (a test fails while the two disagree).
"""


def _sections() -> dict[str, str]:
    """Field name → the section comment above it in config.py."""
    section, out = "general", {}
    for line in inspect.getsource(config).splitlines():
        if match := _SECTION.match(line):
            section = match.group(1).strip()
        elif match := _FIELD.match(line):
            out[match.group(1)] = section
    return out


def _default(name: str) -> str:
    field = Settings.model_fields[name]
    if field.default_factory is not None:
        value: Any = field.default_factory()  # type: ignore[call-arg]
    elif field.default is PydanticUndefined:  # pragma: no cover - every setting has one
        return "*(required)*"
    else:
        value = field.default
    if isinstance(value, SecretStr):
        return "*(built-in development value; refused in keys mode)*"
    if value is None:
        return "*(unset)*"
    if value == "":
        return "*(empty)*"
    if isinstance(value, list):
        return "`" + ",".join(map(str, value)) + "`" if value else "*(empty)*"
    if isinstance(value, dict):
        return "`{}`" if not value else f"`{value}`"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{value}`"


def _type(name: str) -> str:
    annotation = Settings.model_fields[name].annotation
    text = str(annotation) if get_args(annotation) else getattr(annotation, "__name__", "")
    text = text.replace("typing.", "").replace("pydantic.types.", "")
    text = re.sub(r"Annotated\[(.+?), NoDecode\]", r"\1", text)
    return text.replace("|", "\\|")


def markdown() -> str:
    """The whole of docs/configuration.md."""
    sections = _sections()
    lines = [HEADER]
    current = None
    for name, field in Settings.model_fields.items():
        section = sections.get(name, "general")
        if section != current:
            current = section
            lines += ["", f"## {section}", "", "| variable | type | default | meaning |"]
            lines.append("| --- | --- | --- | --- |")
        meaning = (field.description or _UNDESCRIBED.get(name, "")).replace("|", "\\|")
        env = f"CHARTOGRAPHER_{name.upper()}"
        lines.append(f"| `{env}` | {_type(name)} | {_default(name)} | {meaning} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    sys.stdout.write(markdown())
    return 0


if __name__ == "__main__":
    sys.exit(main())
