// Feedback form builder: show only the fields that fit the chosen kind/purpose/audience, copy the public link,
// and keep the focus on a question moved with the up/down buttons (htmx). Every page works without it.
(function () {
  "use strict";

  function words(value) {
    return (value || "").split(/\s+/).filter(Boolean);
  }

  function toggle(element, visible) {
    element.classList.toggle("fb-kind-hidden", !visible);
  }

  // Question editor: blocks marked data-fb-kinds="likert grid" show only for those kinds.
  function syncQuestion(form) {
    var kindInput = form.querySelector("[data-fb-kind]");
    if (!kindInput) return;
    form.querySelectorAll("[data-fb-kinds]").forEach(function (block) {
      toggle(block, words(block.dataset.fbKinds).indexOf(kindInput.value) !== -1);
    });
  }

  // Settings and attach forms: workshop fields for workshop purposes, audience fields for surveys.
  function syncSettings(box) {
    var purpose = box.querySelector("[data-fb-purpose]");
    var audience = box.querySelector("[data-fb-audience]");
    var forWorkshop = purpose && words(box.dataset.workshopPurposes).indexOf(purpose.value) !== -1;
    var followup = purpose && words(box.dataset.followupPurposes).indexOf(purpose.value) !== -1;
    box.querySelectorAll("[data-fb-for]").forEach(function (block) {
      var target = block.dataset.fbFor;
      if (target === "workshop") toggle(block, forWorkshop);
      else if (target === "followup") toggle(block, followup);
      else if (target === "standalone") toggle(block, !forWorkshop);
      else if (target === "units") toggle(block, !!audience && audience.value === "units");
    });
  }

  function syncAll() {
    document.querySelectorAll("form[data-fb-question]").forEach(syncQuestion);
    document.querySelectorAll("[data-fb-settings]").forEach(syncSettings);
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!target.matches) return;
    if (target.matches("[data-fb-kind]") && target.form) syncQuestion(target.form);
    if (target.matches("[data-fb-purpose], [data-fb-audience]")) {
      var box = target.closest("[data-fb-settings]");
      if (box) syncSettings(box);
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-fb-copy]");
    if (!button) return;
    var input = document.getElementById(button.dataset.fbCopy);
    if (!input) return;
    input.select();
    var done = function () { button.textContent = button.dataset.fbCopied || button.textContent; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done);
    } else if (document.execCommand("copy")) {
      done();
    }
  });

  // After a move the list is replaced: put the focus back on the moved question's button.
  document.addEventListener("htmx:afterSwap", function () {
    var moved = document.querySelector("[data-fb-moved]");
    if (!moved) return;
    var button = moved.querySelector('[data-fb-move="' + moved.dataset.fbMoved + '"]:not([disabled])') ||
      moved.querySelector("[data-fb-move]:not([disabled])");
    if (button) button.focus();
    moved.scrollIntoView({ block: "nearest" });
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", syncAll);
  else syncAll();
})();
