// Answer pages: Enter in a picker's search box narrows the list instead of sending the whole form.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches && event.target.matches("[data-fb-search]")) {
      event.preventDefault();
    }
  });
})();
