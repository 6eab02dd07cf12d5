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

  if (window.htmx) {
    window.htmx.onLoad(rita);
  } else {
    document.addEventListener("DOMContentLoaded", function () { rita(document); });
  }
})();
