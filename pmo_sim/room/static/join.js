// Join page: the name box is off while "stay anonymous" is ticked.
(function () {
  "use strict";
  var anon = document.getElementById("anon");
  var name = document.getElementById("name-input");
  if (!anon || !name) return;
  function sync() { name.disabled = anon.checked; if (anon.checked) name.value = ""; }
  anon.addEventListener("change", sync);
  sync();
})();
