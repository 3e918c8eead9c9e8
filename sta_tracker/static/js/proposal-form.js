// The proposal form: "add another" rows for partners and researchers without saving, and a
// warning before attaching a file would reload the page over edits not yet saved. Without this
// script the form still offers empty rows (save for more) and a note beside the attach button.
(function () {
  "use strict";

  var form = document.querySelector("[data-draft-form]");
  if (!form) { return; }

  // --- Add another row ---------------------------------------------------------------------

  function addRow(group) {
    var prefix = group.getAttribute("data-rows");
    var total = group.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var template = group.querySelector("template");
    var body = group.querySelector("tbody");
    var max = parseInt(group.getAttribute("data-max"), 10);
    var index = parseInt(total.value, 10);
    if (!total || !template || !body || index >= max) { return null; }
    // Why both names: Django's empty form says __prefix__; the visible row numbers count from 1.
    var html = template.innerHTML
      .replace(/__prefix__/g, String(index))
      .replace(/__number__/g, String(index + 1));
    body.insertAdjacentHTML("beforeend", html.trim());
    total.value = String(index + 1);
    var row = body.lastElementChild;
    var first = row ? row.querySelector("input:not([type='checkbox'])") : null;
    if (first) { first.focus(); }
    return row;
  }

  Array.prototype.forEach.call(form.querySelectorAll("[data-rows]"), function (group) {
    var button = group.querySelector("[data-add-row]");
    var hint = group.querySelector("[data-rows-hint]");
    if (!button) { return; }
    button.hidden = false;
    if (hint) { hint.textContent = "Add as many rows as you need before saving."; }
    function update() {
      var total = group.querySelector("input[name$='-TOTAL_FORMS']");
      var max = parseInt(group.getAttribute("data-max"), 10);
      button.disabled = parseInt(total.value, 10) >= max;
    }
    button.addEventListener("click", function () {
      addRow(group);
      update();
    });
    update();
  });

  // The researchers' institution suggestions follow the institutions as they are typed.
  var names = document.getElementById("institution-names");
  var institutions = form.querySelector("[data-rows='institutions']");
  function refreshNames() {
    if (!names || !institutions) { return; }
    var seen = {};
    names.innerHTML = "";
    Array.prototype.forEach.call(
      institutions.querySelectorAll("input[name$='-name']"),
      function (input) {
        var value = input.value.trim();
        if (value && !seen[value]) {
          seen[value] = true;
          var option = document.createElement("option");
          option.value = value;
          names.appendChild(option);
        }
      }
    );
  }
  if (institutions) { institutions.addEventListener("change", refreshNames); }

  // --- Unsaved edits ------------------------------------------------------------------------

  var dirty = false;
  function markDirty() { dirty = true; }
  form.addEventListener("input", markDirty);
  form.addEventListener("change", markDirty);
  form.addEventListener("submit", function () { dirty = false; });

  var attach = document.querySelector("[data-attach-form]");
  if (attach) {
    var warning = attach.querySelector("[data-unsaved-warning]");
    var note = attach.querySelector("[data-attach-note]");
    var warned = false;
    attach.addEventListener("submit", function (event) {
      if (dirty && !warned && warning) {
        event.preventDefault();
        warned = true;
        warning.hidden = false;
        if (note) { note.hidden = true; }
        warning.focus();
        return;
      }
      dirty = false;
    });
    if (warning) { warning.setAttribute("tabindex", "-1"); }
  }

  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
}());
