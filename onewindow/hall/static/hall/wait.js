/* The live wait page: asks GET /api/v1/public/queue/wait/{token} every data-poll ms and shows
 * the ticket's status, place and estimated wait (without JavaScript a <noscript> refresh). */
(function () {
  "use strict";
  var body = document.body;
  var url = body.getAttribute("data-state-url");
  if (!url || !window.fetch) { return; }
  var poll = parseInt(body.getAttribute("data-poll") || "10000", 10) || 10000;
  var i18n = document.getElementById("i18n");
  var go = i18n ? i18n.getAttribute("data-go") : "__W__";

  function set(name, value) {
    var node = document.querySelector('[data-field="' + name + '"]');
    if (node) { node.textContent = String(value); }
    return node;
  }

  function draw(state) {
    var status = set("status", state.window ? go.replace("__W__", state.window) : state.status_label);
    if (status) { status.className = "wait-status wait-" + state.status; }
    body.setAttribute("data-status", state.status);
    set("business", state.business);
    set("position", state.position);
    set("ahead", state.ahead);
    set("estimate_minutes", state.estimate_minutes);
    set("windows", state.windows.join(" "));
    var facts = document.querySelector("[data-waiting]");
    if (facts) { facts.hidden = state.status !== "waiting"; }
    var note = document.querySelector('[data-field="estimate_note"]');
    if (note) { note.hidden = !(state.status === "waiting" && state.estimate_default); }
    if (state.status === "called" && navigator.vibrate) { navigator.vibrate([300, 100, 300]); }
  }

  var failures = 0;
  function loop() {
    window.fetch(url, { cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (state) { failures = 0; draw(state); }, function () { failures += 1; })
      .then(function () {
        var done = ["served", "skipped", "void", "not_served"].indexOf(body.getAttribute("data-status")) >= 0;
        if (!done) { window.setTimeout(loop, failures ? Math.min(60000, poll * Math.pow(2, failures)) : poll); }
      });
  }
  window.setTimeout(loop, poll);
})();
