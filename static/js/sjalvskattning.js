// The self-assessment form: autosave over htmx (attributes in the template).
//
// - Saves are sent one at a time, in order, for the whole page. A criterion waiting in the
//   queue keeps only its latest request: each request carries all of that criterion's fields
//   (hx-params), collected when it is sent, so nothing typed is dropped.
// - Refusals come back as 409 (someone else saved first) or 422 (invalid input) with a
//   partial that explains them; htmx would not swap those by default, so let it.
// - A failed request (server error, no network) never looks like a save: it says so.
(function () {
  "use strict";
  if (!window.htmx) { return; }
  var queue = [];
  var busy = false;
  var current = null;
  var watchdog = null;

  function svarFor(elt) { return elt && elt.closest ? elt.closest(".svar") : null; }

  function next() {
    clearTimeout(watchdog);
    current = queue.shift() || null;
    if (!current) {
      busy = false;
      document.body.dataset.sparar = "0";
      return;
    }
    busy = true;
    document.body.dataset.sparar = "1";
    // If htmx decides not to send it after all, do not let the queue stall.
    watchdog = setTimeout(next, 20000);
    current.issue(true);
  }

  document.body.addEventListener("htmx:afterRequest", function (evt) {
    if (current && svarFor(evt.detail.elt) === current.svar) { next(); }
  });

  document.body.addEventListener("htmx:confirm", function (evt) {
    var svar = svarFor(evt.detail.elt);
    if (!svar || evt.detail.verb !== "post") { return; }
    evt.preventDefault();
    queue = queue.filter(function (item) { return item.svar !== svar; });
    queue.push({ svar: svar, issue: evt.detail.issueRequest });
    if (!busy) { next(); }
  });

  document.body.addEventListener("htmx:beforeSwap", function (evt) {
    var status = evt.detail.xhr.status;
    if (status === 409 || status === 422) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });

  function showError(evt, text) {
    var svar = svarFor(evt.detail.elt);
    var status = svar ? svar.querySelector(".svar__status") : null;
    if (!status) { return; }
    var gammal = status.querySelector(".sparat");
    if (gammal) { gammal.remove(); }
    var p = document.createElement("p");
    p.className = "field-error";
    p.textContent = text;
    status.appendChild(p);
  }
  document.body.addEventListener("htmx:responseError", function (evt) {
    if (evt.detail.xhr.status !== 409 && evt.detail.xhr.status !== 422) {
      showError(evt, "Kunde inte spara (fel på servern). Ändra svaret igen eller ladda om sidan.");
    }
  });
  document.body.addEventListener("htmx:sendError", function (evt) {
    showError(evt, "Kunde inte spara: ingen kontakt med servern. Försök igen.");
  });
})();
