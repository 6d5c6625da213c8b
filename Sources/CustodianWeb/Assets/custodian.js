// Progressive enhancement only: every form works without this file.
// Shows the social-media provenance fields only when the source type is social media.
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("f-sourceType");
  var box = document.getElementById("social-media");
  if (source && box) {
    var sync = function () { box.hidden = source.value !== "social-media"; };
    source.addEventListener("change", sync);
    sync();
  }
  // The GOV.UK timeout warning: two minutes before the idle sign-out, a chance to stay.
  var idle = parseInt(document.body.getAttribute("data-idle-seconds") || "0", 10);
  if (idle > 180) {
    var timer;
    var warning = document.createElement("div");
    warning.className = "timeout-warning";
    warning.setAttribute("role", "alertdialog");
    warning.setAttribute("aria-modal", "true");
    warning.setAttribute("aria-labelledby", "timeout-title");
    warning.tabIndex = -1;
    warning.hidden = true;
    warning.innerHTML = '<h2 id="timeout-title">You will be signed out soon</h2>' +
      "<p>For your security you will be signed out in 2 minutes if you do nothing. " +
      "A form you send after that is kept for you to send again.</p>" +
      '<button type="button" class="button">Stay signed in</button>';
    document.body.appendChild(warning);
    var arm = function () {
      clearTimeout(timer);
      timer = setTimeout(function () { warning.hidden = false; warning.focus(); }, (idle - 120) * 1000);
    };
    warning.querySelector("button").addEventListener("click", function () {
      fetch("/account", { credentials: "same-origin" }).then(function () { warning.hidden = true; arm(); });
    });
    arm();
  }
  // A running job checks its own progress; the button does the same without script. When the
  // job ends the page is loaded again, and shows what it did.
  var job = document.getElementById("job");
  if (job && job.getAttribute("data-job-state") === "running") {
    var check = job.querySelector("[data-job-check]");
    if (check) { check.hidden = true; }
    var poll = function () {
      fetch("/jobs/" + job.getAttribute("data-job-id") + "/progress", { credentials: "same-origin" })
        .then(function (r) { return r.text(); })
        .then(function (text) {
          var fresh = new DOMParser().parseFromString(text, "text/html").getElementById("job");
          if (!fresh || fresh.getAttribute("data-job-state") !== "running") { location.reload(); return; }
          var now = fresh.querySelector("#job-progress");
          var shown = job.querySelector("#job-progress");
          if (now && shown) { shown.innerHTML = now.innerHTML; }
          setTimeout(poll, 1000);
        })
        .catch(function () { if (check) { check.hidden = false; } });
    };
    setTimeout(poll, 1000);
  }
  var summary = document.querySelector(".error-summary") || document.querySelector(".notification-banner");
  if (summary) { summary.focus(); }
});
