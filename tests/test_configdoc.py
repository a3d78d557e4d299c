"""docs/configuration.md lists every setting with its default, and stays generated."""

from __future__ import annotations

from pathlib import Path

from chartographer import configdoc
from chartographer.config import Settings

DOC = Path(__file__).parent.parent / "docs" / "configuration.md"


def test_configuration_doc_is_up_to_date() -> None:
    assert DOC.read_text() == configdoc.markdown(), (
        "docs/configuration.md is stale: run `make config-docs`"
    )


def test_every_setting_is_listed_with_its_default() -> None:
    text = DOC.read_text()
    for name in Settings.model_fields:
        assert f"`CHARTOGRAPHER_{name.upper()}`" in text
    assert "| `CHARTOGRAPHER_PORT` | int | `8000` |" in text
    assert "| `CHARTOGRAPHER_OPEN_LIMITS` | list[str] | `50/second,2000/minute` |" in text
    assert "| `CHARTOGRAPHER_REDIS_URL` | str \\| None | *(unset)* |" in text
    assert "refused in keys mode" in text  # the pepper's default is not printed


def test_main_prints_the_markdown(capsys: object) -> None:
    import pytest

    assert isinstance(capsys, pytest.CaptureFixture)
    assert configdoc.main([]) == 0
    assert capsys.readouterr().out == configdoc.markdown()
