// Refreshes each [data-live] region from its URL every data-every seconds (a fragment
// of server-rendered HTML, as htmx's polling does), keeping the rest of the page still.
(function () {
  "use strict";
  function refresh(region) {
    fetch(region.dataset.live, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (answer) { return answer.ok ? answer.text() : null; })
      .then(function (html) {
        if (html !== null && region.innerHTML !== html) {
          region.innerHTML = html;
        }
        if (region.hasAttribute("data-until") && region.querySelector(region.dataset.until)) {
          return; // the awaited state arrived: stop polling
        }
        schedule(region);
      })
      .catch(function () { schedule(region); });
  }
  function schedule(region) {
    window.setTimeout(function () { refresh(region); }, 1000 * Number(region.dataset.every || 5));
  }
  document.querySelectorAll("[data-live]").forEach(schedule);
})();
