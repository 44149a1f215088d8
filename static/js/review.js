// Review screen: the adverse-determination form shows "What is approved" only for a partial
// approval or a modification; a denial approves nothing (the server ignores those fields then).
(function () {
  "use strict";
  const outcome = document.getElementById("id_adverse-outcome");
  const approvedPart = document.getElementById("adverse-approved-part");
  if (!outcome || !approvedPart) {
    return;
  }
  const show = function () {
    approvedPart.hidden = outcome.value === "denied";
  };
  outcome.addEventListener("change", show);
  show();
})();
