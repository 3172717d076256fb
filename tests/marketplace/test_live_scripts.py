"""The live pages' own scripts, run by Node against a stand-in for the few DOM calls they make:
the countdown ticks from <time datetime> and follows a new closing time after a swap; the live
region helper turns off htmx's eval and skips a swap that would change nothing.

Skipped where Node is not installed (the scripts are plain ES5; no packages are needed)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")

# A fake clock and document: elements are plain objects with getAttribute, dataset and
# textContent; listeners and the interval are recorded so the harness can fire them.
HARNESS = r"""
const fs = require("fs");
const vm = require("vm");
const script = fs.readFileSync(process.argv[2], "utf8");
const scenario = process.argv[3];
let now = Date.parse("2026-05-12T10:00:00+08:00");
const listeners = {};
let interval = null;
let elements = [];
function timeElement(datetime) {
  return {
    attributes: {datetime: datetime},
    getAttribute(name) { return this.attributes[name]; },
    dataset: {countdownTemplate: "Closes in {time}", countdownEnded: "Closed"},
    textContent: "server text",
  };
}
const FakeDate = {now: () => now, parse: (value) => Date.parse(value)};
const document = {
  querySelectorAll: () => elements,
  addEventListener: (name, callback) => { listeners[name] = callback; },
};
const window = {setInterval: (callback) => { interval = callback; }};
const results = [];
if (scenario === "countdown") {
  elements = [timeElement("2026-05-12T10:01:05.123456+08:00")];
  window.htmx = undefined;
  vm.runInNewContext(script, {window, document, Date: FakeDate, String, isNaN, Math});
  results.push(elements[0].textContent);
  now += 1000;
  interval();
  results.push(elements[0].textContent);
  // htmx swaps in a live part whose closing time a late bid moved on.
  elements = [timeElement("2026-05-12T10:05:00+08:00")];
  listeners["htmx:afterSwap"]();
  results.push(elements[0].textContent);
  now = Date.parse("2026-05-12T10:05:00+08:00");
  interval();
  results.push(elements[0].textContent);
} else {
  window.htmx = {config: {allowEval: true, allowScriptTags: true, includeIndicatorStyles: true}};
  vm.runInNewContext(script, {window, document});
  results.push(window.htmx.config);
  const region = {hasAttribute: (name) => name === "data-live-region"};
  const other = {hasAttribute: () => false};
  const polls = [[region, "A"], [region, "A"], [region, "B"], [other, "B"], [other, "B"]];
  for (const [target, answer] of polls) {
    const detail = {target: target, serverResponse: answer, shouldSwap: true};
    listeners["htmx:beforeSwap"]({detail: detail});
    results.push(detail.shouldSwap);
  }
}
console.log(JSON.stringify(results));
"""


def run(script: str, scenario: str, tmp_path: Path):
    harness = tmp_path / "harness.js"
    harness.write_text(HARNESS)
    completed = subprocess.run(  # noqa: S603 - our own files, no shell
        [NODE, str(harness), finders.find(script), scenario],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(completed.stdout)


def test_the_countdown_ticks_and_follows_a_later_closing_time_after_a_swap(tmp_path):
    assert run("marketplace/countdown.js", "countdown", tmp_path) == [
        "Closes in 0:01:05",
        "Closes in 0:01:04",
        "Closes in 0:04:59",
        "Closed",
    ]


def test_the_live_region_helper_disables_eval_and_skips_swaps_that_change_nothing(tmp_path):
    config, *swaps = run("marketplace/live_region.js", "region", tmp_path)

    assert config == {"allowEval": False, "allowScriptTags": False, "includeIndicatorStyles": False}
    # The same answer twice in a row is not swapped again; other targets are left alone.
    assert swaps == [True, False, True, True, True]
