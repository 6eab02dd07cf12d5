// Site-wide behaviour. No inline scripts (CSP): everything starts here or in a feature file.
(function () {
  "use strict";
  if (window.htmx) {
    // htmx would otherwise inject an inline <style>, which the CSP forbids.
    htmx.config.includeIndicatorStyles = false;
    htmx.config.allowEval = false;
  }
  document.addEventListener("DOMContentLoaded", function () {
    // Move focus to an error summary so screen-reader users hear what went wrong.
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  });
})();
