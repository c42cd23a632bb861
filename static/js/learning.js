// Learning records (rekam jejak belajar). Loaded as a file: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";

  // "Pakai saran ini": put the rule's suggested JP into the claim, then let htmx re-check it.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-use-jp]");
    if (!button) return;
    var input = document.getElementById("jp_claimed");
    if (!input) return;
    input.value = button.dataset.useJp;
    input.dispatchEvent(new Event("change", { bubbles: true }));
    input.focus();
  });

  // The quantity field's label follows the chosen type's unit (days, sessions, activities).
  if (document.body) {
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.target.id !== "jp-suggestion") return;
      var marker = event.target.querySelector("[data-quantity-label]");
      var label = document.querySelector("label[for='quantity']");
      if (marker && label && label.firstChild) label.firstChild.textContent = marker.dataset.quantityLabel;
    });
  }
})();
