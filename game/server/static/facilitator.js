// The facilitator's dashboard: polls /facilitator/status every second and draws every table;
// each button posts one operation to /facilitator/op. Text is set with textContent only.
"use strict";

(function () {
  const {el, clock, dropTokenFromAddress} = window.Goodhart;
  dropTokenFromAddress();   // the token stays in the cookie only
  const tablesBox = document.getElementById("tables");
  const message = document.getElementById("message");
  const lateCode = document.getElementById("late-code");
  const cards = new Map();     // table id -> {root, parts, version}
  let lastOk = Date.now();

  function say(text, bad) {
    message.textContent = text;
    message.classList.toggle("bad", !!bad);
  }

  async function op(body, ask) {
    if (ask && !window.confirm(ask)) return;
    try {
      const response = await fetch("/facilitator/op", {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
      const answer = await response.json();
      say(answer.code ? "Read the code below out to the person arriving late (click it to " +
          "hide it)." : answer.message, answer.type === "error");
      if (answer.code) {
        lateCode.textContent = answer.message;
        lateCode.hidden = false;
      }
      poll();
    } catch (err) {
      say("The host did not answer; is it still running? (" + err + ")", true);
    }
  }

  function button(label, body, ask, cls) {
    const b = el("button", cls || "", label);
    b.type = "button";
    b.addEventListener("click", function () { op(body, ask); });
    return b;
  }

  function tableState(t) {
    if (t.ended) return t.ended_early ? "ended early by the facilitator" : "the game is over";
    const turn = t.turn_name.charAt(0).toUpperCase() + t.turn_name.slice(1);
    return turn + " " + t.turn + " of " + t.turns + " · " + t.phase + " phase";
  }

  function seatRow(t, s) {
    const row = el("li", "seat");
    let who = s.player === "person" ? s.person : s.player === "bot"
      ? (s.strategy || "default") + " bot" : "open seat";
    if (s.covered_by_bot) who = (s.person || "away") + ", covered by a bot";
    if (s.code_pending) who += ", code given out";
    row.appendChild(el("span", "seat-name", s.seat_name + " — " + who));
    const doing = !s.employed ? "laid off" : s.submitted ? "chosen" : s.must_act ? "choosing" : "";
    row.appendChild(el("span", "doing " + (s.submitted ? "good" : ""), doing));
    if (!t.ended) {
      const tools = el("span", "seat-tools");
      if (s.player !== "bot") {
        tools.appendChild(button("Bot", {type: "give_to_bot", table: t.id, seat: s.index},
          "Give " + s.seat_name + " at " + t.name + " to a bot from now on?", "small"));
      }
      tools.appendChild(button("Late code", {type: "give_to_person", table: t.id, seat: s.index},
        null, "small"));
      row.appendChild(tools);
    }
    return row;
  }

  function newCard(t) {
    const root = el("section", "table-card");
    const head = el("div", "table-head");
    const name = el("h2", "", "");
    const timer = el("span", "timer", "");
    head.append(name, timer);
    const state = el("p", "state", "");
    const seats = el("ul", "seats");
    const news = el("p", "news muted", "");
    const tools = el("div", "table-tools");
    const pause = el("button", "", "Pause");
    pause.type = "button";
    pause.addEventListener("click", function () {
      const card = cards.get(t.id);
      op({type: card.paused ? "resume" : "pause", table: t.id});
    });
    const select = el("select", "");
    select.setAttribute("aria-label", "Event to fire at " + t.name);
    t.events.forEach(function (e) {
      const o = el("option", "", e[1]);
      o.value = e[0];
      select.appendChild(o);
    });
    tools.append(pause,
      button("+30 s", {type: "extend", table: t.id, seconds: 30}),
      button("+2 min", {type: "extend", table: t.id, seconds: 120}));
    if (t.events.length) {
      const fire = el("button", "", "Fire event");
      fire.type = "button";
      fire.addEventListener("click", function () {
        const label = select.options[select.selectedIndex].textContent;
        op({type: "inject", table: t.id, event: select.value},
          "Fire '" + label + "' at " + t.name + " now?");
      });
      tools.append(select, fire);
    }
    tools.append(button("End table", {type: "end_table", table: t.id},
      "End " + t.name + "'s game now? Its result is kept as it stands.", "danger"));
    root.append(head, state, seats, news, tools);
    tablesBox.appendChild(root);
    return {root: root, name: name, timer: timer, state: state, seats: seats, news: news,
            tools: tools, pause: pause, version: -1, paused: false};
  }

  function drawTable(t) {
    let card = cards.get(t.id);
    if (!card) { card = newCard(t); cards.set(t.id, card); }
    card.paused = t.paused;
    card.name.textContent = t.name + " · " + t.condition;
    card.timer.textContent = t.ended ? "ended" : t.paused ? "paused" : (clock(t.seconds_left) || "no timer");
    card.timer.className = "timer" + (t.paused ? " paused" : "") +
      (!t.ended && !t.paused && t.seconds_left !== null && t.seconds_left <= 15 ? " low" : "");
    const acting = t.seats.filter(function (s) { return s.must_act || s.submitted; });
    const done = acting.filter(function (s) { return s.submitted; }).length;
    card.state.textContent = tableState(t) + (t.ended ? "" : " · " + done + " of " + acting.length + " chosen");
    card.pause.textContent = t.paused ? "Resume" : "Pause";
    card.root.classList.toggle("ended", t.ended);
    card.tools.hidden = t.ended;
    // the seats' rows (and their buttons) are redrawn only when a seat changes, not every
    // second, so a click is never lost to a row drawn anew under the pointer
    const seats = JSON.stringify(t.seats.map(function (s) {
      return Object.assign({}, s, {seen_seconds_ago: null});
    }));
    if (card.version !== t.version || card.seatsShown !== seats) {
      card.seatsShown = seats;
      card.version = t.version;
      card.seats.replaceChildren.apply(card.seats, t.seats.map(function (s) { return seatRow(t, s); }));
      card.news.textContent = t.headlines.length ? "News: " + t.headlines.join(" · ") : "";
    }
  }

  // "1 table", "2 tables": a count and its word, singular for one
  function count(n, one, many) {
    return n + " " + (n === 1 ? one : (many || one + "s"));
  }

  function draw(status) {
    document.getElementById("room-clock").textContent = status.ended ? "debrief" :
      status.paused ? "paused" : (clock(status.seconds_left) || "–");
    document.getElementById("people").textContent = count(status.people, "person", "people") + " seated · " +
      count(status.open_seats, "open seat") + " · " + count(status.tables.length, "table");
    status.tables.forEach(drawTable);
  }

  async function poll() {
    try {
      const response = await fetch("/facilitator/status", {credentials: "same-origin"});
      if (response.status === 403) {
        say("The facilitator token is missing or wrong: open the facilitator address " +
            "that `goodhart host` printed.", true);
        return;
      }
      draw(await response.json());
      if (Date.now() - lastOk > 3000) say("Connected again.");
      lastOk = Date.now();
    } catch (err) {
      if (Date.now() - lastOk > 3000) say("Lost the host: retrying every second…", true);
    }
  }

  document.querySelectorAll("nav button[data-op]").forEach(function (b) {
    b.addEventListener("click", function () { op({type: b.dataset.op}); });
  });
  lateCode.addEventListener("click", function () { lateCode.hidden = true; });
  poll();
  setInterval(poll, 1000);
})();
