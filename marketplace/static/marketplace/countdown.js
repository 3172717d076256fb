/* Countdowns: each <time data-countdown datetime="…"> shows the time left, redrawn every second.
 *
 * The elements are looked up again on every tick, so when htmx swaps in a new live part — with
 * a later closing time after a soft close — the countdown follows the new time. The words come
 * from the page, in its language: data-countdown-template ("Closes in {time}") and
 * data-countdown-ended. Without JavaScript the server's "Closes in 3 minutes" stays.
 */
(function () {
  "use strict";

  function twoDigits(number) {
    return number < 10 ? "0" + number : String(number);
  }

  // 49:05:09 rather than days: the same in every language.
  function timeLeft(milliseconds) {
    var seconds = Math.floor(milliseconds / 1000);
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    return hours + ":" + twoDigits(minutes) + ":" + twoDigits(seconds % 60);
  }

  function parseMoment(value) {
    // Python writes microseconds; Date.parse is only sure to read milliseconds.
    return Date.parse(String(value).replace(/(\.\d{3})\d+/, "$1"));
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("time[data-countdown]").forEach(function (element) {
      var end = parseMoment(element.getAttribute("datetime"));
      if (isNaN(end)) {
        return;
      }
      var text = end > now
        ? element.dataset.countdownTemplate.replace("{time}", timeLeft(end - now))
        : element.dataset.countdownEnded;
      if (element.textContent !== text) {
        element.textContent = text;
      }
    });
  }

  tick();
  window.setInterval(tick, 1000);
  document.addEventListener("htmx:afterSwap", tick);
})();
