/* The intake form (窗口收件), progressive enhancement only: the form works without it.
 * - "Handed in (all)" ticks or clears every material; the server reads the same box too.
 * - Applicant kind "enterprise" switches the ID field to the unified social credit code
 *   (统一社会信用代码) and shows the legal representative; "person" hides them again.
 * No dependencies; loaded by web/cases/intake.html. */
(function () {
  "use strict";
  var form = document.querySelector('form[data-testid="intake-form"]');
  if (!form) { return; }

  var all = form.querySelector('input[name="all_received"]');
  var boxes = function () {
    return Array.prototype.slice.call(form.querySelectorAll('input[type="checkbox"][name$="_received"]'))
      .filter(function (b) { return b !== all; });
  };
  if (all) {
    var sync = function () {
      var list = boxes();
      all.checked = list.length > 0 && list.every(function (b) { return b.checked; });
    };
    all.addEventListener("change", function () {
      boxes().forEach(function (b) { b.checked = all.checked; });
    });
    boxes().forEach(function (b) { b.addEventListener("change", sync); });
    sync();
  }

  var idType = form.querySelector('select[name="applicant_id_type"]');
  var idRow = form.querySelector('[data-field="applicant_id_number"] label');
  var personId = form.querySelector(".js-person-id");
  var enterprise = form.querySelector(".enterprise-only");
  var usccLabel = form.getAttribute("data-uscc-label") || "";
  var idLabel = form.getAttribute("data-id-label") || "";
  var kindChanged = function () {
    var checked = form.querySelector('input[name="applicant_kind"]:checked');
    var isEnterprise = checked && checked.value === "enterprise";
    if (enterprise) { enterprise.hidden = !isEnterprise; }
    if (personId) { personId.hidden = !!isEnterprise; }
    if (idType && isEnterprise && idType.value !== "uscc" && idType.value !== "other") { idType.value = "uscc"; }
    if (idType && !isEnterprise && idType.value === "uscc") { idType.value = "resident_id"; }
    if (idRow && usccLabel && idLabel) { idRow.textContent = (isEnterprise ? usccLabel : idLabel) + " *"; }
  };
  Array.prototype.forEach.call(form.querySelectorAll('input[name="applicant_kind"]'), function (r) {
    r.addEventListener("change", kindChanged);
  });
  kindChanged();
})();
