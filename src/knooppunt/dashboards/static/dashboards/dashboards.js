// Dashboards: print button, and every table shown when printing. The charts are
// server-rendered SVG; Vega-Embed is not loaded, as it needs eval (CSP, decision 0029).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });
  // Printing shows every table, also those folded away under a chart.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.dash-details").forEach(function (d) {
      if (!d.open) { d.open = true; d.setAttribute("data-print-opened", ""); }
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details[data-print-opened]").forEach(function (d) {
      d.open = false; d.removeAttribute("data-print-opened");
    });
  });
})();
