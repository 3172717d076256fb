// Keeps the home page's session countdown current without reloading. The server renders the
// same words first, so the page reads correctly without JavaScript.
(function () {
  "use strict";
  var element = document.querySelector("[data-countdown-to]");
  if (!element) {
    return;
  }
  var target = Date.parse(element.getAttribute("data-countdown-to"));
  var template = element.getAttribute("data-countdown-template");
  if (isNaN(target) || !template) {
    return;
  }
  function render() {
    var minutesLeft = Math.max(0, Math.floor((target - Date.now()) / 60000));
    element.textContent = template
      .replace("{days}", Math.floor(minutesLeft / 1440))
      .replace("{hours}", Math.floor((minutesLeft % 1440) / 60))
      .replace("{minutes}", minutesLeft % 60);
  }
  render();
  window.setInterval(render, 30000);
})();
