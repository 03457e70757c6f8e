// tolk default theme: small enhancements; every page works without them.
(function () {
  "use strict";

  // Copy buttons on code blocks.
  document.querySelectorAll(".code-block").forEach(function (block) {
    var button = block.querySelector(".code-copy");
    var code = block.querySelector("pre code");
    if (!button || !code) return;
    button.hidden = false;
    var label = button.textContent;
    button.addEventListener("click", function () {
      var text = code.innerText;
      var done = function () {
        button.textContent = button.getAttribute("data-copied") || label;
        setTimeout(function () { button.textContent = label; }, 1500);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
      } else {
        fallbackCopy(text);
        done();
      }
    });
  });

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "absolute";
    area.style.left = "-9999px";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* nothing more to try */ }
    document.body.removeChild(area);
  }

  // Tabs: turn the stacked panels into a tab list (WAI-ARIA tabs pattern).
  document.querySelectorAll("[data-tabs]").forEach(function (group) {
    var panels = Array.prototype.filter.call(group.children, function (el) {
      return el.classList.contains("tab-panel");
    });
    if (panels.length === 0) return;
    var list = document.createElement("div");
    list.setAttribute("role", "tablist");
    list.className = "tab-list";
    var tabs = panels.map(function (panel, i) {
      var label = panel.querySelector(".tab-label");
      var tab = document.createElement("button");
      tab.type = "button";
      tab.setAttribute("role", "tab");
      tab.id = panel.id + "-tab";
      tab.setAttribute("aria-controls", panel.id);
      tab.innerHTML = label ? label.innerHTML : String(i + 1);
      if (label) label.hidden = true;
      panel.setAttribute("aria-labelledby", tab.id);
      panel.tabIndex = 0;
      list.appendChild(tab);
      return tab;
    });
    group.insertBefore(list, group.firstChild);
    group.classList.add("tabs-ready");

    function select(index, focus) {
      tabs.forEach(function (tab, i) {
        var active = i === index;
        tab.setAttribute("aria-selected", active ? "true" : "false");
        tab.tabIndex = active ? 0 : -1;
        panels[i].hidden = !active;
      });
      if (focus) tabs[index].focus();
    }
    tabs.forEach(function (tab, i) {
      tab.addEventListener("click", function () { select(i, false); });
      tab.addEventListener("keydown", function (event) {
        var next = null;
        if (event.key === "ArrowRight") next = (i + 1) % tabs.length;
        else if (event.key === "ArrowLeft") next = (i - 1 + tabs.length) % tabs.length;
        else if (event.key === "Home") next = 0;
        else if (event.key === "End") next = tabs.length - 1;
        if (next !== null) { event.preventDefault(); select(next, true); }
      });
    });
    select(0, false);
  });
})();

// Print every collapsible open, so nothing is missing on paper.
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details.collapsible").forEach(function (d) { d.open = true; });
});
