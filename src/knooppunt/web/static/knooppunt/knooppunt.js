/* Knooppunt: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }

  /* An anonymous report never stores who gave it: disable the reporter fields. */
  function bindAnonymousToggle() {
    var box = document.getElementById("id_is_anonymous");
    if (!box) { return; }
    var fields = ["id_reporter_name", "id_reporter_contact"]
      .map(function (id) { return document.getElementById(id); })
      .filter(Boolean);
    function sync() {
      fields.forEach(function (field) {
        field.disabled = box.checked;
        if (box.checked) { field.value = ""; }
      });
    }
    box.addEventListener("change", sync);
    sync();
  }

  /* Escape closes the user menu and returns focus to its button. */
  function bindMenuEscape() {
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") { return; }
      document.querySelectorAll("details.user-menu[open]").forEach(function (menu) {
        menu.removeAttribute("open");
        menu.querySelector("summary").focus();
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary(document);
    bindAnonymousToggle();
    bindMenuEscape();
  });
  /* After htmx replaced a region that held the focus (a page link), put the focus on the
     new content instead of losing it. */
  document.addEventListener("htmx:afterSwap", function (event) {
    var active = document.activeElement;
    if (!active || active === document.body || !document.body.contains(active)) {
      var target = event.detail.target.querySelector("[data-swap-focus]");
      if (target) { target.focus(); }
    }
  });
})();
