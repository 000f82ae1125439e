// Participant page: one dimension at a time; every answer is POSTed at once and retried
// until the server confirms it, so a dropped Wi-Fi or a restarted server loses nothing.
(function () {
  "use strict";
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.dim"));
  var chips = Array.prototype.slice.call(document.querySelectorAll(".chip"));
  var status = document.getElementById("status");
  var bar = document.getElementById("bar");
  var total = Number(bar.dataset.total);
  var pending = new Map();   // key -> {url, body, onSaved}; the latest value per key wins
  var busy = false, dead = false, delay = 500, hideTimer = null;

  function show(index) {
    index = Math.max(0, Math.min(sections.length - 1, index));
    sections.forEach(function (s, i) { s.hidden = i !== index; });
    chips.forEach(function (c, i) { c.classList.toggle("current", i === index); });
    if (chips[index]) chips[index].scrollIntoView({block: "nearest", inline: "center"});
    if (location.hash !== "#" + index) history.replaceState(null, "", "#" + index);
    window.scrollTo(0, 0);
  }
  function current() { return sections.findIndex(function (s) { return !s.hidden; }); }

  function say(text, kind, button) {
    status.className = "status show" + (kind ? " " + kind : "");
    status.textContent = text;
    if (button) {
      var b = document.createElement("button");
      b.type = "button"; b.textContent = button;
      b.addEventListener("click", function () { location.reload(); });
      status.appendChild(b);
    }
    clearTimeout(hideTimer);
    if (!kind) hideTimer = setTimeout(function () { status.className = "status"; }, 1600);
  }

  function counts(answered) {
    document.getElementById("n-answered").textContent = answered;
    document.querySelectorAll(".n-answered").forEach(function (e) { e.textContent = answered; });
    bar.style.width = (100 * answered / total) + "%";
    document.querySelectorAll(".open-note").forEach(function (e) { e.hidden = answered >= total; });
    sections.forEach(function (s, i) {
      var qs = s.querySelectorAll(".q");
      var done = s.querySelectorAll(".q.done").length;
      if (chips[i]) chips[i].classList.toggle("full", qs.length > 0 && done === qs.length);
    });
  }

  function send() {
    if (busy || dead || pending.size === 0) return;
    var key = pending.keys().next().value;
    var job = pending.get(key);
    busy = true;
    fetch(job.url, {method: "POST", headers: {"Content-Type": "application/json"},
                    body: job.body, credentials: "same-origin"})
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (data) {
          return {status: r.status, data: data};
        });
      })
      .then(function (res) {
        busy = false;
        if (res.status === 200) {
          if (pending.get(key) === job) pending.delete(key);
          var wasOffline = delay > 500 || status.classList.contains("offline");
          delay = 500;
          job.onSaved(res.data);
          // Each question shows its own "saved"; the banner only speaks after an outage.
          if (pending.size === 0 && wasOffline) say("Connection back: all your answers are saved ✓");
          send();
        } else if (res.status === 401 || res.status === 403) {
          dead = true;
          say("You are no longer signed in to this workshop. Reload the page to join again.",
              "dead", "Reload");
        } else if (res.status >= 400 && res.status < 500) {
          pending.delete(key);
          job.onError(res.data.error || ("refused (" + res.status + ")"));
          send();
        } else {
          retry();
        }
      })
      .catch(function () { busy = false; retry(); });
  }

  function retry() {
    say("No connection to the workshop right now. Your answer is kept here and saved as soon "
        + "as the connection is back: no need to answer again.", "offline");
    setTimeout(send, delay);
    delay = Math.min(delay * 2, 5000);
  }

  function queue(key, url, payload, onSaved, onError) {
    pending.set(key, {url: url, body: JSON.stringify(payload), onSaved: onSaved, onError: onError});
    send();
  }

  document.querySelectorAll(".q").forEach(function (fs) {
    var question = fs.dataset.question;
    var state = fs.querySelector(".qstate");
    fs.addEventListener("change", function (ev) {
      var value = ev.target.value;
      var level = value === "na" ? null : Number(value);
      var chosen = ev.target.closest(".opt");
      fs.querySelectorAll(".opt").forEach(function (o) { o.classList.remove("saving", "saved"); });
      chosen.classList.add("saving");
      state.className = "qstate"; state.textContent = "saving…";
      queue("a:" + question, "/api/answer", {question: question, level: level},
        function (data) {
          fs.classList.add("done");
          chosen.classList.remove("saving");
          if (ev.target.checked) chosen.classList.add("saved");
          state.className = "qstate ok"; state.textContent = "saved ✓";
          counts(data.answered);
        },
        function (message) {
          chosen.classList.remove("saving");
          state.className = "qstate bad"; state.textContent = "not saved: " + message;
        });
    });
  });

  document.querySelectorAll("textarea[data-dimension]").forEach(function (box) {
    var timer = null;
    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        queue("c:" + box.dataset.dimension, "/api/comment",
              {dimension: box.dataset.dimension, comment: box.value},
              function () {}, function (message) { say("Comment not saved: " + message, "dead"); });
      }, 600);
    });
  });

  document.querySelectorAll("button.next").forEach(function (b) {
    b.addEventListener("click", function () { show(current() + 1); });
  });
  document.querySelectorAll("button.prev").forEach(function (b) {
    b.addEventListener("click", function () { show(current() - 1); });
  });
  chips.forEach(function (c, i) {
    c.addEventListener("click", function (ev) { ev.preventDefault(); show(i); });
  });
  var notMe = document.querySelector(".not-me");
  if (notMe) notMe.addEventListener("click", function (ev) {
    // Signing out cannot be undone from this phone: the name stays taken by these answers.
    if (!window.confirm("Sign this phone out? Your answers stay saved, but you will not be able "
                        + "to come back to them from here.")) ev.preventDefault();
  });
  window.addEventListener("beforeunload", function (ev) {
    if (pending.size > 0) { ev.preventDefault(); ev.returnValue = ""; }
  });

  var fromHash = parseInt(location.hash.slice(1), 10);
  var start = Number(document.getElementById("sections").dataset.start);
  counts(Number(document.getElementById("n-answered").textContent));
  show(isNaN(fromHash) ? start : fromHash);
  document.body.dataset.ready = "1";
})();
