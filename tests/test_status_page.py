"""`extract status --html` opened in headless Chromium: rendered, no console error, every cell a link
to a history on the page. The screenshot goes to docs/status.png with UPDATE_SCREENSHOTS=1."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from test_health import entry, evidence, proposal
from test_web import DOCS, browser, open_page, server  # noqa: F401  (the fixtures, shared)

from extract.cli import cli
from extract.jsonl import write_models
from extract.models import Decision

KG = Path(__file__).resolve().parent.parent / "corpus" / "countries" / "country--kyrgyzstan.md"
# (code, name, the record's updated date): some fresh, some past the 12-month window on 2026-06-01
COUNTRIES = [
    ("AM", "Armenia", "2026-03-02"),
    ("AZ", "Azerbaijan", "2024-11-20"),
    ("GE", "Georgia", "2025-09-14"),
    ("KG", "Kyrgyzstan", "2026-04-02"),
    ("TJ", "Tajikistan", "2023-12-01"),
    ("UZ", "Uzbekistan", "2025-07-30"),
]


def record(code: str, name: str, updated: str) -> str:
    text = KG.read_text(encoding="utf-8")
    return (
        text.replace("Kyrgyzstan (KG)", f"{name} ({code})")
        .replace('aliases: ["KG", "KGZ", "Кыргызстан"]', f'aliases: ["{code}"]')
        .replace("updated: 2026-04-02", f"updated: {updated}")
    )


def rival_costs(effective: str | None = None):
    """Two pending licence costs from two outlets, the newer one possibly effective later."""
    older = proposal(
        "licensing.cost",
        "$12,000",
        evidence("The licence fee is $12,000.", url="https://one.example/a", published="2026-01-05"),
    )
    newer = proposal(
        "licensing.cost",
        "$15,000",
        evidence("The fee is now $15,000.", url="https://two.example/a", published="2026-02-10"),
        effective=effective,
    )
    return older, newer


@pytest.fixture
def page_file(tmp_path: Path) -> Path:
    records = tmp_path / "countries"
    records.mkdir()
    for code, name, updated in COUNTRIES:
        text = record(code, name, updated)
        if code == "GE":  # a value with an end date that has passed
            text = text.replace("| VAT on Crypto | No |", "| VAT on Crypto | Exempt until 2025 |")
        (records / f"country--{name.lower()}.md").write_text(text, encoding="utf-8")
    file = "country--azerbaijan.md"
    confirm = entry(
        "mining.electricity_cost",
        "$0.023/kWh",
        "2026-05-02T09:00:00Z",
        evidence(
            "Miners pay 2.3 US cents per kilowatt-hour, the ministry said.",
            url="https://wire.example/power",
            published="2026-04-28",
        ),
        evidence(
            "Miners pay 2.3 US cents per kilowatt-hour, the ministry said.",
            url="https://daily.example/copy",
            published="2026-04-29",
        ),
        op="confirm",
    )
    write_models(tmp_path / "ledger.jsonl", [confirm.model_copy(update={"record": file})])
    older, newer = rival_costs(effective="2026-09-01")
    rivals = [
        p.model_copy(update={"country": "AZ", "record": file, "old_value": "$5,000 - $20,000"})
        for p in (older, newer)
    ]
    write_models(tmp_path / "proposals.jsonl", rivals)
    write_models(
        tmp_path / "proposals.decisions.jsonl",
        [
            Decision(
                when="2026-05-01T10:00:00Z",
                proposal=rivals[0].id,
                action="noted",
                status="pending",
                previous_status="pending",
                reviewer="Ana",
                reviewer_note="waiting for the gazette",
                new_value="$12,000",
                via="web",
            )
        ],
    )
    out = tmp_path / "status.html"
    result = CliRunner(env={"XDG_CACHE_HOME": str(tmp_path / "cache")}).invoke(
        cli,
        [
            "status",
            str(records),
            "--review",
            str(tmp_path / "proposals.jsonl"),
            "--date",
            "2026-06-01",
            "--html",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    return out


def test_the_status_page_renders_and_every_cell_links_to_a_history(browser, page_file: Path) -> None:  # noqa: F811
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page_file.as_uri())
    page.wait_for_selector("table.grid")
    assert page.locator("table.grid tbody tr").count() == len(COUNTRIES)
    links = page.locator("table.grid td a")
    assert links.count() >= len(COUNTRIES) * 10
    targets = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    missing = page.evaluate("ids => ids.filter(id => !document.getElementById(id.slice(1)))", targets)
    assert missing == []
    # each cell's colour is its stalest field's: TJ (updated 2023) is stale, GE's tax has expired
    assert "stale" in page.locator("a[href='#h-TJ-licensing']").locator("..").get_attribute("class")
    assert "expired" in page.locator("a[href='#h-GE-tax']").locator("..").get_attribute("class")
    assert "fresh" in page.locator("a[href='#h-KG-licensing']").locator("..").get_attribute("class")
    # a cell leads to its fields and their history: the merged confirm, its two copies one outlet
    page.locator("a[href='#h-AZ-mining']").click()
    row = page.locator("[id='f-AZ-mining.electricity_cost']")
    assert "merged confirm by Ana" in row.inner_text() and "wire.example/power" in row.inner_text()
    assert row.locator("td").nth(4).inner_text() == "1"
    assert "waiting for the gazette" in page.locator("[id='f-AZ-licensing.cost']").inner_text()
    # the contradiction side by side, the newer enacted value suggested
    sides = page.locator(".contradiction .side")
    assert sides.count() == 2 and "$15,000" in sides.first.inner_text()
    assert "published 2026-02-10" in page.locator(".contradiction").inner_text()
    assert "2026-09-01" in page.locator("#upcoming + table").inner_text()
    page.goto(page_file.as_uri())
    page.screenshot(path=str(DOCS / "status.png"), full_page=False)
    assert errors == []
    page.close()


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """For test_web's `server`: two pending values for one field of the shipped Kyrgyz record."""
    (tmp_path / "articles").mkdir()
    older, newer = rival_costs()
    kg = {"country": "KG", "record": "country--kyrgyzstan.md", "old_value": "$5,000 - $20,000"}
    older, newer = older.model_copy(update=kg), newer.model_copy(update=kg)
    write_models(
        tmp_path / "proposals.jsonl",
        [
            older.model_copy(update={"conflicts_with": [newer.id]}),
            newer.model_copy(update={"conflicts_with": [older.id]}),
        ],
    )
    return tmp_path


def test_the_review_page_shows_a_contradiction_side_by_side(browser, server: str) -> None:  # noqa: F811
    page = open_page(browser, server)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.locator("#list li", has_text="licensing.cost").first.click()
    box = page.locator(".contradiction")
    box.wait_for()
    sides = box.locator(".side")
    assert sides.count() == 2
    assert "$15,000" in sides.first.inner_text() and "published 2026-02-10" in sides.first.inner_text()
    assert "The fee is now $15,000." in sides.first.inner_text()
    assert "$12,000" in sides.nth(1).inner_text() and "published 2026-01-05" in sides.nth(1).inner_text()
    assert "the newer enacted claim" in box.locator(".suggestion").inner_text()
    page.screenshot(path=str(DOCS / "review-web-contradiction.png"))
    page.keyboard.press("n")  # reject one: the other's contradiction is gone with it
    page.wait_for_selector("#message:has-text('rejected')")
    page.locator("#f-status").select_option("")
    page.locator("#list li", has_text="pending").first.click()
    assert page.locator(".contradiction").count() == 0
    assert errors == []
