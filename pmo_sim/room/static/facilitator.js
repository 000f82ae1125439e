// Facilitator page: ask for the board every two seconds; redraw only when answers changed.
(function () {
  "use strict";
  var board = document.getElementById("board");
  var conn = document.getElementById("conn");
  var version = board.dataset.version;
  var failures = 0;

  function poll() {
    fetch("/facilitator/board?since=" + encodeURIComponent(version), {credentials: "same-origin"})
      .then(function (r) {
        if (r.status === 403) {
          conn.className = "conn bad";
          conn.textContent = "Signed out: open the facilitator link again.";
          return null;
        }
        if (r.status >= 500) {
          conn.className = "conn bad";
          conn.textContent = "The board could not be redrawn (server error: see the terminal).";
          return null;
        }
        if (!r.ok && r.status !== 204) throw new Error(String(r.status));
        failures = 0;
        conn.className = "conn";
        conn.textContent = "Live · updated " + new Date().toLocaleTimeString();
        if (r.status === 204) return null;
        version = r.headers.get("X-Board-Version") || version;
        return r.text();
      })
      .then(function (html) { if (html !== null && html !== undefined) board.innerHTML = html; })
      .catch(function () {
        failures += 1;
        conn.className = "conn bad";
        conn.textContent = "Server unreachable: retrying… (participants' answers wait on their phones)";
      })
      .finally(function () { setTimeout(poll, failures ? Math.min(2000 * failures, 8000) : 2000); });
  }
  setTimeout(poll, 2000);
})();
