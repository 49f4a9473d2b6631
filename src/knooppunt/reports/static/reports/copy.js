// The copy button of the raadsvragen text: an external script (no inline code, so a
// strict Content-Security-Policy keeps working); without JavaScript the button stays
// hidden and the text can be selected as usual.
(function () {
  "use strict";
  function copy(button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    var done = document.querySelector('[data-copied-for="' + button.getAttribute("data-copy") + '"]');
    if (!source || !navigator.clipboard) { return; }
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      if (done) { done.hidden = false; }
    });
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    if (!navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () { copy(button); });
  });
})();
