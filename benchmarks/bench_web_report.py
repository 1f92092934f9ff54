"""Does a 1,000,000-character report stay responsive in the web page? Measured in Debian's Chromium.

The pair of bench_render (the corpus made up to a million characters, an edited 700,000-character
excerpt) is checked through `yuanwen serve`; the report page is opened and timed: the report
frame's first paint and load, the longest task the main thread ran while loading, and how long
a step to the next finding (j), a severity filter and a jump to the end take to show."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pairs import ROOT, edited_excerpt, large_source

sys.path.insert(0, str(ROOT / "tests"))
from conftest import CHROMIUM, CHROMIUM_ARGS
from web_server import serving

CHARS = 1_000_000
# Long tasks (over 50 ms) the report frame's main thread runs, collected from its start.
_OBSERVE = """
window.__long = [];
new PerformanceObserver(list => list.getEntries().forEach(e => window.__long.push(e.duration)))
  .observe({type: "longtask", buffered: true});
"""
# Milliseconds from an action to the next painted frame.
_TIMED = """action => new Promise(done => {
  const start = performance.now();
  action();
  requestAnimationFrame(() => setTimeout(() => done(performance.now() - start), 0));
})"""


def _submit(client: Any, source: str, reprint: str) -> tuple[str, int]:
    files = {"reprint": ("reprint.txt", reprint.encode()), "source": ("source.txt", source.encode())}
    check_id: str = client.post("/api/checks", files=files).json()["id"]
    while (state := client.get(f"/api/checks/{check_id}").json())["status"] == "queued":
        time.sleep(0.2)
    if state["status"] != "done":
        raise RuntimeError(state["error"])
    return check_id, sum(state["summary"].values())


def _measure(page: Any, url: str) -> dict[str, float]:
    start = time.perf_counter()
    page.goto(url, wait_until="load")
    loaded = time.perf_counter() - start
    frame = page.frame_locator("#report-frame")
    inner = next(f for f in page.frames if f.url.endswith("/report.html"))
    frame.locator("#next").wait_for()
    paint = inner.evaluate("performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1")
    longest = inner.evaluate("Math.max(0, ...window.__long)")
    step = inner.evaluate(f"({_TIMED})(() => document.getElementById('next').click())")
    toggle = inner.evaluate(f"({_TIMED})(() => document.querySelector('input[data-sev=minor]').click())")
    end = inner.evaluate(f"({_TIMED})(() => window.scrollTo(0, document.body.scrollHeight))")
    return {"load": loaded, "paint": paint, "longest": longest, "step": step, "toggle": toggle, "end": end}


def main() -> int:
    from playwright.sync_api import sync_playwright

    source = large_source(CHARS)
    reprint = edited_excerpt(source).reprint
    with tempfile.TemporaryDirectory() as tmp, serving(Path(tmp), "--workers", "1") as server:
        with server.client(timeout=300.0) as client:
            start = time.perf_counter()
            check_id, findings = _submit(client, source, reprint)
            checked = time.perf_counter() - start
            html = client.get(f"/checks/{check_id}/report.html")
        print(f"source {len(source):,} chars, reprint {len(reprint):,} chars; check, render and store {checked:.1f} s")
        print(f"HTML report {len(html.content) / 1e6:.1f} MB, {findings} findings")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            context.add_init_script(_OBSERVE)
            figures = _measure(context.new_page(), f"{server.url}/checks/{check_id}")
            browser.close()
    print(f"page load (report frame included) {figures['load']:.1f} s; report first paint {figures['paint']:.0f} ms")
    print(f"longest main-thread task while loading {figures['longest']:.0f} ms")
    print(f"next finding {figures['step']:.0f} ms; hide a severity {figures['toggle']:.0f} ms")
    print(f"jump to the end {figures['end']:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
