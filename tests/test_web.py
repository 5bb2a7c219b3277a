"""`extract review --web` end to end: the real server, driven in Debian's chromium through Playwright."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from proposal_fixtures import CORPUS, make_proposals, write_review_file

from extract.jsonl import read_models, write_models
from extract.models import Evidence, Fact, Proposal
from extract.propose import proposal_id

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason="chromium is not installed (.ci/run installs it)")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# The screenshots in docs/ are refreshed only on request (UPDATE_SCREENSHOTS=1, then looked at by
# eye); an ordinary run writes them to a temporary folder and leaves the work tree as it was.
DOCS = (
    Path(__file__).resolve().parent.parent / "docs"
    if os.environ.get("UPDATE_SCREENSHOTS")
    else Path(tempfile.mkdtemp(prefix="review-web-screenshots-"))
)
# Our own article, with markup in its text: the page must show it as text and never run it.
HOSTILE = ("Kyrgyz mining notes\n\nA local blog wrote <script>window.pwned = 1</script> about miners. "
           "Miners in Kyrgyzstan must now report their power use <b>every month</b> to the regulator.\n")
HOSTILE_QUOTE = "Miners in Kyrgyzstan must now report their power use <b>every month</b> to the regulator."


def hostile_proposal(articles: Path) -> Proposal:
    (articles / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    start = HOSTILE.index(HOSTILE_QUOTE)
    at = start + HOSTILE_QUOTE.index("report their power use")
    value = "Miners must report their power use every month."
    return Proposal(id=proposal_id("KG", "mining.note", "append", value), country="KG",
                    record="country--kyrgyzstan.md", field="mining.note", op="append",
                    old_value="Mining <em>is</em> legal.", new_value=value,
                    evidence=[Evidence(article="hostile.txt", start=start, end=start + len(HOSTILE_QUOTE),
                                       quote=HOSTILE_QUOTE,
                                       highlight=(at, at + len("report their power use")),
                                       title="<img src=x onerror=alert(1)> Mining <i>rules</i>")],
                    extractor="rule:handmade", confidence=0.6)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    articles = tmp_path / "articles"
    shutil.copytree(CORPUS / "articles", articles)
    proposals = [*make_proposals(), hostile_proposal(articles)]
    write_review_file(tmp_path / "proposals.jsonl",
                      sorted(proposals, key=lambda p: (p.country, p.field, p.id)))
    fact = Fact(country="UZ", field="licensing.minimum_capital", value="$1,000,000", kind="amount",
                mode="replace", extractor="rule:handmade", confidence=0.7,
                evidence=Evidence(article="uz.txt", start=0, end=44,
                                  quote="Exchanges must hold $1 million, it <b>said</b>.",
                                  highlight=(20, 30)))
    write_models(tmp_path / "proposals.unrecorded.jsonl", [fact])
    return tmp_path


@pytest.fixture
def server(workspace: Path) -> Iterator[str]:
    """`extract review --web` in a subprocess; yields the URL it prints."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    child = subprocess.Popen([sys.executable, "-m", "extract", "review", "proposals.jsonl", "--web",
                              "--articles", "articles", "--reviewer", "Ana"], cwd=workspace, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None
    line = child.stdout.readline()
    assert "http://127.0.0.1:" in line, child.stderr.read() if child.stderr else line
    try:
        yield line.split(" at ", 1)[1].strip()
    finally:
        child.terminate()
        child.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as playwright:
        user_data = Path(os.environ.get("TMPDIR", "/tmp")) / f"extract-web-test-{os.getpid()}"
        shutil.rmtree(user_data, ignore_errors=True)
        context = playwright.chromium.launch_persistent_context(
            str(user_data), executable_path=CHROMIUM, args=FLAGS, headless=True,
            viewport={"width": 1400, "height": 900})
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(user_data, ignore_errors=True)


def statuses(workspace: Path) -> dict[str, str]:
    return {f"{p.country} {p.field}": p.status for p in read_models(workspace / "proposals.jsonl", Proposal)}


def open_page(browser, url: str):  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.goto(url)
    page.wait_for_selector("#list li")
    return page


def pick(page, proposal_field: str) -> None:  # type: ignore[no-untyped-def]
    page.locator("#f-status").select_option("")
    page.locator("#list li", has_text=proposal_field).first.click()
    page.wait_for_selector("#evidence .evidence")


def test_review_with_keys_edit_and_the_decision_log(browser, server: str, workspace: Path) -> None:
    page = open_page(browser, server)
    assert page.locator("#list li").count() == 8  # every pending proposal
    page.wait_for_selector("#evidence .evidence")
    DOCS.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS / "review-web.png"))
    page.keyboard.press("y")  # KG licensing.cost
    page.wait_for_selector("#message:has-text('approved')")
    page.keyboard.press("n")  # KG licensing.framework
    page.wait_for_selector("#message:has-text('rejected')")
    page.keyboard.press("e")  # KG licensing.minimum_capital
    page.locator("#modal-input").fill("KGS 10 billion (from 2026-01-01)")
    page.keyboard.press("Enter")
    page.wait_for_selector("#message:has-text('edited')")
    page.keyboard.press("u")  # undo the edit: pending again, with the proposed value
    page.wait_for_selector("#message:has-text('pending again')")
    after = statuses(workspace)
    decided = ("KG licensing.cost", "KG licensing.framework", "KG licensing.minimum_capital")
    assert [after[key] for key in decided] == ["approved", "rejected", "pending"]
    saved = {p.field: p for p in read_models(workspace / "proposals.jsonl", Proposal)}
    assert saved["licensing.cost"].reviewer == "Ana" and saved["licensing.cost"].decided_at
    assert saved["licensing.minimum_capital"].new_value == "KGS 10,000,000,000 (from 2026-01-01)"
    log = [json.loads(line) for line in (workspace / "proposals.decisions.jsonl").read_text().splitlines()]
    assert [(d["action"], d["via"], d["reviewer"]) for d in log] == [
        ("approved", "web", "Ana"), ("rejected", "web", "Ana"), ("edited", "web", "Ana"),
        ("undone", "web", "Ana")]
    assert log[2]["proposed_value"] == "KGS 10,000,000,000 (from 2026-01-01)"


def test_an_invalid_edit_is_refused_with_a_suggestion(browser, server: str, workspace: Path) -> None:
    page = open_page(browser, server)
    pick(page, "mining.renewable_energy")
    page.keyboard.press("e")
    page.locator("#modal-input").fill("150%")
    page.keyboard.press("Enter")
    page.wait_for_selector("#modal-error:has-text('outside 0–100%')")
    assert statuses(workspace)["KZ mining.renewable_energy"] == "pending"


def test_filter_then_bulk_approve_with_confirmation(browser, server: str, workspace: Path) -> None:
    page = open_page(browser, server)
    page.locator("#f-country").select_option("KZ")
    assert page.locator("#list li").count() == 3
    page.locator("#bulk-approve").click()
    page.wait_for_selector("#modal:not([hidden])")
    assert page.locator("#modal-text").inner_text() == "Approve the 3 pending proposals shown?"
    page.screenshot(path=str(DOCS / "review-web-bulk.png"))
    page.locator("#modal-cancel").click()
    assert set(statuses(workspace).values()) == {"pending"}  # cancelled: nothing decided
    page.locator("#bulk-approve").click()
    page.locator("#modal-ok").click()
    page.wait_for_selector("#message:has-text('3 approved')")
    after = statuses(workspace)
    assert [key for key, status in after.items() if status == "approved"] == [
        "KZ licensing.note", "KZ mining.renewable_energy", "KZ overview.status"]


def test_two_tabs_deciding_one_proposal(browser, server: str, workspace: Path) -> None:
    first, second = open_page(browser, server), open_page(browser, server)
    first.keyboard.press("y")
    first.wait_for_selector("#message:has-text('approved')")
    second.keyboard.press("n")  # the same proposal, as the second tab loaded it
    second.wait_for_selector("#message.error:has-text('Conflict')")
    message = second.locator("#message").inner_text()
    assert "changed since you loaded it: it is approved now by Ana" in message
    second.screenshot(path=str(DOCS / "review-web-conflict.png"))
    assert statuses(workspace)["KG licensing.cost"] == "approved"  # the first decision stands
    log = (workspace / "proposals.decisions.jsonl").read_text().splitlines()
    assert len(log) == 1


def test_article_markup_is_shown_as_text(browser, server: str, workspace: Path) -> None:
    page = open_page(browser, server)
    pick(page, "mining.note")
    paragraph = page.locator("#evidence .paragraph").inner_text()
    assert "<script>window.pwned = 1</script>" in paragraph and "<b>every month</b>" in paragraph
    assert page.locator("#evidence mark.value").inner_text().startswith("report their power use")
    title = page.locator("#evidence .source strong").inner_text()
    assert title == "<img src=x onerror=alert(1)> Mining <i>rules</i>"
    assert "Mining <em>is</em> legal." in page.locator("#detail .current").inner_text()
    assert "null" not in page.locator("#detail").inner_text()
    assert page.evaluate("window.pwned") is None
    assert page.locator("#detail script, #detail img, #detail b, #detail em").count() == 0
    page.screenshot(path=str(DOCS / "review-web-markup.png"))


def test_countries_without_a_record(browser, server: str) -> None:
    page = open_page(browser, server)
    page.locator("#tab-unrecorded").click()
    page.wait_for_selector("#unrecorded-view table")
    text = page.locator("#unrecorded-view").inner_text()
    assert "extract record new UZ" in text and "licensing.minimum_capital" in text and "<b>said</b>" in text
    page.screenshot(path=str(DOCS / "review-web-unrecorded.png"))


def request(url: str, *, method: str = "GET", headers: dict[str, str] | None = None) -> int:
    try:
        data = b"{}" if method == "POST" else None
        with urllib.request.urlopen(urllib.request.Request(url, method=method, headers=headers or {},
                                                           data=data)) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_requests_without_the_token_host_or_csrf_are_refused(server: str, workspace: Path) -> None:
    base, token = server.split("?t=")
    assert request(server) == 200
    assert request(base) == 403
    assert request(base + "api/state") == 403
    assert request(base + "api/state?t=wrong") == 403
    assert request(base + "favicon.ico") == 204  # asked for by the browser without the token: no refusal
    assert request(server, headers={"Host": "evil.example"}) == 400  # DNS rebinding
    decide = base + "api/decide?t=" + token
    no_csrf = {"Content-Type": "application/json"}
    assert request(decide, method="POST", headers=no_csrf) == 403
    page = urllib.request.urlopen(server).read().decode()
    csrf = page.split('name="csrf-token" content="')[1].split('"')[0]
    headers = {"Content-Type": "application/json", "X-CSRF-Token": csrf}
    assert request(decide, method="POST", headers={**headers, "Origin": "http://evil.example"}) == 403
    assert request(decide, method="POST", headers=headers) == 200  # an empty list of decisions
    assert set(statuses(workspace).values()) == {"pending"}
