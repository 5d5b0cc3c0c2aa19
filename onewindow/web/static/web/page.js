/* Behaviour that pages declare with data- attributes instead of inline handlers, so that the
 * Content-Security-Policy can forbid inline script (docs/security.md, "headers"):
 * - data-autosubmit on a select or checkbox: a change submits its form (filters, the language);
 * - data-print on a button: opens the browser's print dialog.
 * Loaded by every base template and the print pages; no dependencies. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field && field.form && field.hasAttribute && field.hasAttribute("data-autosubmit")) {
      field.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    var target = event.target;
    var button = target && target.closest ? target.closest("[data-print]") : null;
    if (button) {
      event.preventDefault();
      window.print();
    }
  });
})();
