// Next and previous change on the compare page, with buttons and the n and p keys. Without this
// script the buttons stay hidden; every change still links to the changes before and after it.
(function () {
  "use strict";

  var nav = document.querySelector("[data-change-nav]");
  var changes = Array.prototype.slice.call(document.querySelectorAll("[data-change]"));
  if (!nav || changes.length === 0) { return; }
  var status = nav.querySelector(".change-status");
  var current = -1;

  function positionOf(id) {
    for (var i = 0; i < changes.length; i += 1) {
      if (changes[i].id === id) { return i; }
    }
    return -1;
  }

  // Why: before the first key press the reader may have scrolled; "next" then means the first
  // change below the top of the window, not the first change on the page.
  function nextFromScroll(step) {
    // A change level with the bar's lower edge counts as below it (sub-pixel layouts).
    var top = nav.getBoundingClientRect().bottom - 2;
    if (step > 0) {
      for (var i = 0; i < changes.length; i += 1) {
        if (changes[i].getBoundingClientRect().top >= top) { return i; }
      }
      return changes.length - 1;
    }
    for (var j = changes.length - 1; j >= 0; j -= 1) {
      if (changes[j].getBoundingClientRect().top < top) { return j; }
    }
    return 0;
  }

  function show(index) {
    var change = changes[index];
    if (current !== -1) { changes[current].classList.remove("cmp-current"); }
    current = index;
    change.classList.add("cmp-current");
    // Why: replaceState keeps one history entry however many changes are stepped through,
    // while the address still names the change for copying.
    window.history.replaceState(null, "", "#" + change.id);
    change.scrollIntoView({ block: "start" });
    change.focus({ preventScroll: true });
    status.textContent = "Change " + (index + 1) + " of " + changes.length + ": " +
      change.getAttribute("data-label");
  }

  function go(step) {
    var here = current !== -1 ? current : positionOf(decodeURIComponent(window.location.hash.slice(1)));
    var target = here === -1 ? nextFromScroll(step) : here + step;
    if (target < 0 || target >= changes.length) {
      status.textContent = step > 0 ? "That was the last change." : "That was the first change.";
      return;
    }
    show(target);
  }

  nav.hidden = false;
  nav.querySelector('[data-go="next"]').addEventListener("click", function () { go(1); });
  nav.querySelector('[data-go="previous"]').addEventListener("click", function () { go(-1); });

  window.addEventListener("hashchange", function () {
    var found = positionOf(decodeURIComponent(window.location.hash.slice(1)));
    if (found !== -1) {
      if (current !== -1) { changes[current].classList.remove("cmp-current"); }
      current = found;
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var target = event.target;
    if (target.isContentEditable || (target.closest && target.closest("input, textarea, select"))) {
      return;
    }
    if (event.key === "n") { go(1); } else if (event.key === "p") { go(-1); } else { return; }
    event.preventDefault();
  });
})();
