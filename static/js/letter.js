// The letter page's Print button (a handler in a file: the CSP allows no inline script).
(function () {
  "use strict";
  const button = document.getElementById("letter-print");
  if (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  }
})();
