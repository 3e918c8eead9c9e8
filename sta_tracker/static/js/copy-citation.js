// Copy a clause's citation to the clipboard. Without this script the buttons stay hidden and the
// citation text next to them remains visible and selectable.
(function () {
  "use strict";

  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  document.body.appendChild(status);

  function announce(button, message) {
    status.textContent = message;
    var label = button.firstChild;
    var original = label.nodeValue;
    label.nodeValue = message;
    window.setTimeout(function () { label.nodeValue = original; }, 2000);
  }

  // Why: navigator.clipboard exists only on secure origins; plain-HTTP intranet installs fall back
  // to selecting the visible citation and the older copy command.
  function copyBySelection(button) {
    var text = button.parentNode.querySelector(".citation");
    if (!text) { return false; }
    var range = document.createRange();
    range.selectNodeContents(text);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    try { return document.execCommand("copy"); } catch (e) { return false; }
  }

  // Why: once the buttons work, the long citation lines are only noise on screen; they stay in
  // the page (visually hidden) for screen readers and for the selection fallback.
  document.documentElement.classList.add("js-copy");
  document.querySelectorAll("button.copy-citation").forEach(function (button) {
    button.hidden = false;
    button.title = button.getAttribute("data-citation");
    button.addEventListener("click", function () {
      var citation = button.getAttribute("data-citation");
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(citation).then(
          function () { announce(button, "Citation copied"); },
          function () { announce(button, copyBySelection(button) ? "Citation copied" : "Select the citation to copy it"); }
        );
      } else {
        announce(button, copyBySelection(button) ? "Citation copied" : "Select the citation to copy it");
      }
    });
  });
})();
