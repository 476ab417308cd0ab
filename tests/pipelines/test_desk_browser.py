"""The review desk in a real browser: headless Chromium (Debian's) driven by Playwright.

Review a claim by keyboard, see it leave the queue and appear in the audit
trail, load a chart. Skips with a clear message when Chromium or Playwright
is missing (`.ci/run` installs both).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import REPO

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"
)

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def desk(facts_db):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "pipelines", "serve", "--db", str(facts_db), "--port", str(port), "--reviewer", "browser"],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"the desk did not start: {server.stderr.read().decode()}"
                ) from None
            time.sleep(0.2)
    yield base
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def page(desk):
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser.new_page()
        finally:
            browser.close()


def test_keyboard_review_leaves_the_queue_and_reaches_the_audit_trail(desk, page):
    page.goto(desk + "/queue")
    first = page.locator("#queue .card.selected")
    claim_id = first.get_attribute("data-claim")
    assert claim_id
    page.keyboard.press("a")
    page.wait_for_selector(f'.card.done[data-claim="{claim_id}"]')
    second = page.locator("#queue .card.selected").get_attribute("data-claim")
    assert second and second != claim_id
    page.keyboard.press("r")
    page.wait_for_selector(f'.card.done[data-claim="{second}"]')

    page.goto(desk + "/queue")
    assert page.locator(f'.card[data-claim="{claim_id}"]').count() == 0
    assert page.locator(f'.card[data-claim="{second}"]').count() == 0

    page.goto(desk + "/audit")
    accepted = page.locator(f'#audit tr[data-claim="{claim_id}"]')
    assert "accepted" in accepted.inner_text() and "browser" in accepted.inner_text()
    assert "rejected" in page.locator(f'#audit tr[data-claim="{second}"]').inner_text()


def test_edit_by_keyboard(desk, page):
    page.goto(desk + "/queue")
    claim_id = page.locator("#queue .card.selected").get_attribute("data-claim")
    page.keyboard.press("e")
    card = page.locator(f'.card[data-claim="{claim_id}"]')
    card.locator('input[name="value"]').fill("75.15")
    card.locator('input[name="period"]').fill("FY2025Q2")
    card.locator('button[value="edited"]').click()
    page.wait_for_selector(f'.card.done[data-claim="{claim_id}"]')
    page.goto(f"{desk}/claim/{claim_id}")
    assert "value=75.15" in page.locator("table.audit").inner_text()


def test_chart_loads(desk, page):
    page.goto(desk + "/chart?entity=英伟达&metric=gross_margin")
    page.wait_for_function("document.getElementById('chart').complete")
    width = page.evaluate("document.getElementById('chart').naturalWidth")
    assert width > 100
