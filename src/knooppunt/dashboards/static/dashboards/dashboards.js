// Dashboards: print button, and interactive charts (tooltips) where Vega-Embed is loaded.
// The server-rendered SVG stays in the page: it is what prints and what shows without JS.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });
  function enhance() {
    if (typeof window.vegaEmbed !== "function") { return; }
    document.querySelectorAll("figure[data-vega-spec]").forEach(function (figure) {
      var source = document.getElementById(figure.getAttribute("data-vega-spec"));
      var still = figure.querySelector("svg.chart-svg");
      if (!source || !still) { return; }
      var spec = JSON.parse(source.textContent);
      spec.width = "container";
      var holder = document.createElement("div");
      holder.setAttribute("aria-hidden", "true");  // the SVG and the table stay the accessible view
      figure.appendChild(holder);
      // Under the Content-Security-Policy: Vega's expression interpreter instead of eval,
      // and no <style> elements injected (their rules are in dashboards.css).
      var options = { actions: false, renderer: "svg", defaultStyle: false,
                      tooltip: { disableDefaultStyle: true } };
      if (window.vega && window.vega.expressionInterpreter) {
        options.ast = true;
        options.expr = window.vega.expressionInterpreter;
      }
      window.vegaEmbed(holder, spec, options)
        // The still stays for screen readers (its title and description) and for printing.
        .then(function () { still.classList.add("visually-hidden", "dash-still"); })
        .catch(function () { holder.remove(); });
    });
  }
  window.addEventListener("load", enhance);
  // Printing shows every table, also those folded away under a chart.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("svg.dash-still").forEach(function (svg) {
      svg.classList.remove("visually-hidden");
    });
    document.querySelectorAll("details.dash-details").forEach(function (d) {
      if (!d.open) { d.open = true; d.setAttribute("data-print-opened", ""); }
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("svg.dash-still").forEach(function (svg) {
      svg.classList.add("visually-hidden");
    });
    document.querySelectorAll("details[data-print-opened]").forEach(function (d) {
      d.open = false; d.removeAttribute("data-print-opened");
    });
  });
})();
