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
      document.body.dataset.sparar = pending.size ? "1" : "0";
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

  function enqueue(svar, issue) {
    queue = queue.filter(function (item) { return item.svar !== svar; });
    queue.push({ svar: svar, issue: issue });
    if (!busy) { next(); }
  }

  // A radio choice is saved once it has settled: arrow keys move the choice (and fire
  // "change") at every step, so wait until no new choice has come for SETTLE ms, or until
  // focus leaves the group. Two arrow presses leave one saved answer, not two.
  var SETTLE = 700;
  var pending = new Map(); // .svar element -> {timer, issue}
  function flush(svar) {
    var p = pending.get(svar);
    if (!p) { return; }
    clearTimeout(p.timer);
    pending.delete(svar);
    enqueue(svar, p.issue);
  }
  document.body.addEventListener("focusout", function (evt) {
    var group = evt.target.closest && evt.target.closest("fieldset.svar__val");
    if (!group || (evt.relatedTarget && group.contains(evt.relatedTarget))) { return; }
    flush(svarFor(group));
  });
  window.addEventListener("pagehide", function () { pending.forEach(function (p, svar) { flush(svar); }); });

  document.body.addEventListener("htmx:confirm", function (evt) {
    var svar = svarFor(evt.detail.elt);
    if (!svar || evt.detail.verb !== "post") { return; }
    evt.preventDefault();
    var trigger = evt.detail.triggeringEvent;
    if (trigger && trigger.type === "change" && trigger.target && trigger.target.type === "radio") {
      var p = pending.get(svar);
      if (p) { clearTimeout(p.timer); }
      document.body.dataset.sparar = "1";
      pending.set(svar, {
        issue: evt.detail.issueRequest,
        timer: setTimeout(function () { flush(svar); }, SETTLE)
      });
      return;
    }
    pending.delete(svar); // a later save of the criterion carries the radio's value too
    enqueue(svar, evt.detail.issueRequest);
  });

  // Press Enter in the in-place action form: add the action, do not submit the theme.
  document.body.addEventListener("keydown", function (evt) {
    if (evt.key !== "Enter" || !evt.target.closest) { return; }
    var form = evt.target.closest(".atgard-ny__form");
    if (!form || evt.target.tagName === "TEXTAREA" || evt.target.tagName === "BUTTON") { return; }
    evt.preventDefault();
    var knapp = form.querySelector("button");
    if (knapp) { knapp.click(); }
  });
  // Changes inside the action form are not the criterion's answer: keep them from its autosave.
  document.body.addEventListener("change", function (evt) {
    if (evt.target.closest && evt.target.closest(".atgard-ny")) { evt.stopPropagation(); }
  }, true);
  // The loaded form (or its confirmation) takes the focus, so keyboard users land in it.
  document.body.addEventListener("htmx:afterSwap", function (evt) {
    if (!evt.detail.target.classList || !evt.detail.target.classList.contains("atgard-ny")) { return; }
    var fokus = evt.detail.target.querySelector(".error-summary, h2, [role=status]");
    if (fokus) { fokus.setAttribute("tabindex", "-1"); fokus.focus(); }
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
