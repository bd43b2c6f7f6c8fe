// Says that an analysis is under way (it takes a few seconds) and keeps the form from being
// sent twice. The page works the same without this script.
"use strict";
(function () {
  const form = document.querySelector("form.analyse");
  if (!form) return;
  const button = form.querySelector("button[type=submit]");
  const status = form.querySelector(".status");
  form.addEventListener("submit", function () {
    button.disabled = true;
    status.textContent = "Analysing…";
  });
  // Coming back with the browser's back button restores the page as it was left.
  window.addEventListener("pageshow", function () {
    button.disabled = false;
    status.textContent = "";
  });
})();
