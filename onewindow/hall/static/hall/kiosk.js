/* The ticket dispenser. The ticket page: print it (an 80 mm thermal printer through the browser's
 * print dialog; chromium --kiosk-printing prints without asking), then go back to the business
 * buttons after data-return-after seconds. The business buttons: reload after data-refresh-idle
 * seconds without a touch or a key (fresh waiting counts and opening hours, and the device's
 * session never reaches the idle limit), never while someone is typing. */
(function () {
  "use strict";
  var body = document.body;
  if (body.getAttribute("data-autoprint") === "1") {
    window.setTimeout(function () { window.print(); }, 200);
  }
  var back = body.getAttribute("data-return-url");
  if (back) {
    var after = parseInt(body.getAttribute("data-return-after") || "30", 10) * 1000;
    window.setTimeout(function () { window.location.assign(back); }, after);
  }
  var idle = parseInt(body.getAttribute("data-refresh-idle") || "0", 10) * 1000;
  if (idle > 0) {
    var timer = null;
    var arm = function () {
      if (timer !== null) { window.clearTimeout(timer); }
      timer = window.setTimeout(function () { window.location.reload(); }, idle);
    };
    ["pointerdown", "keydown", "input"].forEach(function (name) {
      document.addEventListener(name, arm, true);
    });
    arm();
  }
})();
