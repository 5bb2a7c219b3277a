"""schemas/ holds the JSON Schema of every file format; it must match the models."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT

from extract.schemas import render_schemas


def test_schemas_folder_is_up_to_date():
    rendered = render_schemas()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "schemas").glob("*.schema.json")}
    stale = sorted(
        name for name in rendered.keys() | on_disk.keys() if rendered.get(name) != on_disk.get(name)
    )
    assert not stale, f"run `extract schemas` — stale: {stale}"


def test_every_schema_is_valid_json_with_a_version():
    for name, text in render_schemas().items():
        schema = json.loads(text)
        assert schema["$id"] == name and schema["version"]


def test_schemas_command_writes_into_a_folder(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "extract", "schemas", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(render_schemas())
