// The idle warning: shown shortly before the server signs an inactive session out, with a button
// that keeps the session alive. The server decides (SessionLimitsMiddleware); this script only
// asks it how long is left, warns, and opens the login page once the session is gone.
(function () {
  "use strict";
  const dialog = document.getElementById("idle-warning");
  if (!dialog || typeof dialog.showModal !== "function") {
    return;
  }
  const form = document.getElementById("idle-warning-form");
  const countdown = document.getElementById("idle-warning-countdown");
  const sessionUrl = dialog.dataset.sessionUrl;
  const warningMs = Number(dialog.dataset.warningSeconds) * 1000;
  let checkTimer = null;
  let tickTimer = null;
  let deadline = 0;

  function signedOut() {
    const here = window.location.pathname + window.location.search;
    window.location.assign(dialog.dataset.loginUrl + "?next=" + encodeURIComponent(here));
  }

  function ask(method) {
    const options = { method: method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (method === "POST") {
      options.body = new FormData(form);
    }
    return fetch(sessionUrl, options).then(function (response) {
      return response.json();
    });
  }

  function hide() {
    window.clearInterval(tickTimer);
    if (dialog.open) {
      dialog.close();
    }
  }

  function tick() {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    countdown.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
    if (left === 0) {
      window.clearInterval(tickTimer);
      check();
    }
  }

  function show(secondsLeft) {
    deadline = Date.now() + secondsLeft * 1000;
    tick();
    if (!dialog.open) {
      dialog.showModal();
      window.clearInterval(tickTimer);
      tickTimer = window.setInterval(tick, 1000);
    }
  }

  // Wake when the warning is due; another tab may have kept the session alive meanwhile.
  function schedule(secondsLeft) {
    window.clearTimeout(checkTimer);
    checkTimer = window.setTimeout(check, Math.max(0, secondsLeft * 1000 - warningMs));
  }

  function answer(state) {
    if (!state.signed_in || state.seconds_left <= 0) {
      signedOut();
    } else if (state.seconds_left * 1000 > warningMs) {
      hide();
      schedule(state.seconds_left);
    } else {
      show(state.seconds_left);
    }
  }

  function check() {
    ask("GET").then(answer, function () {
      schedule(30 + warningMs / 1000); // the server did not answer: ask again in 30 s
    });
  }

  function stay(event) {
    event.preventDefault();
    ask("POST").then(answer, signedOut);
  }

  form.addEventListener("submit", stay);
  dialog.addEventListener("cancel", stay); // Escape means "stay", not "ignore the warning"
  schedule(Number(dialog.dataset.secondsLeft));
})();
