// The self-assessment form: autosave over htmx (attributes in the template).
// Refusals come back as 409 (someone else saved first) or 422 (invalid input) with a
// partial that explains them; htmx would not swap those by default, so let it.
(function () {
  "use strict";
  if (!window.htmx) { return; }
  document.body.addEventListener("htmx:beforeSwap", function (evt) {
    var status = evt.detail.xhr.status;
    if (status === 409 || status === 422) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });
  // A network failure must never look like a save: say so beside the criterion.
  document.body.addEventListener("htmx:sendError", function (evt) {
    var target = evt.detail.target;
    if (target && target.classList.contains("svar__status")) {
      var p = document.createElement("p");
      p.className = "field-error";
      p.textContent = "Kunde inte spara: ingen kontakt med servern. Försök igen.";
      target.appendChild(p);
    }
  });
})();
