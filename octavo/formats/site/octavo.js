/* Octavo's web edition: the reader's theme and text size, the contents menu on phones, keys to turn
   pages, and search. Every part is an enhancement: without this script each page reads, links and
   prints as it is, and a part that cannot work (search from a file) says so or stays out of sight.
   Octavo writes this file itself; a book cannot change it or add another. */
(function () {
  "use strict";

  var root = document.documentElement;
  var here = document.currentScript ? document.currentScript.src : document.baseURI;
  var SCALES = [0.85, 0.92, 1, 1.1, 1.2, 1.35, 1.5];

  function stored(key) {
    try { return window.localStorage.getItem(key); } catch (error) { return null; }
  }
  function store(key, value) {
    try { window.localStorage.setItem(key, value); } catch (error) { /* private windows: for this page only */ }
  }

  // Before the first paint, so a reader who chose the dark theme never sees the light one flash.
  var chosenTheme = stored("octavo-theme");
  if (chosenTheme === "dark" || chosenTheme === "light") root.setAttribute("data-theme", chosenTheme);
  var scale = SCALES.indexOf(parseFloat(stored("octavo-text-scale")));
  if (scale < 0) scale = SCALES.indexOf(1);
  root.style.setProperty("--web-scale", String(SCALES[scale]));

  function element(tag, className, text) {
    var made = document.createElement(tag);
    if (className) made.className = className;
    if (text) made.textContent = text;
    return made;
  }

  function darkNow() {
    var theme = root.getAttribute("data-theme");
    if (theme) return theme === "dark";
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  }

  function settings() {
    var controls = document.querySelector(".web-controls");
    if (!controls) return;
    var toggle = controls.querySelector("[data-action=theme]");
    var smaller = controls.querySelector("[data-action=smaller]");
    var larger = controls.querySelector("[data-action=larger]");
    function show() {
      toggle.setAttribute("aria-pressed", darkNow() ? "true" : "false");
      smaller.disabled = scale === 0;
      larger.disabled = scale === SCALES.length - 1;
    }
    toggle.addEventListener("click", function () {
      var theme = darkNow() ? "light" : "dark";
      root.setAttribute("data-theme", theme);
      store("octavo-theme", theme);
      show();
    });
    function resize(step) {
      scale = Math.min(SCALES.length - 1, Math.max(0, scale + step));
      root.style.setProperty("--web-scale", String(SCALES[scale]));
      store("octavo-text-scale", String(SCALES[scale]));
      show();
    }
    smaller.addEventListener("click", function () { resize(-1); });
    larger.addEventListener("click", function () { resize(1); });
    controls.hidden = false;
    show();
  }

  // The menu link opens the contents in place (it jumps to them without script).
  function menu() {
    var link = document.querySelector("a.web-menu-button");
    var sidebar = document.getElementById("web-sidebar");
    if (!link || !sidebar) return;
    var button = element("button", link.className, link.textContent);
    button.type = "button";
    button.setAttribute("aria-controls", "web-sidebar");
    button.setAttribute("aria-expanded", "false");
    link.replaceWith(button);
    button.addEventListener("click", function () {
      var open = sidebar.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) {
        var current = sidebar.querySelector("[aria-current]") || sidebar.querySelector("a");
        if (current) current.focus();
      }
    });
    var current = sidebar.querySelector("[aria-current]");
    if (current && current.scrollIntoView && window.matchMedia("(min-width: 52.01em)").matches) {
      current.scrollIntoView({ block: "center" });
    }
  }

  function keys(searchBox) {
    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      var target = event.target;
      // Arrows belong to what has the focus when it uses them: fields, players, widgets.
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT|AUDIO|VIDEO)$/.test(target.tagName) ||
          (target.closest && target.closest("[role=slider],[role=listbox],[role=tablist],[role=menu]")))) {
        if (event.key === "Escape" && target === searchBox) {
          searchBox.value = "";
          searchBox.dispatchEvent(new Event("input"));
          searchBox.blur();
        }
        return;
      }
      var rtl = root.getAttribute("dir") === "rtl";
      var rel = { ArrowLeft: rtl ? "next" : "prev", ArrowRight: rtl ? "prev" : "next" }[event.key];
      if (rel && !event.shiftKey) {
        var link = document.querySelector(".web-pager-top a[rel=" + rel + "]");
        if (link) window.location.href = link.href;
      } else if ((event.key === "/" || event.key === "s") && searchBox) {
        event.preventDefault();
        searchBox.focus();
      }
    });
  }

  // Search with Pagefind's index of the book (html/pagefind/), loaded at the first use.
  function search() {
    var form = document.querySelector("form.web-search");
    var panel = document.getElementById("web-search-results");
    if (!form || !panel) return null;
    var box = form.querySelector("input");
    var engine = null;
    var asked = 0;

    function load() {
      if (!engine) {
        engine = window.location.protocol === "file:"
          ? Promise.reject(new Error("file"))
          : import(new URL("pagefind/pagefind.js", here).href).then(function (pagefind) {
            return pagefind.options({ excerptLength: 24 }).then(function () { return pagefind; });
          });
        engine.catch(function () { /* said when a search is made */ });
      }
      return engine;
    }

    function say(text) {
      panel.replaceChildren(element("p", "web-search-note", text));
      panel.hidden = false;
    }

    function excerpt(html) {
      var parsed = document.createElement("template");
      parsed.innerHTML = html;
      var paragraph = element("p", "web-search-excerpt");
      parsed.content.childNodes.forEach(function (node) {
        paragraph.append(node.nodeName === "MARK" ? element("mark", "", node.textContent) : node.textContent);
      });
      return paragraph;
    }

    function best(page) {
      var sections = (page.sub_results || []).slice();
      sections.sort(function (a, b) { return (b.locations || []).length - (a.locations || []).length; });
      return sections[0] || page;
    }

    function show(pages) {
      if (!pages.length) { say(form.getAttribute("data-none")); return; }
      var list = element("ol");
      pages.forEach(function (page) {
        var section = best(page);
        var link = element("a");
        link.href = section.url;
        link.append(element("span", "web-search-chapter", page.meta.title));
        if (section !== page && section.title && section.title !== page.meta.title) {
          link.append(" › ", element("span", "web-search-section", section.title));
        }
        var item = element("li");
        item.append(link, excerpt(section.excerpt || page.excerpt));
        list.append(item);
      });
      panel.replaceChildren(list);
      panel.hidden = false;
    }

    function run() {
      var query = box.value.trim();
      var mine = ++asked;
      if (!query) { panel.hidden = true; panel.replaceChildren(); return; }
      load().then(function (pagefind) {
        return pagefind.debouncedSearch(query, {}, 150);
      }).then(function (found) {
        if (found === null || mine !== asked) return null;
        return Promise.all(found.results.slice(0, 8).map(function (result) { return result.data(); }));
      }).then(function (pages) {
        if (pages && mine === asked) show(pages);
      }).catch(function () {
        if (mine === asked) say(form.getAttribute("data-offline"));
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var first = panel.querySelector("a");
      if (first) first.click();
    });
    box.addEventListener("focus", load);
    box.addEventListener("input", run);
    form.hidden = false;
    return box;
  }

  function start() {
    settings();
    menu();
    keys(search());
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
