// tolk serve: live reload. Injected into every page the dev server sends (never into the built
// site). Listens to the server's events; reloads this page when a rebuild changed it, keeping
// the scroll position; shows a failed build's error over the page until the next good build.
(() => {
  "use strict";
  const script = document.currentScript;
  const build = script.dataset.build;
  const notFound = script.dataset.notFound === "true";
  const here = (() => {
    let path = location.pathname;
    try { path = decodeURIComponent(path); } catch (_) { /* keep it encoded */ }
    return path.replace(/index\.html$/, "");
  })();
  const scrollKey = "tolk-serve-scroll:" + here;

  const saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    const [x, y] = saved.split(",").map(Number);
    const restore = () => window.scrollTo(x, y);
    restore();
    window.addEventListener("load", restore, { once: true });
  }

  const reload = () => {
    sessionStorage.setItem(scrollKey, window.scrollX + "," + window.scrollY);
    window.__tolkReloading = true;
    location.reload();
  };

  const overlayId = "tolk-serve-error";
  const removeOverlay = () => {
    const old = document.getElementById(overlayId);
    if (old) old.remove();
  };
  const showOverlay = (html) => {
    removeOverlay();
    const holder = document.createElement("div");
    holder.innerHTML = html;
    const overlay = holder.firstElementChild;
    if (overlay) document.body.appendChild(overlay);
  };

  const events = new EventSource("/__tolk/events");
  events.addEventListener("hello", (e) => {
    // A rebuild happened while this page loaded or while the server was away.
    if (JSON.parse(e.data).build !== build) reload();
  });
  events.addEventListener("reload", (e) => {
    const message = JSON.parse(e.data);
    removeOverlay();
    if (message.all || notFound || message.pages.includes(here)) reload();
  });
  events.addEventListener("failed", (e) => {
    showOverlay(JSON.parse(e.data).overlay);
  });
})();
