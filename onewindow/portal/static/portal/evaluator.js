/* The window evaluator (onewindow.portal.evaluator): no inline script (CSP).
 * - idle and rating screens: ask the state endpoint every 5 s; reload when the window's current
 *   service changes, go to pairing when the device key is no longer valid;
 * - rating screen: a dissatisfied level needs an indicator or a comment (the server checks too);
 * - thank-you screen: back to the evaluator after a few seconds. */
(function () {
  "use strict";
  var body = document.body;

  var stateUrl = body.getAttribute("data-state-url");
  if (stateUrl) {
    var shown = body.getAttribute("data-occasion") || "";
    var pairUrl = body.getAttribute("data-pair-url");
    var busy = false;
    window.setInterval(function () {
      if (busy || !window.fetch) { return; }
      busy = true;
      window.fetch(stateUrl, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (response.status === 401 && pairUrl) { window.location.assign(pairUrl); return null; }
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          if (!data) { return; }
          var now = data.occasion === null || data.occasion === undefined ? "" : String(data.occasion);
          if (now !== shown) {
            // never reload under a person's finger: only when nothing is typed or ticked
            var form = document.querySelector(".ev-form");
            var touched = form && (form.querySelector("input[name=tags]:checked") || (form.querySelector("textarea") || {}).value);
            if (!touched || !shown) { window.location.reload(); }
          }
        })
        .catch(function () { /* offline for a moment: try again */ })
        .then(function () { busy = false; });
    }, 5000);
  }

  var form = document.querySelector(".ev-form");
  if (form) {
    var bad = (form.getAttribute("data-bad-levels") || "").split(" ");
    var error = form.querySelector(".ev-error");
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      var level = button ? button.value : "";
      var tagged = form.querySelector("input[name=tags]:checked");
      var text = (form.querySelector("textarea") || {}).value || "";
      if (bad.indexOf(level) >= 0 && !tagged && !text.trim()) {
        event.preventDefault();
        if (error) {
          error.textContent = error.getAttribute("data-need-reason");
          error.hidden = false;
        }
        var chips = form.querySelector(".ev-chips");
        if (chips) { chips.classList.add("ev-attention"); }
      }
    });
  }

  var back = body.getAttribute("data-return-url");
  if (back) {
    var after = parseInt(body.getAttribute("data-return-after") || "5", 10) * 1000;
    window.setTimeout(function () { window.location.assign(back); }, after);
  }
})();
