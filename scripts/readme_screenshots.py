"""Regenerate the README's screenshots from a real run of a bundled example.

    python scripts/readme_screenshots.py            # writes docs/report-html.png,
                                                   # docs/report-workbook.png, docs/web.png

The example (examples/e-bike-battery.xlsx with the EU Battery Regulation rule set) is
assessed, its HTML report is opened in headless Chromium, its workbook's Summary sheet is
drawn by LibreOffice, and the web page is served on a loopback port and used as a person
would (upload, then the result page). Needs Debian's ``chromium`` and ``soffice``.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "e-bike-battery.xlsx"
RULES = ["eu-battery-regulation"]
DOCS = REPO / "docs"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"]
VIEWPORT = {"width": 1360, "height": 900}


def _program(name: str) -> str:
    found = shutil.which(name)
    if not found:
        sys.exit(f"readme_screenshots: {name} is needed (Debian: chromium, libreoffice-calc)")
    return found


def html_report(browser, work: Path) -> None:
    import footprint

    assessment = footprint.assess(EXAMPLE, rules=RULES)
    report = assessment.to_html(work / "report.html")
    assessment.to_excel(work / "report.xlsx")
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(report.as_uri(), wait_until="load")
    page.wait_for_function("document.querySelectorAll('.main-svg').length > 2")
    page.locator("#product-1").scroll_into_view_if_needed()
    page.screenshot(path=str(DOCS / "report-html.png"))
    page.close()


def workbook(work: Path) -> bool:
    """The workbook's first page as LibreOffice prints it; needs pdftoppm (poppler-utils)."""
    soffice = _program("soffice")
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        print("skipped docs/report-workbook.png: pdftoppm (Debian poppler-utils) is missing")
        return False
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{work / 'lo'}", "--headless", "--convert-to",
         "pdf", "--outdir", str(work), str(work / "report.xlsx")],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    subprocess.run(
        [pdftoppm, "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile",
         str(work / "report.pdf"), str(work / "report")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    shutil.copy(work / "report.png", DOCS / "report-workbook.png")
    return True


def web_page(browser, work: Path) -> None:
    import httpx
    import uvicorn

    from footprint.web import WebSettings, create_app

    (work / "web").mkdir()
    app = create_app(WebSettings(work_dir=work / "web"))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/health", timeout=2).json()["status"] == "ok":
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        page = browser.new_page(viewport=VIEWPORT)
        page.set_default_timeout(300_000)
        page.goto(url + "/")
        page.set_input_files("#file", str(EXAMPLE))
        # the form reads the BOM and ticks the rule sets of its categories: wait for that
        page.wait_for_selector("#rules-hint:not([hidden]):not(:has-text('Reading'))")
        for rule in RULES:
            page.check(f"input[name=rules][value={rule}]")
        page.click("#assess-button")
        page.wait_for_url("**/results/**")
        # a function, not a string: the page's Content-Security-Policy forbids eval
        page.wait_for_function("() => document.querySelectorAll('.main-svg').length > 0")
        page.screenshot(path=str(DOCS / "web.png"))
        page.close()
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


def main() -> None:
    from playwright.sync_api import sync_playwright

    chromium = _program("chromium")
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        work = Path(folder)
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            html_report(browser, work)
            wrote = ["report-html.png"]
            if workbook(work):
                wrote.append("report-workbook.png")
            web_page(browser, work)
            wrote.append("web.png")
        finally:
            browser.close()
    for name in wrote:
        print(f"wrote docs/{name}")


if __name__ == "__main__":
    main()
