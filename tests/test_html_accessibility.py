"""The report page passes axe-core's automated accessibility checks (its WCAG 2 A/AA rules and best
practices) in headless Chromium: no serious or critical violation.

axe-core comes from the npm registry (``make test`` installs it into .cache/node); Chromium is Debian's
``chromium``. The page is the briefing's HTML with axe-core and a few lines that run it inlined in its head;
Chromium loads it from a file, lets it run (``--virtual-time-budget``) and prints the DOM, into which the
results were written. Skipped, saying why, where either is missing.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

AXE_CORE = Path(__file__).parent.parent / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not AXE_CORE.is_file(), reason=f"axe-core is not installed at {AXE_CORE}: `make test` "
                       "installs it (npm install --prefix .cache/node axe-core)"),
    pytest.mark.skipif(CHROMIUM is None, reason="no headless Chromium to run axe-core in (apt-get install chromium)"),
]

RESULTS_ID = "parreport-axe-results"
RUN_AXE = """
window.addEventListener("load", function () {
  function report(data) {
    var out = document.createElement("script");
    out.type = "application/json";
    out.id = "%(id)s";
    out.textContent = JSON.stringify(data).replace(/</g, "\\\\u003c");
    document.body.appendChild(out);
  }
  axe.run(document).then(function (results) {
    report({
      passes: results.passes.map(function (rule) { return rule.id; }),
      violations: results.violations.map(function (rule) {
        return {id: rule.id, impact: rule.impact, help: rule.help, nodes: rule.nodes.map(function (node) {
          return {target: node.target, html: node.html.slice(0, 300), why: node.failureSummary};
        })};
      })
    });
  }, function (error) { report({error: String(error)}); });
});
""" % {"id": RESULTS_ID}


def axe_results(html: str, folder: Path) -> dict:
    """axe-core's passes (rule ids) and violations on the page ``html``, run in headless Chromium."""
    axe = AXE_CORE.read_text(encoding="utf-8").replace("</script", "<\\/script")
    page = folder / "page.html"
    page.write_text(html.replace("</head>", f"<script>{axe}</script><script>{RUN_AXE}</script></head>", 1),
                    encoding="utf-8")
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         f"--user-data-dir={folder / 'profile'}", "--virtual-time-budget=60000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=300)
    found = re.search(rf'<script type="application/json" id="{RESULTS_ID}">(.*?)</script>', done.stdout, re.S)
    assert found, f"axe-core left no results (Chromium exited {done.returncode}): {done.stderr[-2000:]}"
    results = json.loads(found[1])
    assert "error" not in results, results.get("error")
    return results


def test_the_report_page_has_no_serious_or_critical_accessibility_violation(briefing_source, tmp_path):
    html = briefing_source.html
    assert "</head>" in html
    results = axe_results(html, tmp_path)
    # the rules that matter most for this page did run on it, and passed
    assert {"html-has-lang", "html-lang-valid", "document-title", "image-alt", "color-contrast",
            "th-has-data-cells", "heading-order", "landmark-one-main"} <= set(results["passes"])
    serious = [violation for violation in results["violations"] if violation["impact"] in ("serious", "critical")]
    assert serious == [], json.dumps(serious, ensure_ascii=False, indent=1)
