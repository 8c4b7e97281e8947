// Goodhart player page: one seat's screen, drawn from the `state` messages of its socket.
// Everything from the server is put on the page as text (textContent), never as HTML. The
// seat's secret is an HttpOnly cookie the socket sends by itself; this script never sees it.
// A closed socket reconnects with backoff; choices being made are kept (sessionStorage).
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  let sock = null, state = null, backoff = 500, sending = false, armed = false;
  let deadline = null, draft = null, noticeTimer = null, gone = false;

  // --- building the page safely --------------------------------------------------------
  function el(tag, props, ...kids) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === "text") node.textContent = v;
      else if (k === "cls") node.className = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else if (typeof v === "boolean") { if (v) node.setAttribute(k, ""); }
      else if (v !== null && v !== undefined) node.setAttribute(k, v);
    }
    for (const kid of kids.flat()) if (kid !== null && kid !== undefined && kid !== false) node.append(kid);
    return node;
  }
  const fmt = (x) => x === null || x === undefined ? "hidden"
    : Math.abs(x - Math.round(x)) < 0.05 ? Math.round(x).toLocaleString("en")
      : x.toLocaleString("en", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const cap = (s) => s ? s[0].toUpperCase() + s.slice(1) : s;
  const plural = (n, word) => `${fmt(n)} ${word}${n === 1 ? "" : "s"}`;
  const byId = (list) => Object.fromEntries((list || []).map((x) => [x.id, x]));
  const pretty = (id) => cap(String(id).replace(/_/g, " "));

  // --- the socket ------------------------------------------------------------------------
  function connect() {
    if (gone) return;
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    sock = new WebSocket(scheme + location.host + "/ws");
    sock.onopen = () => { backoff = 500; link("live", false); };
    sock.onmessage = (ev) => receive(JSON.parse(ev.data));
    sock.onclose = (ev) => {
      sending = false;
      if (ev.code === 4401) { gone = true; setTimeout(() => location.assign("/"), 2500); return; }
      if (ev.code === 4403) { gone = true; showError("Open this page from the join page."); return; }
      link("reconnecting…", true);
      const wait = backoff + Math.random() * 300;
      backoff = Math.min(backoff * 2, 15000);
      setTimeout(connect, wait);
    };
  }
  function send(msg) {
    if (!sock || sock.readyState !== WebSocket.OPEN) {
      showError("Not connected to the host right now: your choice was not sent. It reconnects by itself; try again in a moment.");
      return false;
    }
    sock.send(JSON.stringify(msg));
    return true;
  }
  function receive(msg) {
    if (msg.type === "state") { showState(msg); }
    else if (msg.type === "error") { sending = false; showError(msg.message); if (state) draw(); }
    else if (msg.type === "ack") { sending = false; clearError(); }
  }
  function link(text, down) { const l = $("link"); l.textContent = text; l.classList.toggle("down", down); }
  function showError(text) { const e = $("error"); e.textContent = text; e.hidden = false; }
  function clearError() { $("error").hidden = true; }
  setInterval(() => { if (sock && sock.readyState === WebSocket.OPEN) send({ type: "ping", version: state ? state.version : null }); }, 20000);
  const wake = () => { if (!gone && (!sock || sock.readyState === WebSocket.CLOSED)) { backoff = 500; connect(); } };
  window.addEventListener("online", wake);
  document.addEventListener("visibilitychange", () => { if (!document.hidden) wake(); });

  // --- state and the choice being made -----------------------------------------------------
  function draftKey(s) { return `goodhart-draft:${s.table_id}:${s.seat}:${s.view.turn}:${s.view.phase}`; }
  function showState(s) {
    if (state && s.version < state.version && s.table_id === state.table_id) return;
    if (s.texts === undefined) { if (!state) return; s.texts = state.texts; }   // unchanged since the last state
    const key = draftKey(s);
    if (!draft || draft.key !== key) {
      if (draft) window.scrollTo(0, 0);   // a new phase starts at the top of the page
      draft = loadDraft(key, s); armed = false;
    }
    state = s;
    deadline = s.seconds_left === null || s.seconds_left === undefined ? null
      : performance.now() + s.seconds_left * 1000;
    draw();
  }
  function loadDraft(key, s) {
    try { const kept = JSON.parse(sessionStorage.getItem(key)); if (kept && kept.key === key) return kept; } catch (e) { /* none kept */ }
    const d = { key, levels: {}, effort: {}, numbers: {} };
    for (const p of s.legal.policies || []) d.levels[p.id] = p.current;
    const last = s.view.own_history.length ? s.view.own_history[s.view.own_history.length - 1].choice : {};
    for (const b of s.legal.behaviours || []) d.effort[b.id] = b.available ? Math.min(last[b.id] || 0, b.max_effort) : 0;
    if (Object.values(d.effort).reduce((a, b) => a + b, 0) > s.legal.effort) for (const k in d.effort) d.effort[k] = 0;
    for (const n of s.legal.numbers || []) d.numbers[n.id] = n.current;
    return d;
  }
  function keepDraft() { try { sessionStorage.setItem(draft.key, JSON.stringify(draft)); } catch (e) { /* private mode */ } }

  // --- drawing -------------------------------------------------------------------------------
  function draw() {
    const s = state, v = s.view, t = s.texts;
    $("who").textContent = `${s.person} · ${t.role.name}`;
    $("where").textContent = `${s.table_name} · ${cap(v.turn_name)} ${Math.min(v.turn, v.turns)} of ${v.turns}`;
    const box = $("choices"); box.replaceChildren();
    const notes = [];
    if (s.paused) notes.push("The facilitator has paused the game. Your choices wait until play goes on.");
    if (s.covered_by_bot) notes.push("A bot played this seat while you were away. It is yours again now.");
    if (!v.employed && !s.ended) notes.push("You were laid off. You can still follow the company from here.");
    const notice = $("notice"); notice.hidden = !notes.length; notice.textContent = notes.join(" ");
    if (s.ended) drawReveal(box);
    else if (s.legal.must_act && !v.own_choice) (v.phase === "policy" ? drawPolicies : drawEffort)(box);
    else drawWaiting(box);
    drawSide();
    tickTimer();
  }
  function title(text, sub) { $("phase-title").textContent = text; $("phase-sub").textContent = sub || ""; }
  function othersWaiting(v) { return v.waiting_for.filter((i) => i !== v.seat).length; }

  function drawWaiting(box) {
    const v = state.view, others = othersWaiting(v);
    const step = v.phase === "policy" ? "policies are being chosen" : "the others are choosing";
    title(`${cap(v.turn_name)} ${v.turn} of ${v.turns}: ${step}`,
      others ? `Waiting for others: ${plural(others, "seat")} still choosing.` : "Everyone has chosen; the review is coming.");
    if (v.own_choice) {
      box.append(el("div", { cls: "notice done" }, el("strong", { text: "Your choice is in. " }),
        el("span", { text: describeChoice(v.own_choice, v.phase) })));
    } else if (!state.legal.must_act) {
      box.append(el("p", { cls: "muted", text: v.phase === "policy"
        ? `This ${v.turn_name}'s policies are being set. You see them once they are in force.`
        : "The others are choosing now. Nobody sees anyone's choice until the end." }));
    }
    box.append(...[relationsPanel(), newsList()].filter(Boolean));
  }
  function describeChoice(choice, phase) {
    const t = state.texts;
    if (phase === "policy") {
      const ps = byId(t.policies);
      const on = Object.entries(choice).filter(([, l]) => l > 0).map(([id, l]) => `${(ps[id] || {}).name || pretty(id)}: ${((ps[id] || {}).levels || [])[l] || l}`);
      return on.length ? `Policies: ${on.join(", ")}.` : "All policies off.";
    }
    const parts = [effortWords(choice), numberWords(choice)].filter(Boolean);
    return parts.length ? parts.join(" ") : "No effort placed.";
  }
  function effortWords(choice) {   // "Your effort: Coding 2, Tests 1." (behaviours only)
    const bs = byId(state.texts.behaviours);
    const spent = Object.entries(choice).filter(([id, n]) => id in bs && n > 0).map(([id, n]) => `${bs[id].name} ${n}`);
    return spent.length ? `Your effort: ${spent.join(", ")}.` : "";
  }
  function numberWords(choice) {   // "Boats out: 4 boats." (the role's decisions only)
    const said = (state.texts.decisions || []).filter((d) => d.id in choice)
      .map((d) => `${d.name}: ${fmt(choice[d.id])}${d.unit ? " " + d.unit : ""}`);
    return said.length ? said.join(", ") + "." : "";
  }
  function levelsAt(turn) {   // the policy levels in force in `turn` (the changes after it undone)
    const v = state.view, levels = { ...v.policies };
    for (const c of [...(v.policy_changes || [])].reverse()) if (c.turn > turn) levels[c.policy] = c.before;
    return levels;
  }

  // policy phase (the manager)
  function policyCost() { return state.legal.policies.reduce((sum, p) => sum + p.cost * (draft.levels[p.id] || 0), 0); }
  function clashes(p, names) { return (draft.levels[p.id] || 0) ? p.excludes.filter((x) => draft.levels[x] > 0).map((x) => names[x] || pretty(x)) : []; }
  function drawPolicies(box) {
    const s = state, v = s.view, texts = byId(s.texts.policies), left = s.legal.budget - policyCost();
    const names = Object.fromEntries(s.legal.policies.map((p) => [p.id, p.name]));
    title(`${cap(v.turn_name)} ${v.turn} of ${v.turns}: choose policies`, `Budget ${plural(s.legal.budget, "point")}, ${fmt(left)} left. Tap a level on each card.`);
    const cards = el("div", { cls: "cards" });
    let clash = false;
    s.legal.policies.forEach((p) => {
      const level = draft.levels[p.id] || 0, c = clashes(p, names); clash = clash || c.length > 0;
      const desc = ((texts[p.id] || {}).description || "") + (p.excludes.length ? ` Cannot be combined with: ${p.excludes.map((x) => names[x] || pretty(x)).join(", ")}.` : "");
      const tag = p.locked ? ["locked by the facilitator", ""] : c.length ? [`clashes with ${c.join(", ")}`, "bad"]
        : level ? [`active · cost ${fmt(p.cost * level)}`, "active"] : [p.levels.length === 2 ? `off · cost ${fmt(p.cost)} if on` : "off", ""];
      const buttons = p.levels.map((name, n) => el("button", { type: "button", cls: `level${n ? "" : " off"}`, "aria-pressed": String(n === level), disabled: p.locked,
        text: name, onclick: () => { draft.levels[p.id] = n; keepDraft(); clearError(); draw(); focusCard(p.id, n); } }));
      const step = (d) => { const n = Math.max(0, Math.min(p.levels.length - 1, level + d)); if (!p.locked && n !== level) { draft.levels[p.id] = n; keepDraft(); clearError(); draw(); focusCard(p.id, n); } };
      const keys = (ev) => { if (ev.key === "ArrowRight") { ev.preventDefault(); step(1); } else if (ev.key === "ArrowLeft") { ev.preventDefault(); step(-1); } };
      cards.append(el("article", { cls: `card${level ? " on" : ""}${c.length ? " clash" : ""}`, "data-id": p.id, onkeydown: keys },
        el("h3", { text: p.name }), el("p", { cls: "desc", text: desc.trim() }),
        el("fieldset", { cls: "levels" }, el("legend", { text: `${p.name}: level` }), buttons),
        el("span", { cls: `tag ${tag[1]}`, text: tag[0] })));
    });
    box.append(...[cards, numberInputs()].filter(Boolean));
    const why = left < -1e-9 ? "Over budget: turn something down." : clash ? "Two policies that cannot be combined are both on." : "";
    box.append(confirmRow("Confirm policies", why, left < -1e-9 ? "bad" : "", `${plural(left, "budget point")} left`, () =>
      ({ type: "act", turn: v.turn, phase: v.phase, levels: { ...draft.levels }, ...numbersPart() })));
    box.append(...[newsList(), relationsPanel()].filter(Boolean));
  }

  // work phase (an employee)
  function pointsLeft() { return state.legal.effort - Object.values(draft.effort).reduce((a, b) => a + b, 0); }
  function adjust(b, step) {
    const have = draft.effort[b.id] || 0;
    if (!b.available) return showError(`${b.name} is not available now.`);
    if (step > 0 && pointsLeft() <= 0) return showError("No points left: take some from another card first.");
    if (step > 0 && have >= b.max_effort) return showError(`At most ${plural(b.max_effort, "point")} on ${b.name}.`);
    draft.effort[b.id] = Math.max(0, have + step); armed = false; keepDraft(); clearError(); draw(); focusCard(b.id, step > 0 ? 1 : 0);
  }
  function drawEffort(box) {
    const s = state, v = s.view, texts = byId(s.texts.behaviours), left = pointsLeft();
    const onlyNumbers = !s.legal.behaviours.length && (s.legal.numbers || []).length > 0;
    if (onlyNumbers) title(`${cap(v.turn_name)} ${v.turn} of ${v.turns}: your decision`, "Choose your numbers. Your choice is secret until the end.");
    else title(`${cap(v.turn_name)} ${v.turn} of ${v.turns}: split your time`, `Split your ${plural(s.legal.effort, "effort point")} over the cards. Your split is secret until the end.`);
    const cards = el("div", { cls: "cards" });
    s.legal.behaviours.forEach((b) => {
      const have = draft.effort[b.id] || 0, desc = (texts[b.id] || {}).description || "";
      const pips = el("div", { cls: "pips", "aria-hidden": "true" }, Array.from({ length: b.max_effort }, (_, n) => el("span", { cls: `pip${n < have ? " full" : ""}` })));
      const control = b.available ? el("div", { cls: "stepper" },
        el("button", { type: "button", "aria-label": `One point less on ${b.name}`, disabled: have <= 0, text: "−", onclick: () => adjust(b, -1) }),
        el("span", { cls: `points${have ? " some" : ""}`, "aria-live": "polite", text: plural(have, "pt") }),
        el("button", { type: "button", "aria-label": `One point more on ${b.name}`, disabled: have >= b.max_effort || left <= 0, text: "+", onclick: () => adjust(b, 1) }))
        : el("span", { cls: "tag", text: "not available now" });
      cards.append(el("article", { cls: `card${have ? " on" : ""}`, "data-id": b.id, onkeydown: (ev) => cardKey(ev, b) },
        el("h3", { text: b.name }), el("p", { cls: "desc", text: desc }), control, b.available ? pips : null));
    });
    // the inputs first (a phone's first screen shows them, the Confirm bar stays in sight), then what the choice reads
    const numbers = numberInputs();
    box.append(...[s.legal.behaviours.length ? cards : null, numbers, relationsPanel(), numbers ? standingPanel() : null].filter(Boolean));
    const warn = armed ? `${plural(left, "point")} not used. Press Confirm again to send anyway.` : "";
    box.append(confirmRow(`Confirm my ${v.turn_name}`, warn, left < 0 ? "bad" : "", onlyNumbers ? "" : `${plural(left, "point")} left`, () => {
      if (left > 0 && !armed) { armed = true; draw(); return null; }
      const effort = Object.fromEntries(Object.entries(draft.effort).filter(([, n]) => n > 0));
      return { type: "act", turn: v.turn, phase: v.phase, effort, ...numbersPart() };
    }));
    box.append(newsList());
  }
  function cardKey(ev, b) {
    if (ev.key === "ArrowRight" || ev.key === "+" || ev.key === "=") { ev.preventDefault(); adjust(b, 1); }
    else if (ev.key === "ArrowLeft" || ev.key === "-") { ev.preventDefault(); adjust(b, -1); }
  }
  function focusCard(id, n) {
    const card = document.querySelector(`.card[data-id="${CSS.escape(id)}"]`);
    const buttons = card ? [...card.querySelectorAll("button:not([disabled])")] : [];
    const target = card && card.querySelectorAll("button")[n];
    (target && !target.disabled ? target : buttons[0] || card)?.focus();
  }

  // numeric decisions (scenarios may add them to a phase)
  function numberInputs() {
    const list = state.legal.numbers || [];
    if (!list.length) return null;
    return el("div", { cls: "numbers" }, list.map((n) => el("div", { cls: "number" },
      el("label", { for: `num-${n.id}`, text: `${n.name} (${fmt(n.min)} to ${fmt(n.max)}${n.step && n.step !== 1 ? `, in steps of ${fmt(n.step)}` : ""})` }),
      el("input", { id: `num-${n.id}`, type: "number", inputmode: Number.isInteger(n.step) && Number.isInteger(n.min) && n.step > 0 ? "numeric" : "decimal", min: n.min, max: n.max, step: n.step || "any", value: draft.numbers[n.id],
        onchange: (ev) => { const x = Number(ev.target.value); if (ev.target.value !== "" && Number.isFinite(x)) { draft.numbers[n.id] = snap(n, x); keepDraft(); } ev.target.value = draft.numbers[n.id]; } }))));
  }
  function snap(n, x) {   // within the range, on a step (counted from the minimum)
    const on = n.step ? n.min + Math.round((x - n.min) / n.step) * n.step : x;
    return Math.min(n.max, Math.max(n.min, Number(on.toFixed(6))));
  }
  function numbersPart() { return (state.legal.numbers || []).length ? { numbers: { ...draft.numbers } } : {}; }

  function confirmRow(label, warning, leftCls, leftText, build) {
    const blocked = Boolean(state.paused || (warning && leftCls === "bad") || (warning && warning.startsWith("Two")));
    return el("div", { cls: "confirm-row" },
      el("span", { cls: `left ${leftCls}`, text: leftText }),
      warning ? el("span", { cls: "left bad", role: "status", text: warning }) : null,
      el("button", { type: "button", cls: "primary wide", disabled: Boolean(sending || blocked), text: sending ? "Sending…" : label,
        onclick: () => { const msg = build(); if (msg && send(msg)) { sending = true; draw(); } } }));
  }

  // --- the side panel: news, leaderboard, you, the company ------------------------------------
  function newsList() {
    const v = state.view, now = v.news.filter((h) => h.turn === v.turn);
    const list = now.length ? el("ul", { cls: "news" }, now.map((h) => el("li", {},
      el("strong", { text: h.headline + (h.injected ? " (announced by the facilitator)" : "") }), h.text ? el("span", { cls: "muted", text: h.text }) : null)))
      : el("p", { cls: "muted", text: `A quiet ${v.turn_name}: no news.` });
    return el("section", { cls: "panel" }, el("h2", { text: "News" }), list);
  }
  function relationsPanel() {   // only what the view gives: neighbours, and what is in transit to the seat
    const v = state.view, t = state.texts, roles = byId(t.roles), flows = byId(t.flows);
    const incoming = v.incoming || [];
    if ((v.upstream ?? null) === null && (v.downstream ?? null) === null && !incoming.length) return null;
    const seats = Object.fromEntries(v.others.map((o) => [o.index, o]));
    const who = (i) => {   // "Skipper 2 (Skipper)"; a seat named after its role once
      const o = seats[i]; if (!o) return "you";
      const role = (roles[o.role] || {}).name || pretty(o.role);
      return o.name === role ? role : `${o.name} (${role})`; };
    const next = [["Upstream", v.upstream], ["Downstream", v.downstream]].filter(([, i]) => i !== null && i !== undefined)
      .map(([side, i]) => [side, who(i), "relation"]);
    const soon = [...incoming].sort((a, b) => a.due - b.due).map((i) => [(flows[i.flow] || {}).name || pretty(i.flow),
      fmt(i.amount), "", i.due <= v.turn ? `arrives this ${v.turn_name}` : i.due === v.turn + 1 ? `arrives next ${v.turn_name}` : `arrives in ${v.turn_name} ${i.due}`]);
    return el("section", { cls: "panel relations" }, el("h2", { text: "Next to you" }),
      next.length ? rows(next) : null,
      soon.length ? el("h3", { text: "On its way to you" }) : null, soon.length ? rows(soon) : null);
  }
  function ownStatRows() {   // the seat's own stats, named, with their units
    const v = state.view, stats = byId(state.texts.stats);
    return Object.entries(v.own_stats).map(([id, x]) => { const st = stats[id] || {}; return [st.name || pretty(id), fmt(x) + (st.unit ? " " + st.unit : "")]; });
  }
  function standingPanel() {   // a phone sees its own figures beside the numbers it chooses (the side panel is far below)
    const mine = ownStatRows();
    return mine.length ? el("section", { cls: "panel standing" }, el("h2", { text: "Where you stand" }), rows(mine)) : null;
  }
  function boardPanels() {   // the scenario's own leaderboards, the seat's (or its team's, its role's) row marked
    const v = state.view, marks = { seat: " (you)", team: " (your team)", role: " (your role)" };
    return (v.boards || []).map((b) => el("section", { cls: "panel board" }, el("h2", { text: b.name }),
      rows(b.rows.map((r) => { const mine = r.seats.includes(v.seat);
        return [`${r.rank}. ${r.name}${mine ? marks[b.by] || " (you)" : ""}`, fmt(r.score), mine ? "me" : ""]; }))));
  }
  function rows(items) { return el("ul", { cls: "rows" }, items.map(([label, value, cls, note]) => el("li", { cls: cls || "" },
    el("span", {}, label, note ? el("span", { cls: "note", text: note }) : null), el("span", { cls: "value", text: value })))); }
  function drawSide() {
    const s = state, v = s.view, side = $("side"), ps = byId(s.texts.policies), stats = byId(s.texts.stats), roles = byId(s.texts.roles);
    const active = Object.entries(v.policies).filter(([, l]) => l > 0).map(([id, l]) => {
      const p = ps[id] || {}; return [p.name || pretty(id), (p.levels || [])[l] || String(l)]; });
    const boards = Object.entries(v.leaderboards).map(([role, list]) => el("section", { cls: "panel" },
      el("h2", { text: `Leaderboard: ${(roles[role] || {}).name || pretty(role)}` }),
      rows(list.map((r) => [`${r.rank}. ${r.name}${r.seat === v.seat ? " (you)" : ""}`, fmt(r.score), r.seat === v.seat ? "me" : ""]))));
    if (!boards.length && !v.own_history.length && !s.ended) boards.push(el("section", { cls: "panel" }, el("h2", { text: "Leaderboard" }), el("p", { cls: "muted", text: `Published after the first review, at the end of ${v.turn_name} 1.` })));
    const you = [...(v.rank ? [["Last review score", fmt(v.score)], ["Rank", String(v.rank)]] : []), ["Total review score", fmt(v.score_total)],
      ...ownStatRows()];
    const company = v.metrics.map((m) => [el("span", {}, m.name, m.kind === "proxy" || m.kind === "health" ? el("span", { cls: `kind ${m.kind}`, text: m.kind }) : null),
      m.value === null ? "hidden" : fmt(m.value) + (m.unit ? " " + m.unit : ""), "", m.note !== "live" ? m.note : ""]);
    const scoring = (s.texts.scoring || []).length && !s.ended ? el("section", { cls: "panel" }, el("h2", { text: "How you earn points" }),
      el("ul", { cls: "lines" }, s.texts.scoring.map((line) => el("li", { cls: /^New: /.test(line) ? "new" : "", text: line })))) : null;
    side.replaceChildren(...(scoring ? [scoring] : []), ...boards, ...boardPanels(),
      ...(s.ended ? [relationsPanel()].filter(Boolean) : []),
      el("section", { cls: "panel" }, el("h2", { text: "Policies in force" }), active.length ? rows(active) : el("p", { cls: "muted", text: "None." })),
      el("section", { cls: "panel" }, el("h2", { text: "You" }), rows(you)),
      el("section", { cls: "panel" }, el("h2", { text: v.revealed ? "The company, as it really was" : "The company, as you see it" }), rows(company)));
  }

  // --- the reveal -------------------------------------------------------------------------------
  function drawReveal(box) {
    const s = state, v = s.view, sum = s.summary;
    title("What really happened", v.revealed ? "The game is over: everything hidden is shown now."
      : "The facilitator ended the game early: the figures are as they stood, and what was hidden stays hidden.");
    if (sum) {
      box.append(el("div", { cls: "reveal-figures" },
        figure("proxy", "Leaderboard (proxy) index", `${fmt(sum.proxy_start)} → ${fmt(sum.proxy_end)}`),
        figure("health", "Real health index", `${fmt(sum.health_start)} → ${fmt(sum.health_end)}`),
        figure("gap", "Gap at the end", (sum.gap_end > 0 ? "+" : "") + fmt(sum.gap_end))));
      if (sum.leader) box.append(el("p", { text: `Top of the leaderboard: ${sum.leader}` + (sum.leader_contribution_rank ? `, whose real contribution ranked ${sum.leader_contribution_rank}.` : ".") }));
      if (sum.facts && sum.facts.length) box.append(el("section", { cls: "panel" }, el("h2", { text: "This game in numbers" }), el("ul", { cls: "lines" }, sum.facts.map((f) => el("li", { text: f })))));
      if (sum.lessons && sum.lessons.length) box.append(el("section", { cls: "panel" }, el("h2", { text: "Lessons" }), el("ul", { cls: "lines" }, sum.lessons.map((f) => el("li", { text: f })))));
    } else if (s.summary_pending) {
      box.append(el("p", { cls: "note", text: "The table's debrief is being prepared; it appears here in a moment." }));
    }
    const weeks = v.own_history.map((h) => [`${cap(v.turn_name)} ${h.turn}`,
      h.score === null ? "" : `score ${fmt(h.score)}${h.rank ? ", rank " + h.rank : ""}`, "", weekWords(h) || "Nothing chosen."]);
    if (weeks.length) box.append(el("section", { cls: "panel weeks" }, el("h2", { text: `Your ${v.turn_name}s` }), rows(weeks)));
  }
  function weekWords(h) {   // what the seat chose in a past turn: policies (a manager), effort, numbers
    const t = state.texts, parts = [];
    if (t.sets_policies) parts.push(describeChoice(levelsAt(h.turn), "policy"));
    if ((t.behaviours || []).length) parts.push(effortWords(h.choice) || "No effort placed.");
    parts.push(numberWords(h.choice));
    return parts.filter(Boolean).join(" ");
  }
  function figure(cls, label, value) { return el("div", { cls: `figure ${cls}` }, el("span", { cls: "label", text: label }), el("span", { cls: "big", text: value })); }

  // --- the phase timer --------------------------------------------------------------------------
  function tickTimer() {
    const t = $("timer");
    if (!state || state.ended || deadline === null) { t.hidden = true; return; }
    t.hidden = false;
    if (state.paused) { t.textContent = "paused"; t.classList.remove("low"); return; }
    const left = Math.max(0, Math.round((deadline - performance.now()) / 1000));
    t.textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
    t.classList.toggle("low", left <= 15);
    t.setAttribute("aria-label", `${left} seconds left`);
  }
  setInterval(tickTimer, 250);
  connect();
})();
