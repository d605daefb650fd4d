// The reader's helpers, for every page; each works on what the page has, and the page works without it.
// - Printed pages: the arrow keys (and a swipe on a touch screen) follow the links marked data-key.
// - Article pages: the font size (大/中/小, kept in localStorage; _head.html applies it before the
//   page is drawn, with the class `js` that shows these tools), print, and copy the page's link.
(function () {
  "use strict";
  var KEY = "newsdigest-size";

  function follow(key) {
    var link = document.querySelector('a[data-key="' + key + '"]');
    if (link) location.href = link.href;
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || event.defaultPrevented) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    if (event.key === "ArrowLeft" || event.key === "ArrowRight") follow(event.key);
  });

  var start = null;
  document.addEventListener("touchstart", function (event) {
    start = event.touches.length === 1 ? { x: event.touches[0].clientX, y: event.touches[0].clientY } : null;
  }, { passive: true });
  document.addEventListener("touchend", function (event) {
    if (!start || event.changedTouches.length !== 1) return;
    var dx = event.changedTouches[0].clientX - start.x, dy = event.changedTouches[0].clientY - start.y;
    start = null;
    if (Math.abs(dx) > 80 && Math.abs(dy) < Math.abs(dx) / 2) follow(dx < 0 ? "ArrowRight" : "ArrowLeft");
  }, { passive: true });

  var tools = document.querySelector(".reading-tools");
  if (!tools) return;
  var root = document.documentElement;
  function show(size) {
    tools.querySelectorAll("button[data-size]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.size === size));
    });
  }
  show(root.dataset.size || "medium");
  tools.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    if (button.dataset.size) {
      root.dataset.size = button.dataset.size;
      try { localStorage.setItem(KEY, button.dataset.size); } catch (e) { /* private mode: this page only */ }
      show(button.dataset.size);
    } else if (button.dataset.action === "print") {
      window.print();
    } else if (button.dataset.action === "copy") {
      var status = tools.querySelector(".tool-status");
      var url = button.dataset.url || location.href;
      var done = function () { status.textContent = button.dataset.done; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(done, function () { window.prompt("", url); });
      } else {
        window.prompt("", url);
      }
    }
  });
})();
