"""JSON Schema export of the contract models into `schemas/`."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from extract.files import atomic_write_text
from extract.models import EXPORTED_MODELS, SCHEMA_VERSION


def _rule_models() -> dict[str, type[BaseModel]]:
    """The data files a curator edits (claims lexicons, field rules, calibration) and the claims the
    stage between mentions and facts writes: their schemas sit beside the contract's."""
    from extract.claims import Claim, ClaimLexicon
    from extract.facts import Calibration, FieldRule

    return {
        "claim": Claim,
        "claim_lexicon": ClaimLexicon,
        "field_rule": FieldRule,
        "calibration": Calibration,
    }


def _report_models() -> dict[str, type[BaseModel]]:
    """What `extract status` and `extract history` print as JSON."""
    from extract.health import HistoryEvent, StatusReport

    return {"status_report": StatusReport, "history_event": HistoryEvent}


def render_schemas() -> dict[str, str]:
    """File name → JSON Schema text for every exported model."""
    rendered = {}
    for name, model in sorted({**EXPORTED_MODELS, **_rule_models(), **_report_models()}.items()):
        schema = model.model_json_schema(mode="serialization")
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"{name}.schema.json",
            "version": SCHEMA_VERSION,
            **schema,
        }
        rendered[f"{name}.schema.json"] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return rendered


def write_schemas(directory: Path) -> list[Path]:
    """Write every schema into `directory`, remove stale ones; return the files that changed."""
    directory.mkdir(parents=True, exist_ok=True)
    rendered = render_schemas()
    changed = []
    for name, text in rendered.items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            atomic_write_text(path, text)
            changed.append(path)
    for path in directory.glob("*.schema.json"):
        if path.name not in rendered:
            path.unlink()
            changed.append(path)
    return changed
