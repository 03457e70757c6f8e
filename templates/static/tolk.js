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

// The sidebar: the locale's navigation tree, shared by every page (nav.html), loaded once
// per page; the current article is marked and its sections opened.
(function () {
  "use strict";
  var sidebar = document.querySelector(".sidebar[data-nav]");
  if (!sidebar || !window.fetch) return;
  var navUrl = new URL(sidebar.getAttribute("data-nav"), location.href);
  var home = new URL(sidebar.getAttribute("data-home"), location.href);
  fetch(navUrl).then(function (r) { return r.ok ? r.text() : ""; }).then(function (html) {
    if (!html) return;
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var here = location.pathname.replace(/index\.html$/, "");
    holder.querySelectorAll("a[href]").forEach(function (a) {
      var target = new URL(a.getAttribute("href"), home);
      a.href = target.href;
      if (target.pathname.replace(/index\.html$/, "") === here) {
        a.setAttribute("aria-current", "page");
        for (var el = a.parentElement; el && el !== holder; el = el.parentElement) {
          if (el.tagName === "DETAILS") el.open = true;
        }
      }
    });
    sidebar.appendChild(holder.firstElementChild || holder);
    var current = sidebar.querySelector("[aria-current=page]");
    // Bring the current article into view inside the sidebar's own scrolling box only:
    // scrollIntoView would scroll the page too, and a deep article would open below its header.
    if (current && sidebar.scrollHeight > sidebar.clientHeight) {
      var top = current.getBoundingClientRect().top - sidebar.getBoundingClientRect().top + sidebar.scrollTop;
      if (top < sidebar.scrollTop || top + current.offsetHeight > sidebar.scrollTop + sidebar.clientHeight) {
        sidebar.scrollTop = Math.max(0, top - sidebar.clientHeight / 3);
      }
    }
  }).catch(function () { /* the link to all articles stays */ });
})();

// The status table: filter by text and state, sort by clicking a column header.
(function () {
  "use strict";
  var table = document.getElementById("status-table");
  if (!table) return;
  var body = table.tBodies[0];
  var text = document.getElementById("status-filter");
  var state = document.getElementById("status-state");
  function filter() {
    var words = (text && text.value || "").toLowerCase();
    var wanted = state && state.value;
    Array.prototype.forEach.call(body.rows, function (row) {
      var okText = !words || row.textContent.toLowerCase().indexOf(words) !== -1;
      var okState = !wanted || (" " + row.getAttribute("data-states")).indexOf(" " + wanted + " ") !== -1;
      row.hidden = !(okText && okState);
    });
  }
  if (text) text.addEventListener("input", filter);
  if (state) state.addEventListener("change", filter);
  var order = { "missing": 0, "out-of-sync": 1, "in-sync": 2 };
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
    th.tabIndex = 0;
    th.setAttribute("aria-sort", "none");
    function sort() {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(th.parentNode.cells, function (c) { c.setAttribute("aria-sort", "none"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[column], y = b.cells[column], d;
        if (th.getAttribute("data-sort") === "state") {
          d = (order[x.getAttribute("data-state")] - order[y.getAttribute("data-state")]) ||
              ((+x.getAttribute("data-ht") || 0) - (+y.getAttribute("data-ht") || 0));
        } else {
          d = x.textContent.localeCompare(y.textContent);
        }
        return ascending ? d : -d;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    }
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
  });
})();
