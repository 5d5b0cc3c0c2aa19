/* The ticket dispenser's ticket page: print it (an 80 mm thermal printer through the browser's
 * print dialog; chromium --kiosk-printing prints without asking), then go back to the business
 * buttons after data-return-after seconds. */
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
})();
