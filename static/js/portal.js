// Portal behaviour. Loaded as a file (the Content-Security-Policy allows no inline script).
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Selects marked data-autosubmit submit their form on change (the language switch).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) {
      el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
    }
  });

  // Buttons marked data-confirm ask before submitting.
  document.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    var message = (submitter && submitter.dataset.confirm) || event.target.dataset.confirm;
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  // Collapse togglers are links (they open their menu without JavaScript too): state for assistive technology,
  // and Space presses them like a button.
  Array.prototype.forEach.call(document.querySelectorAll('[data-bs-toggle="collapse"]:not([aria-expanded])'), function (el) {
    el.setAttribute("aria-expanded", "false");
  });
  document.addEventListener("keydown", function (event) {
    var el = event.target;
    if (event.key === " " && el.matches && el.matches('a[role="button"]')) {
      event.preventDefault();
      el.click();
    }
  });

  // The user menu is a <details>: close it on Escape (focus back on its summary) or on a click elsewhere.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = document.querySelector("details.user-menu[open]");
    if (open && open.contains(event.target)) {
      open.removeAttribute("open");
      open.querySelector("summary").focus();
    }
  });
  document.addEventListener("click", function (event) {
    Array.prototype.forEach.call(document.querySelectorAll("details.user-menu[open]"), function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });

  // htmx: show server errors in the page instead of failing silently.
  document.body && document.body.addEventListener("htmx:responseError", function (event) {
    var box = document.getElementById("flashes");
    if (!box) return;
    var alert = document.createElement("div");
    alert.className = "alert alert-danger";
    alert.setAttribute("role", "alert");
    alert.textContent = document.body.dataset.errorMessage || "Terjadi kesalahan. Coba lagi.";
    box.appendChild(alert);
  });
})();

// Articles: warn before leaving an editor with unsaved changes; tag suggestions add themselves to the field.
(function () {
  "use strict";
  var dirty = false;

  document.addEventListener("input", function (event) {
    if (event.target.form && event.target.form.hasAttribute("data-warn-unsaved")) dirty = true;
  });
  document.addEventListener("submit", function (event) {
    if (event.target.hasAttribute("data-warn-unsaved") && !event.defaultPrevented) dirty = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    var form = document.querySelector("form[data-warn-unsaved]");
    event.preventDefault();
    event.returnValue = (form && form.dataset.unsavedMessage) || "";
  });
  document.body && document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id === "autosave-status" && event.target.querySelector("[data-autosaved]")) dirty = false;
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-add-tag]");
    if (!button) return;
    var input = document.getElementById("tags");
    if (!input) return;
    var tags = input.value.split(",").map(function (t) { return t.trim(); }).filter(Boolean);
    tags.pop(); // the word being typed is replaced by the chosen tag
    if (tags.indexOf(button.dataset.addTag) === -1) tags.push(button.dataset.addTag);
    input.value = tags.join(", ") + ", ";
    input.focus();
    var box = document.getElementById("tag-suggestions");
    if (box) box.textContent = "";
  });
})();

// Header live search: arrow keys move between the suggestions, Escape closes them.
(function () {
  "use strict";
  function links() {
    var box = document.getElementById("header-search-results");
    return box ? Array.prototype.slice.call(box.querySelectorAll("a")) : [];
  }
  document.addEventListener("keydown", function (event) {
    var input = document.getElementById("header-search-input");
    var box = document.getElementById("header-search-results");
    if (!input || !box || !(event.target === input || box.contains(event.target))) return;
    var items = links();
    var index = items.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && items.length) {
      event.preventDefault();
      items[Math.min(index + 1, items.length - 1)].focus();
    } else if (event.key === "ArrowUp" && index >= 0) {
      event.preventDefault();
      (index === 0 ? input : items[index - 1]).focus();
    } else if (event.key === "Escape") {
      box.innerHTML = "";
      input.focus();
    }
  });
})();

// Workshops: print buttons (the sign-in sheet).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });
})();

// Forums: @mention suggestions under a textarea marked data-mention-url; choosing one completes the word.
(function () {
  "use strict";
  var MENTION_BEFORE_CARET = /(^|[^\w@\/.])@([\w.]{1,30})$/;
  var timer;

  function boxFor(area) {
    return area.dataset && area.dataset.mentionBox ? document.getElementById(area.dataset.mentionBox) : null;
  }

  document.addEventListener("input", function (event) {
    var area = event.target;
    var box = boxFor(area);
    if (!box || !area.dataset.mentionUrl || !window.htmx) return;
    clearTimeout(timer);
    var match = MENTION_BEFORE_CARET.exec(area.value.slice(0, area.selectionStart));
    if (!match) {
      box.textContent = "";
      return;
    }
    timer = setTimeout(function () {
      window.htmx.ajax("GET", area.dataset.mentionUrl + "?q=" + encodeURIComponent(match[2]), { target: box, swap: "innerHTML" });
    }, 250);
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-mention-handle]");
    if (!button) return;
    var box = button.closest(".forum-mentions");
    var area = box && document.querySelector('[data-mention-box="' + box.id + '"]');
    if (!area) return;
    var caret = area.selectionStart;
    var before = area.value.slice(0, caret).replace(/@[\w.]*$/, "@" + button.dataset.mentionHandle + " ");
    area.value = before + area.value.slice(caret);
    area.focus();
    area.setSelectionRange(before.length, before.length);
    box.textContent = "";
  });
})();
