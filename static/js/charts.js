// Draws the plotly figures that the server built (uppfoljning/charts.py) and handed over
// through json_script. Runs on page load and again after every htmx swap (htmx.onLoad).
// Each chart has a table and a one-line summary beside it, so the figure is hidden from
// screen readers (aria-hidden on the container).
(function () {
  "use strict";
  var CONFIG = { locale: "sv", displayModeBar: false, responsive: true };

  function rita(rot) {
    if (!window.Plotly) { return; }
    var behallare = rot.querySelectorAll ? rot.querySelectorAll("[data-figur]") : [];
    Array.prototype.forEach.call(behallare, function (el) {
      var data = document.getElementById(el.getAttribute("data-figur"));
      if (!data) { return; }
      var figur = JSON.parse(data.textContent);
      window.Plotly.newPlot(el, figur.data, figur.layout, CONFIG);
    });
  }

  // Filter forms marked data-utan-tomma send (and push to the URL) only the fields in use,
  // so a shared link reads ?driftsform=privat rather than a row of empty parameters.
  document.addEventListener("htmx:configRequest", function (evt) {
    if (!evt.detail.elt.closest || !evt.detail.elt.closest("[data-utan-tomma]")) { return; }
    var params = evt.detail.parameters;
    Object.keys(params).forEach(function (k) { if (params[k] === "") { delete params[k]; } });
  });

  // htmx keeps a snapshot of the page for the back button. A drawn chart carries style
  // attributes that the CSP would refuse when the snapshot is restored, so empty the charts
  // before the snapshot is taken and draw them again from their JSON after a restore.
  document.addEventListener("htmx:beforeHistorySave", function () {
    if (!window.Plotly) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("[data-figur]"), function (el) {
      window.Plotly.purge(el);
      el.replaceChildren();
      el.removeAttribute("style");
    });
    var tester = document.getElementById("js-plotly-tester");  // plotly re-creates it on demand
    if (tester) { tester.remove(); }
  });
  document.addEventListener("htmx:historyRestore", function () { rita(document); });

  if (window.htmx) {
    window.htmx.onLoad(rita);
  } else {
    document.addEventListener("DOMContentLoaded", function () { rita(document); });
  }
})();
