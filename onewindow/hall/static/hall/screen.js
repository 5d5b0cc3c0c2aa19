/* The hall screen and a window's display (onewindow.portal.hall): no inline script (CSP).
 * Polls GET /api/v1/queue/hall?center=&since=<version>&after=<last announcement> every
 * data-poll ms: 204 while the board's version has not moved, else the whole state, which is
 * drawn again and whose new announcements go to the voice queue (voice.js). After a network
 * loss it retries with a growing pause, shows "reconnecting", then asks for the whole state. */
(function () {
  "use strict";
  var body = document.body;
  var url = body.getAttribute("data-state-url");
  if (!url || !window.fetch) { return; }
  var center = body.getAttribute("data-center") || "";
  var poll = parseInt(body.getAttribute("data-poll") || "500", 10) || 500;
  var version = body.getAttribute("data-version");
  var lastAnnouncement = parseInt(body.getAttribute("data-last-announcement") || "0", 10) || 0;
  var windowCode = body.getAttribute("data-window");
  var offline = document.querySelector("[data-offline]");
  var i18n = document.getElementById("i18n");
  var words = i18n ? i18n.dataset : {};
  var failures = 0;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function fill(name, nodes) {
    var box = document.querySelector('[data-section="' + name + '"]');
    if (!box) { return; }
    box.replaceChildren.apply(box, nodes);
  }
  function statusText(w) {
    if (w.status === "open") { return ""; }
    var text = w.status_label;
    if (w.message) { text += " · " + w.message; }
    if (w.back) { text += " · " + (words.back || "") + " " + w.back; }
    return text;
  }

  function drawScreen(state) {
    var calls = state.calls.slice(0, 6).map(function (c, i) {
      var li = el("li", "call" + (i === 0 ? " call-new" : ""));
      li.append(el("span", "call-number", c.number), el("span", "call-arrow", "→"), el("span", "call-window", c.window));
      return li;
    });
    if (!calls.length) { calls = [el("li", "call-none", words.none || "")]; }
    fill("calls", calls);
    fill("recent", state.recent.map(function (c) {
      var li = el("li");
      li.append(el("span", "", c.number), el("span", "", c.window), el("span", "", c.at));
      return li;
    }));
    fill("waiting", state.waiting.map(function (b) {
      var li = el("li");
      li.append(el("span", "waiting-letter", b.letter), el("span", "waiting-name", b.name), el("span", "waiting-count", b.waiting));
      return li;
    }));
    fill("windows", state.windows.map(function (w) {
      var li = el("li", "window window-" + w.status);
      li.append(el("span", "window-code", w.code), el("span", "window-current", w.current), el("span", "window-status", statusText(w)));
      return li;
    }));
    var results = state.results.map(function (r) {
      var tr = el("tr");
      [r.number, r.item, r.applicant, r.result, r.at].forEach(function (v) { tr.append(el("td", "", v)); });
      return tr;
    });
    if (!results.length) {
      var none = el("td", "results-none", words.noResults || "");
      none.colSpan = 5;
      var row = el("tr");
      row.append(none);
      results = [row];
    }
    fill("results", results);
    fill("notices", state.notices.map(function (n) { return el("p", "", n); }));
  }

  function drawWindow(state) {
    var mine = null;
    state.windows.forEach(function (w) { if (w.code === windowCode) { mine = w; } });
    if (!mine) { return; }
    body.className = body.className.replace(/\bwindow-(open|paused|away|closed)\b/, "window-" + mine.status);
    var current = document.querySelector('[data-field="current"]');
    if (current) { current.textContent = mine.current || "—"; }
    var status = document.querySelector('[data-field="status"]');
    if (status) { status.textContent = statusText(mine); }
  }

  function draw(state) {
    if (windowCode) { drawWindow(state); } else { drawScreen(state); }
    var fresh = (state.announcements || []).filter(function (a) { return a.id > lastAnnouncement; });
    if (fresh.length && window.hallVoice) { window.hallVoice.enqueue(fresh); }
    fresh.forEach(function (a) { lastAnnouncement = Math.max(lastAnnouncement, a.id); });
    lastAnnouncement = Math.max(lastAnnouncement, state.last_announcement || 0);
    version = String(state.version);
    body.setAttribute("data-version", version);
    body.setAttribute("data-last-announcement", String(lastAnnouncement));
  }

  function ask() {
    var query = "?center=" + encodeURIComponent(center);
    if (window.hallVoice) { query += "&after=" + lastAnnouncement; }
    if (version !== null && failures === 0) { query += "&since=" + encodeURIComponent(version); }
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? window.setTimeout(function () { controller.abort(); }, 8000) : null;
    return window.fetch(url + query, { cache: "no-store", signal: controller ? controller.signal : undefined })
      .then(function (response) {
        if (timer) { window.clearTimeout(timer); }
        if (response.status === 204) { return null; }
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      });
  }

  function loop() {
    ask().then(function (state) {
      if (state) { draw(state); }
      failures = 0;
      if (offline) { offline.hidden = true; }
      window.setTimeout(loop, poll);
    }, function () {
      failures += 1;
      if (offline) { offline.hidden = false; }
      // 1 s, 2 s, 4 s … at most 30 s; the next success draws the whole state (no `since`)
      window.setTimeout(loop, Math.min(30000, 1000 * Math.pow(2, failures - 1)));
    });
  }

  var clock = document.querySelector("[data-clock]");
  if (clock) {
    window.setInterval(function () {
      var now = new Date();
      clock.textContent = ("0" + now.getHours()).slice(-2) + ":" + ("0" + now.getMinutes()).slice(-2);
    }, 1000);
  }
  window.setTimeout(loop, poll);
})();
