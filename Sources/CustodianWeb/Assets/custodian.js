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
  var summary = document.querySelector(".error-summary") || document.querySelector(".notification-banner");
  if (summary) { summary.focus(); }
});
