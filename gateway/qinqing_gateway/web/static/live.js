// Refreshes each [data-live] region from its URL (a fragment of server-rendered HTML, as
// htmx does), keeping the rest of the page still: every data-every seconds; or, where the
// region has data-events, as soon as the server says a step happened (server-sent
// events; the browser connects again after each stream's end), looking again now and
// then in case a step's news came before its record.
(function () {
  "use strict";
  function done(region) {
    return region.hasAttribute("data-until") && region.querySelector(region.dataset.until);
  }
  function refresh(region, then) {
    fetch(region.dataset.live, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (answer) { return answer.ok ? answer.text() : null; })
      .then(function (html) {
        if (html !== null && region.innerHTML !== html) {
          region.innerHTML = html;
        }
        then(done(region));
      })
      .catch(function () { then(false); });
  }
  function schedule(region, seconds) {
    window.setTimeout(function () {
      refresh(region, function (finished) {
        if (!finished) { schedule(region, seconds); } // the awaited state: stop asking
      });
    }, 1000 * seconds);
  }
  function every(region) { return Number(region.dataset.every || 5); }
  function follow(region) {
    var source = new EventSource(region.dataset.events);
    var polling = false;
    var opened = 0;
    source.onopen = function () { // connected again after a stream's end: a step may have passed
      opened += 1;
      if (opened > 1) { refresh(region, function (finished) { if (finished) { stop(); } }); }
    };
    function stop() {
      source.close();
    }
    function poll() { // the stream is over or unavailable: ask as before
      stop();
      if (!polling) { polling = true; schedule(region, every(region)); }
    }
    source.addEventListener("step", function () {
      window.qinqingSteps = (window.qinqingSteps || 0) + 1;
      refresh(region, function (finished) {
        if (finished) { stop(); return; }
        window.setTimeout(function () { // its record may lag its news a moment
          refresh(region, function (now) { if (now) { stop(); } });
        }, 1000);
      });
    });
    source.onerror = function () {
      if (source.readyState === EventSource.CLOSED) { poll(); } // refused, or nothing to follow
    };
    (function safety() { // now and then, in case a step's news was missed
      window.setTimeout(function () {
        if (polling || source.readyState === EventSource.CLOSED) { return; }
        refresh(region, function (finished) { if (finished) { stop(); } else { safety(); } });
      }, 10000 * every(region));
    })();
  }
  // A [data-notify] notice is shown when its page's subject moves on (a request's step),
  // rather than the page redrawn under what the person is typing.
  document.querySelectorAll("[data-notify][data-events]").forEach(function (notice) {
    if (!window.EventSource) { return; }
    var source = new EventSource(notice.dataset.events);
    source.addEventListener("step", function () {
      window.qinqingSteps = (window.qinqingSteps || 0) + 1;
      notice.hidden = false;
      source.close();
    });
  });
  document.querySelectorAll("[data-live]").forEach(function (region) {
    if (region.dataset.events && window.EventSource) {
      follow(region);
    } else {
      schedule(region, every(region));
    }
  });
})();
