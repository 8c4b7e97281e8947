// The projector: the room-wide countdown and each table's progress (from /projector/status,
// every second); once every table has ended, the cross-table debrief: the debrief screen's
// slides (Left/Right or the buttons) and its words. Text is set with textContent only.
"use strict";

(function () {
  const {el, clock, dropTokenFromAddress} = window.Goodhart;
  dropTokenFromAddress();   // the token stays in the cookie only
  const live = document.getElementById("live");
  const debrief = document.getElementById("debrief");
  const progress = document.getElementById("progress");
  let slides = [];
  let current = 0;
  let debriefShown = false;
  let debriefData = null;

  function card(t) {
    const root = el("div", "progress-card" + (t.ended ? " ended" : ""));
    const head = el("div", "table-head");
    const timer = t.ended ? "ended" : t.paused ? "paused" : clock(t.seconds_left);
    head.append(el("h2", "", t.name), el("span", "timer" + (t.paused ? " paused" : ""), timer));
    const turn = t.turn_name.charAt(0).toUpperCase() + t.turn_name.slice(1);
    root.append(head, el("p", "", t.ended ? "the game is over" :
      turn + " " + t.turn + " of " + t.turns + " · " + t.phase + " phase"));
    const bar = el("div", "bar");
    const fill = el("div", "fill");
    const done = t.ended ? t.turns : Math.max(0, t.turn - 1);
    fill.style.width = Math.round(100 * done / Math.max(1, t.turns)) + "%";
    bar.appendChild(fill);
    root.append(bar);
    if (!t.ended) {
      root.append(el("p", "muted", t.chosen + " of " + (t.chosen + t.choosing) + " chosen"));
    }
    return root;
  }

  function drawLive(s) {
    const big = document.getElementById("countdown");
    big.textContent = s.paused ? "Paused" : (clock(s.seconds_left) || "–");
    big.classList.toggle("low", !s.paused && s.seconds_left !== null && s.seconds_left <= 15);
    progress.replaceChildren.apply(progress, s.tables.map(card));
    // more than two rows of cards: a smaller countdown leaves them the room
    document.body.classList.toggle("many", s.tables.length > 8);
  }

  function table(rows, columns) {
    const t = el("table", "");
    const head = el("tr", "");
    columns.forEach(function (c) { head.appendChild(el("th", "", c[0])); });
    t.appendChild(head);
    rows.forEach(function (r) {
      const tr = el("tr", "");
      columns.forEach(function (c) { tr.appendChild(el("td", "", String(c[1](r)))); });
      t.appendChild(tr);
    });
    return t;
  }

  function conditions(d) {
    return [el("h2", "", "The conditions"), table(d.conditions, [
      ["Condition", function (c) { return c.condition; }],
      ["Tables", function (c) { return c.tables.join(", "); }],
      ["Leaderboard index at the end", function (c) { return c.proxy_end; }],
      ["Health index at the end", function (c) { return c.health_end; }],
      ["Health change", function (c) { return (c.health_change > 0 ? "+" : "") + c.health_change; }],
      ["Gap at the end", function (c) { return c.gap_end; }]])];
  }

  function tableWords(t) {
    const list = el("ul", "");
    t.facts.concat(t.lessons).forEach(function (x) { list.appendChild(el("li", "", x)); });
    return [el("h2", "", t.label + " · " + t.condition),
      el("p", "muted", "Leaderboard index " + t.proxy_start + " → " + t.proxy_end +
        " · health index " + t.health_start + " → " + t.health_end + " · gap " + t.gap_end +
        (t.leader ? " · leaderboard winner " + t.leader + (t.leader_contribution_rank ?
          " (real contribution rank " + t.leader_contribution_rank + ")" : "") : "")),
      list];
  }

  function questions(d) {
    if (!d.questions.length) return [];
    const q = el("ol", "");
    d.questions.forEach(function (x) { q.appendChild(el("li", "", x)); });
    return [el("h2", "", "To discuss"), q];
  }

  // The words under a slide: a table's facts and lessons under its own slide; the
  // conditions under the comparison; the conditions and the questions under the last.
  function words(d, name) {
    const box = document.getElementById("words");
    const own = d.tables.filter(function (t) { return t.slide === name; });
    let parts;
    if (own.length) parts = tableWords(own[0]);
    else if (name === "conditions.png") parts = conditions(d).concat(questions(d));
    else parts = conditions(d);
    box.replaceChildren.apply(box, parts);
  }

  function show(n) {
    if (!slides.length) return;
    current = (n + slides.length) % slides.length;
    document.getElementById("slide").src = "/projector/slides/" + encodeURIComponent(slides[current]);
    document.getElementById("slide-name").textContent =
      (current + 1) + " of " + slides.length + ": " + slides[current].replace(/\.png$/, "");
    words(debriefData, slides[current]);
  }

  async function openDebrief() {
    const response = await fetch("/projector/debrief", {credentials: "same-origin"});
    if (!response.ok) return;
    const d = await response.json();
    debriefShown = true;
    live.hidden = true;
    debrief.hidden = false;
    document.title = "Debrief: " + d.title;
    debriefData = d;
    slides = d.slides;
    if (!slides.length) {      // every table ended before anyone played: nothing to compare
      document.querySelector(".slide").hidden = true;
      document.getElementById("words").replaceChildren(
        el("h2", "", "No table was played, so there is nothing to debrief."));
      return;
    }
    show(0);
  }

  async function poll() {
    if (debriefShown) return;
    try {
      const response = await fetch("/projector/status", {credentials: "same-origin"});
      if (!response.ok) return;
      const s = await response.json();
      if (s.ended) { await openDebrief(); return; }
      drawLive(s);
    } catch (err) { /* the host is restarting: the next poll tries again */ }
  }

  document.getElementById("prev").addEventListener("click", function () { show(current - 1); });
  document.getElementById("next").addEventListener("click", function () { show(current + 1); });
  document.addEventListener("keydown", function (e) {
    if (!debriefShown) return;
    if (e.key === "ArrowRight" || e.key === "PageDown" || e.key === " ") show(current + 1);
    if (e.key === "ArrowLeft" || e.key === "PageUp") show(current - 1);
  });
  poll();
  setInterval(poll, 1000);
})();
