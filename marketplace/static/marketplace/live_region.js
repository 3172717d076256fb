/* Regions kept current by htmx polling: the live part of a lot page, the staff live monitor.
 *
 * Loaded (deferred) right after htmx.min.js, so it runs before htmx starts on
 * DOMContentLoaded. It turns off what a strict content security policy would forbid — htmx's
 * eval and the <style> it inserts — and it skips a swap when a poll brings back exactly what
 * the region already shows, so nothing is redrawn and screen readers are not told the same
 * thing every two seconds.
 */
(function () {
  "use strict";
  if (!window.htmx) {
    return;
  }
  window.htmx.config.allowEval = false;
  window.htmx.config.allowScriptTags = false;
  window.htmx.config.includeIndicatorStyles = false;

  document.addEventListener("htmx:beforeSwap", function (event) {
    var region = event.detail.target;
    if (!region || !region.hasAttribute("data-live-region")) {
      return;
    }
    var answer = event.detail.serverResponse;
    if (region.liveLastAnswer === answer) {
      event.detail.shouldSwap = false;
    }
    region.liveLastAnswer = answer;
  });
})();
