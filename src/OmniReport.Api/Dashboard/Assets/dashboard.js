// OmniReport dashboard (SPEC §8). Plain JavaScript and SVG, no library and no request outside this server.
// The token lives in sessionStorage; the view (from, to, tz, channel, group) lives in the URL fragment.
"use strict";
(() => {
  const TOKEN_KEY = "omnireport.token";
  const CHANNELS = ["messaging", "chat", "email", "voice", "sms", "whatsapp", "social"];
  // The "now" lists follow the live stream (SPEC §9): a change wakes a re-read of both lists. A slow tick only keeps
  // the growing "open for" / "waiting" durations current, since time passing is no change.
  const NOW_TICK_MS = 30000;
  const NOW_SETTLE_MS = 300;
  const DAY_MS = 86400000;
  const $ = (id) => document.getElementById(id);
  const state = { token: null, from: "", to: "", tz: "", channel: "", group: "" };
  let renderSeq = 0;
  let nowTimer = null;
  let nowStream = null;
  let nowPending = null;
  let firstRenderMarked = false;

  // ---- fragment ----------------------------------------------------------------------------------------------
  function readFragment() {
    const p = new URLSearchParams(location.hash.replace(/^#/, ""));
    const token = p.get("token");
    if (token) {
      sessionStorage.setItem(TOKEN_KEY, token);
      p.delete("token"); // never left in the address bar, the history or a bookmark
    }
    for (const k of ["from", "to", "tz", "channel", "group"]) state[k] = p.get(k) ?? "";
    return p;
  }

  function writeFragment() {
    const p = new URLSearchParams();
    for (const k of ["from", "to", "tz", "channel", "group"]) {
      if (state[k]) p.set(k, state[k]);
    }
    const hash = "#" + p.toString();
    if (location.hash !== hash) history.replaceState(null, "", location.pathname + location.search + hash);
  }

  // ---- dates in a time zone ------------------------------------------------------------------------------------
  function todayIn(tz) {
    const parts = new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" })
      .formatToParts(new Date());
    const get = (t) => parts.find((x) => x.type === t).value;
    return `${get("year")}-${get("month")}-${get("day")}`;
  }
  const addDays = (date, n) => new Date(Date.parse(date + "T00:00:00Z") + n * DAY_MS).toISOString().slice(0, 10);
  const daysBetween = (a, b) => Math.round((Date.parse(b + "T00:00:00Z") - Date.parse(a + "T00:00:00Z")) / DAY_MS);
  function validZone(tz) {
    try { new Intl.DateTimeFormat("en", { timeZone: tz }); return true; } catch { return false; }
  }
  const validDate = (d) => /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(d + "T00:00:00Z"));

  function preset(kind) {
    const today = todayIn(state.tz);
    state.to = addDays(today, 1);
    state.from = kind === "today" ? today : addDays(today, 1 - Number(kind));
  }

  function normalise() {
    if (!state.tz || !validZone(state.tz)) state.tz = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
    if (!validDate(state.from) || !validDate(state.to) || state.to <= state.from) preset("30");
    if (state.channel && !CHANNELS.includes(state.channel)) state.channel = "";
  }

  // ---- API -----------------------------------------------------------------------------------------------------
  class ApiError extends Error {
    constructor(status, text) { super(text); this.status = status; }
  }

  async function api(path, body) {
    const init = { headers: { Authorization: "Bearer " + state.token, Accept: "application/json" } };
    if (body !== undefined) {
      init.method = "POST";
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const r = await fetch(path, init);
    const text = await r.text();
    if (!r.ok) {
      let description = text;
      try { const j = JSON.parse(text); description = j.description || j.error || text; } catch { /* not JSON */ }
      throw new ApiError(r.status, description);
    }
    return JSON.parse(text);
  }

  function explain(e) {
    if (!(e instanceof ApiError)) return "The server could not be reached: " + e.message;
    if (e.status === 401) return "That token was not accepted (401 Unauthorized). Check it and type it again.";
    if (e.status === 403) return "That token lacks the reports:read scope (403 Forbidden).";
    if (e.status === 404) return "This server does not offer that API yet (404): " + e.message;
    if (e.status === 429) return "Too many requests (429); the dashboard will try again.";
    return `The server answered ${e.status}: ${e.message}`;
  }

  const interval = (from, to) => ({ from: from + "T00:00:00", to: to + "T00:00:00" });

  function engFilter(withChannel = true) {
    const f = {};
    if (withChannel && state.channel) f.channel = [state.channel];
    if (state.group) f.group_id = [state.group];
    return f;
  }
  // Interaction records know their group by the text of `groups` (its name, or its id when it has none), engagements
  // by `group_id`: GET /api/v2/groups gives each id the texts its interaction records carry, and the interaction
  // aggregates are filtered by those (docs/decisions.md, issue #12). Without a group the request leaves at once, so
  // the requests keep the order they are asked for in.
  function intAggFiltered(body) {
    const filter = state.channel ? { interaction_type: [state.channel] } : {};
    if (!state.group) return intAgg({ ...body, filter });
    return loadGroupList().then((groups) => {
      const g = groups.find((x) => x.id === state.group);
      filter.groups = g && g.names.length ? g.names : [state.group];
      return intAgg({ ...body, filter });
    });
  }

  // Names for ids, each list read once a page load (and again after a new token): agents for the agents table, groups
  // for the group control and the interactions' group filter. The groups list is a scan of the account's interactions,
  // so it is read after the first render unless a group is chosen (the filter needs it).
  let agentNames = null;
  let groupList = null;
  function cached(read, get, set) {
    let p = get();
    if (!p) {
      p = read();
      set(p);
      p.catch(() => { set(null); }); // a later view tries again
    }
    return p;
  }
  const loadAgents = () => cached(() => api("/api/v2/agents").then((a) => new Map(a.agents.map((x) => [String(x.id), x.name]))),
    () => agentNames, (p) => { agentNames = p; });
  const loadGroupList = () => cached(() => api("/api/v2/groups").then((g) => g.groups.map((x) => ({ id: String(x.id), name: x.name, names: x.names }))),
    () => groupList, (p) => { groupList = p; });
  function forgetNames() { agentNames = null; groupList = null; }
  const agentName = (names, id) => (names && names.get(String(id))) || null;

  const engAgg = (body) => api("/api/v2/engagements/aggregates", body);
  const intAgg = (body) => api("/api/v2/interactions/aggregates", body);

  function totalBucket(answer) {
    const r = answer.results && answer.results[0];
    return r && r.buckets && r.buckets[0] ? r.buckets[0] : {};
  }

  // ---- rendering helpers -------------------------------------------------------------------------------------
  function el(tag, attrs = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      // Styles through the CSSOM: the content security policy refuses style attributes.
      if (k === "text") e.textContent = v; else if (k === "style") e.style.cssText = v; else e.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c);
    return e;
  }
  function svg(tag, attrs = {}) {
    const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    return e;
  }
  const fmt = (v) => (v === null || v === undefined ? "—" : Number.isInteger(v) ? v.toLocaleString("en") : v.toLocaleString("en", { maximumFractionDigits: 2 }));
  const duration = (s) => {
    if (s === null || s === undefined) return "—";
    if (s < 120) return s + " s";
    if (s < 7200) return Math.floor(s / 60) + " min " + (s % 60) + " s";
    return Math.floor(s / 3600) + " h " + Math.floor((s % 3600) / 60) + " min";
  };
  // One colour per channel, CIE lightness 18, 33, 46, 61, 73, 86, 93: distinct hues and distinct greys.
  const PALETTE = ["#3f007d", "#8c2d04", "#2171b5", "#ec7014", "#74c476", "#fdd0a2", "#deebf7"];
  const color = (channel) => PALETTE[Math.max(0, CHANNELS.indexOf(channel))];
  const textTable = (caption, head, rows) => el("details", {}, el("summary", { text: caption }),
    el("table", {}, el("thead", {}, el("tr", {}, ...head.map((h) => el("th", { scope: "col", text: h })))),
      el("tbody", {}, ...rows.map((r) => el("tr", {}, ...r.map((c) => el("td", { text: String(c) })))))));

  // ---- KPIs ----------------------------------------------------------------------------------------------------
  function setKpi(name, value) {
    const card = document.querySelector(`[data-kpi="${name}"]`);
    card.setAttribute("data-value", value === null || value === undefined ? "" : String(value));
    const unit = card.getAttribute("data-unit");
    card.querySelector(".value").textContent = value === null || value === undefined ? "—" : fmt(value) + (unit ? " " + unit : "");
    card.querySelector(".change").textContent = "";
  }
  function setChange(name, previous, prevDays) {
    const card = document.querySelector(`[data-kpi="${name}"]`);
    const raw = card.getAttribute("data-value");
    const value = raw === "" ? null : Number(raw);
    const unit = card.getAttribute("data-unit");
    let change = "";
    if (value !== null && previous !== null && previous !== undefined) {
      if (unit === "%") {
        const d = Math.round((value - previous) * 100) / 100;
        change = `${d >= 0 ? "+" : ""}${fmt(d)} points vs previous ${prevDays} days`;
      } else if (previous !== 0) {
        const d = Math.round(((value - previous) / previous) * 1000) / 10;
        change = `${d >= 0 ? "+" : ""}${fmt(d)} % vs previous ${prevDays} days (${fmt(previous)})`;
      } else {
        change = `previous ${prevDays} days: 0`;
      }
    } else if (previous === null || previous === undefined) {
      change = `previous ${prevDays} days: no value`;
    }
    card.querySelector(".change").textContent = change;
  }

  const KPI_ENG = ["engagements", "assignment_to_first_reply_time_seconds", "requester_wait_seconds"];
  const KPI_INT = ["interactions", "service_level_percent", "abandon_percent"];
  const p50 = (x) => (x.assignment_to_first_reply_time_seconds ? x.assignment_to_first_reply_time_seconds.p50 : null);
  function kpiValues(b, c) {
    return { engagements: b.engagements ?? 0, interactions: c.interactions ?? 0, first_reply_p50_seconds: p50(b),
      requester_wait_seconds: b.requester_wait_seconds ?? null, service_level_percent: c.service_level_percent ?? null,
      abandon_percent: c.abandon_percent ?? null };
  }
  // The current period's requests are issued before every other panel's and the previous period's after them: the
  // browser runs six requests to a server at once, and the cards' numbers come first. The current engagements' answer
  // also carries the percentiles panel's statistic.
  function kpiRequests(from, to, current) {
    const base = { interval: interval(from, to), timezone: state.tz, granularity: "total" };
    return [
      engAgg({ ...base, filter: engFilter(), metrics: current ? [...KPI_ENG, "average_requester_wait_time_seconds"] : KPI_ENG }),
      intAggFiltered({ ...base, metrics: KPI_INT }),
    ];
  }
  async function renderKpis(seq, requests) {
    const [e, i] = await Promise.all(requests);
    if (seq !== renderSeq) return null;
    const b = totalBucket(e);
    for (const [k, v] of Object.entries(kpiValues(b, totalBucket(i)))) setKpi(k, v);
    renderPercentiles(b);
    return b;
  }
  async function renderChanges(seq, requests, current, days) {
    const [e, i] = await Promise.all([Promise.all(requests), current]);
    if (seq !== renderSeq || !i) return;
    for (const [k, v] of Object.entries(kpiValues(totalBucket(e[0]), totalBucket(e[1])))) setChange(k, v, days);
  }

  // ---- volume charts -------------------------------------------------------------------------------------------
  // Buckets: one a day, or one an hour when the range is one day. Each bar is stacked by channel; each segment is a
  // button that lists the engagements it counts (opened by `open(channel, start, end, count, when)`).
  function volumeChart(host, answer, field, countName, open) {
    host.replaceChildren();
    const days = daysBetween(state.from, state.to);
    const granularity = days <= 1 ? "PT1H" : "P1D";
    const series = new Map(); // channel -> [{start, count}]
    const starts = [];
    for (const r of answer.results || []) {
      const ch = String(r.group[field] ?? "").toLowerCase();
      series.set(ch, r.buckets.map((b) => ({ start: b.start, count: b[countName] ?? 0 })));
      if (!starts.length) for (const b of r.buckets) starts.push(b.start);
    }
    if (!starts.length) {
      host.append(el("p", { class: "muted", text: "Nothing in this range." }));
      return;
    }
    const totals = starts.map((_, k) => [...series.values()].reduce((s, arr) => s + arr[k].count, 0));
    const max = Math.max(1, ...totals);
    const W = 900, H = 220, left = 40, bottom = 30, top = 10;
    const bw = (W - left) / starts.length;
    const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "group", "aria-label": `${countName} by ${granularity === "P1D" ? "day" : "hour"} and channel` });
    chart.append(svg("line", { x1: left, x2: W, y1: H - bottom, y2: H - bottom, stroke: "#767676" }));
    const maxLabel = svg("text", { x: left - 4, y: top + 10, "text-anchor": "end", "font-size": 11 });
    maxLabel.textContent = String(max);
    chart.append(maxLabel);
    const labelEvery = Math.ceil(starts.length / 12);
    starts.forEach((start, k) => {
      let y = H - bottom;
      const end = k + 1 < starts.length ? starts[k + 1] : state.to + "T00:00:00";
      for (const ch of CHANNELS) {
        const arr = series.get(ch);
        if (!arr || !arr[k].count) continue;
        const h = (arr[k].count / max) * (H - bottom - top);
        y -= h;
        const when = granularity === "P1D" ? start.slice(0, 10) : start.slice(0, 16).replace("T", " ");
        const rect = svg("rect", { x: left + k * bw + 1, y, width: Math.max(1, bw - 2), height: h, fill: color(ch), class: "bar",
          "data-channel": ch, "data-start": start, "data-end": end, "data-count": arr[k].count, tabindex: "0", role: "button",
          "aria-label": `${when}, ${ch}: ${arr[k].count} ${countName}; select to list the engagements` });
        const title = svg("title");
        title.textContent = `${when} ${ch}: ${arr[k].count}`;
        rect.append(title);
        activate(rect, () => open(ch, start, end, arr[k].count, when));
        chart.append(rect);
      }
      if (k % labelEvery === 0) {
        const t = svg("text", { x: left + k * bw + bw / 2, y: H - bottom + 14, "text-anchor": "middle", "font-size": 11 });
        t.textContent = granularity === "P1D" ? start.slice(5, 10) : start.slice(11, 13) + "h";
        chart.append(t);
      }
    });
    const legend = el("ul", { class: "legend", "aria-hidden": "true" },
      ...CHANNELS.filter((c) => series.has(c)).map((c) => el("li", {}, el("span", { class: "swatch", style: `background:${color(c)}` }), c)));
    const present = CHANNELS.filter((c) => series.has(c));
    const rows = starts.map((s, k) => [granularity === "P1D" ? s.slice(0, 10) : s.slice(0, 16), ...present.map((c) => series.get(c)[k].count), totals[k]]);
    host.append(legend, chart, textTable("Show as a table", ["Start", ...present, "Total"], rows));
  }

  // Click and Enter or Space: an element that is not a button but acts as one (SVG bars, table rows).
  function activate(node, open) {
    node.addEventListener("click", open);
    node.addEventListener("keydown", (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); open(); } });
  }

  // Engagements are asked for once, by hour and channel: the daily bars and the heatmap are both sums of those
  // buckets (a local day is the hours whose local date is that day), so the page makes one request fewer.
  function byDay(answer, countName) {
    const results = (answer.results || []).map((r) => {
      const days = new Map();
      for (const b of r.buckets) {
        const day = b.start.slice(0, 10);
        if (!days.has(day)) days.set(day, { start: b.start, [countName]: 0 });
        days.get(day)[countName] += b[countName] ?? 0;
      }
      return { group: r.group, buckets: [...days.values()] };
    });
    return { results };
  }

  async function renderVolumes(seq) {
    const oneDay = daysBetween(state.from, state.to) <= 1;
    const base = { interval: interval(state.from, state.to), timezone: state.tz };
    const [e, i] = await Promise.all([
      engAgg({ ...base, granularity: "PT1H", group_by: ["channel"], filter: engFilter(), metrics: ["engagements"] }),
      intAggFiltered({ ...base, granularity: oneDay ? "PT1H" : "P1D", group_by: ["interaction_type"], metrics: ["interactions"] }),
    ]);
    if (seq !== renderSeq) return;
    volumeChart($("eng-volume"), oneDay ? e : byDay(e, "engagements"), "channel", "engagements",
      (ch, start, end, count, when) => drill({ label: `${when}, ${ch}`, intervals: [[start, end]], channel: ch, expected: count }));
    // An interaction bar lists the engagements of its channel that started in its bucket: the engagements API lists
    // engagements by their start, not by their interaction's (docs/decisions.md, issue #12).
    volumeChart($("int-volume"), i, "interaction_type", "interactions",
      (ch, start, end, count, when) => drill({ label: `${when}, ${ch}: engagements started then`, intervals: [[start, end]], channel: ch,
        note: `The chart counts ${count} ${ch} interactions started then; listed: the ${ch} engagements that started then.` }));
    renderHeatmap(e);
  }

  // ---- percentiles, end reasons --------------------------------------------------------------------------------
  // Horizontal bars; a row with an `open` is a button that lists its engagements.
  function hbars(host, rows, unit) {
    const max = Math.max(1, ...rows.map((r) => r.value ?? 0));
    host.append(...rows.map((r) => {
      const shown = r.value === null || r.value === undefined ? "—" : fmt(r.value) + unit;
      const parts = [el("span", { text: r.label }),
        el("span", { class: "track", "aria-hidden": "true" }, el("span", { class: "fill", style: `width:${((r.value ?? 0) / max) * 100}%;display:block` })),
        el("span", { class: "num", text: shown })];
      if (!r.open) return el("div", { class: "hbar" }, ...parts);
      const b = el("button", { type: "button", class: "hbar", ...r.attrs, "aria-label": `${r.label}: ${shown}; select to list ${r.what}` }, ...parts);
      b.addEventListener("click", r.open);
      return b;
    }));
  }

  // A percentile bar lists the engagements at or above it (value ≥ the percentile): the slowest ones it describes.
  function renderPercentiles(bucket) {
    const host = $("percentiles");
    host.replaceChildren();
    const rows = [];
    const add = (name, field, stat) => {
      for (const p of ["p50", "p90", "p95"]) {
        const v = stat ? stat[p] : null;
        rows.push({ label: `${name} ${p}`, value: v, what: `the engagements at or above it`,
          attrs: { "data-field": field, "data-percentile": p, "data-value": v },
          open: v === null || v === undefined ? null : () => drill({ label: `${name.toLowerCase()} at or above its ${p} (${v} s)`,
            intervals: rangeDays(), match: (e) => e[field] !== null && e[field] >= v }) });
      }
    };
    add("First reply", "assignment_to_first_reply_time_seconds", bucket.assignment_to_first_reply_time_seconds);
    add("Requester wait", "average_requester_wait_time_seconds", bucket.average_requester_wait_time_seconds);
    hbars(host, rows, " s");
    host.append(el("p", { class: "hint", text: "Requester wait: each engagement's average wait before a reply. Select a bar to list the engagements at or above it." }));
  }

  async function renderReasons(seq) {
    const a = await engAgg({ interval: interval(state.from, state.to), timezone: state.tz, granularity: "total",
      group_by: ["engagement_end_reason"], filter: engFilter(), metrics: ["engagements"] });
    if (seq !== renderSeq) return;
    // The engagements API has no end-reason filter: the reason's engagements are the range's, read a day at a time
    // and kept when their end reason is this one.
    const rows = (a.results || []).map((r) => {
      const reason = String(r.group.engagement_end_reason);
      const count = r.buckets[0].engagements;
      return { label: reason, value: count, what: "its engagements", attrs: { "data-reason": reason, "data-count": count },
        open: () => drill({ label: `ended by “${reason}”`, intervals: rangeDays(), match: (e) => e.engagement_end_reason === reason, expected: count }) };
    }).sort((x, y) => y.value - x.value);
    const host = $("reasons");
    host.replaceChildren();
    if (!rows.length) host.append(el("p", { class: "muted", text: "No engagements in this range." }));
    hbars(host, rows, "");
  }

  // ---- heatmap -------------------------------------------------------------------------------------------------
  // A cell sums the hourly buckets whose local weekday and hour are its own; it lists the engagements of exactly
  // those buckets (each bucket's own bounds from the answer, so a DST day's missing or doubled hour is right).
  function renderHeatmap(a) {
    const grid = Array.from({ length: 7 }, () => new Array(24).fill(0));
    const spans = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => []));
    (a.results || []).forEach((r, n) => {
      r.buckets.forEach((b, k) => {
        // The bucket's local wall-clock time is the text before its offset.
        const day = (new Date(b.start.slice(0, 10) + "T00:00:00Z").getUTCDay() + 6) % 7; // Monday first
        const hour = Number(b.start.slice(11, 13));
        grid[day][hour] += b.engagements ?? 0;
        if (n === 0) spans[day][hour].push([b.start, k + 1 < r.buckets.length ? r.buckets[k + 1].start : state.to + "T00:00:00"]);
      });
    });
    const max = Math.max(1, ...grid.flat());
    const names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const table = el("table", { class: "heat" },
      el("caption", { class: "hint", text: "Engagements started in each hour of each weekday (darker: more). Select a number to list them." }),
      el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "" }), ...Array.from({ length: 24 }, (_, h) => el("th", { scope: "col", text: String(h) })))),
      el("tbody", {}, ...grid.map((row, d) => el("tr", {}, el("th", { scope: "row", text: names[d] }),
        ...row.map((v, h) => {
          const light = Math.round(97 - (v / max) * 75); // one hue, lightness carries the value
          const label = `${names[d]} ${h}:00, ${v} engagements`;
          let content = null;
          if (v) {
            content = el("button", { type: "button", "data-day": d, "data-hour": h, "data-count": v, "aria-label": label + "; select to list them", text: String(v) });
            content.addEventListener("click", () => drill({ label: `${names[d]} ${h}:00–${h + 1}:00`, intervals: spans[d][h], expected: v }));
          }
          return el("td", { style: `background:hsl(215 60% ${light}%);color:${light < 55 ? "#fff" : "#1a1a1a"}`,
            title: `${names[d]} ${h}:00 — ${v}`, "aria-label": v ? null : label }, content);
        })))));
    $("heatmap").replaceChildren(table);
  }

  // ---- agents --------------------------------------------------------------------------------------------------
  let agentRows = [];
  let agentSort = { key: "engagements", dir: -1 };
  async function renderAgents(seq) {
    const [a, dir] = await Promise.all([engAgg({ interval: interval(state.from, state.to), timezone: state.tz, granularity: "total",
      group_by: ["agent_id"], filter: engFilter(),
      metrics: ["engagements", "assignment_to_first_reply_time_seconds", "requester_wait_seconds", "agent_messages_count"] }),
      loadAgents().catch(() => null)]); // without names the table still shows ids
    if (seq !== renderSeq) return;
    agentRows = (a.results || []).map((r) => {
      const b = r.buckets[0];
      const agent = String(r.group.agent_id);
      return { name: agentName(dir, agent), agent, engagements: b.engagements ?? 0,
        firstReply: b.assignment_to_first_reply_time_seconds ? b.assignment_to_first_reply_time_seconds.p50 : null,
        wait: b.requester_wait_seconds ?? null, messages: b.agent_messages_count ? b.agent_messages_count.sum : 0 };
    });
    drawAgents();
  }
  const compare = (a, b) => (typeof a === "string" ? a.localeCompare(b, "en", { numeric: true, sensitivity: "base" }) : a - b);
  function drawAgents() {
    const cols = [["name", "Agent"], ["agent", "Id"], ["engagements", "Engagements"], ["firstReply", "Median first reply (s)"],
      ["wait", "Average requester wait (s)"], ["messages", "Messages"]];
    const text = (k) => k === "name" || k === "agent";
    const { key, dir } = agentSort;
    const rows = [...agentRows].sort((x, y) => {
      const a = x[key], b = y[key];
      if (a === b) return compare(x.agent, y.agent);
      if (a === null) return 1;
      if (b === null) return -1;
      return compare(a, b) * dir;
    });
    const head = el("tr", {}, ...cols.map(([k, label]) => el("th", { scope: "col", class: text(k) ? null : "num",
      "aria-sort": k === key ? (dir > 0 ? "ascending" : "descending") : "none" },
      el("button", { type: "button", "data-sort": k, text: label + (k === key ? (dir > 0 ? " ▲" : " ▼") : "") }))));
    const body = rows.map((r) => {
      const who = r.name ? `${r.name} (id ${r.agent})` : `Agent ${r.agent}`;
      const tr = el("tr", { class: "row", tabindex: "0", "data-agent": r.agent, "data-count": r.engagements,
        "aria-label": `${who}: ${r.engagements} engagements; select to list them` },
        el("td", { text: r.name ?? "—" }), el("td", { text: r.agent }), el("td", { class: "num", text: fmt(r.engagements) }),
        el("td", { class: "num", text: fmt(r.firstReply) }), el("td", { class: "num", text: fmt(r.wait) }), el("td", { class: "num", text: fmt(r.messages) }));
      activate(tr, () => drill({ label: who, intervals: [[state.from + "T00:00:00", state.to + "T00:00:00"]], agent: r.agent, expected: r.engagements }));
      return tr;
    });
    const table = el("table", {}, el("thead", {}, head), el("tbody", {}, ...body));
    table.querySelectorAll("button[data-sort]").forEach((b) => b.addEventListener("click", () => {
      const k = b.getAttribute("data-sort");
      agentSort = { key: k, dir: agentSort.key === k ? -agentSort.dir : (text(k) ? 1 : -1) };
      drawAgents();
      $("agents").querySelector(`button[data-sort="${k}"]`).focus();
    }));
    $("agents").replaceChildren(rows.length ? table : el("p", { class: "muted", text: "No engagements in this range." }));
  }

  // ---- groups --------------------------------------------------------------------------------------------------
  // Every group of the account (GET /api/v2/groups), by name; read once, so a change of view costs no request.
  async function loadGroups() {
    const select = $("group");
    const label = (g) => (g.name && g.name !== g.id ? `${g.name} (${g.id})` : "Group " + g.id);
    const groups = [...(await loadGroupList())].sort((x, y) => compare(label(x), label(y)));
    if (state.group && !groups.some((g) => g.id === state.group)) groups.push({ id: state.group, name: null, names: [] });
    select.replaceChildren(el("option", { value: "", text: "All groups" }), ...groups.map((g) => el("option", { value: g.id, text: label(g) })));
    select.value = state.group;
  }

  // ---- drill-down: the engagements a chart element or a row counts ----------------------------------------------
  // Interval ends are RFC 3339 with the zone's offset (bucket starts) or local dates; both become Unix seconds for
  // GET /api/v2/engagements, whose start_time ≤ start < end_time is the aggregates' bucket rule.
  function offsetMs(tz, ms) {
    const parts = new Intl.DateTimeFormat("en-US", { timeZone: tz, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit" }).formatToParts(new Date(ms));
    const n = (t) => Number(parts.find((x) => x.type === t).value);
    return Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute"), n("second")) - Math.floor(ms / 1000) * 1000;
  }
  function toUnix(local) {
    if (/[zZ]|[+-]\d{2}:\d{2}$/.test(local)) return Math.floor(Date.parse(local) / 1000);
    // A local wall-clock time in the page's zone: its instant, found from the zone's offset around it.
    const wall = Date.parse(local + "Z");
    let t = wall - offsetMs(state.tz, wall);
    t = wall - offsetMs(state.tz, t);
    return Math.floor(t / 1000);
  }
  // The range a local day at a time: a whole-range list is read as one interval a day, several at once.
  function rangeDays() {
    const out = [];
    for (let d = state.from; d < state.to; d = addDays(d, 1)) out.push([d + "T00:00:00", addDays(d, 1) + "T00:00:00"]);
    return out;
  }
  // At most `n` of `work` at once; the results in the items' order.
  async function pool(items, n, work) {
    const out = new Array(items.length);
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) { const k = next++; out[k] = await work(items[k]); }
    }));
    return out;
  }

  const DRILL_SHOWN = 1000; // rows drawn; every matching row is counted
  const DRILL_SCAN = 50000; // rows read at most, for a filter the API does not have
  const DRILL_PARALLEL = 4; // of the browser's six connections to this server, one is the stream's
  let drillSeq = 0;

  // q: label, intervals ([from, to) pairs), channel, agent, match (a filter the API does not have), expected (what the
  // chart counts), note. The page's channel and group filters apply as they do to the chart.
  async function drill(q) {
    const seq = ++drillSeq;
    const panel = $("drill");
    panel.hidden = false;
    $("drill-title").textContent = "Engagements: " + q.label;
    $("drill-summary").textContent = "Loading…";
    $("drill-list").replaceChildren();
    panel.focus();
    let scanned = 0;
    let partial = false;
    try {
      const dir = await loadAgents().catch(() => null);
      const parts = await pool(q.intervals, DRILL_PARALLEL, async ([from, to]) => {
        const p = new URLSearchParams({ start_time: String(toUnix(from)), end_time: String(toUnix(to)), page_size: "100" });
        const channel = q.channel || state.channel;
        if (channel) p.set("channel", channel);
        if (q.agent) p.set("agent_id", q.agent);
        if (state.group) p.set("group_id", state.group);
        let url = "/api/v2/engagements?" + p.toString();
        const rows = [];
        while (url && seq === drillSeq) {
          if (scanned >= DRILL_SCAN) { partial = true; break; }
          const page = await api(url);
          scanned += page.agent_engagement_data.length;
          for (const e of page.agent_engagement_data) if (!q.match || q.match(e)) rows.push(e);
          url = page.next_page_url ? new URL(page.next_page_url).pathname + new URL(page.next_page_url).search : null;
        }
        return rows;
      });
      if (seq !== drillSeq) return;
      const rows = parts.flat();
      const shown = rows.slice(0, DRILL_SHOWN);
      $("drill-summary").textContent = `${rows.length}${partial ? "+" : ""} engagements`
        + (q.expected !== undefined ? ` (the chart counts ${q.expected})` : "")
        + (partial ? `; stopped after reading ${DRILL_SCAN.toLocaleString("en")}` : "")
        + (rows.length > shown.length ? `; the first ${shown.length} are shown` : "") + "." + (q.note ? " " + q.note : "");
      const table = el("table", { id: "drill-table", "data-rows": rows.length, "data-shown": shown.length },
        el("thead", {}, el("tr", {}, ...["Engagement", "Ticket", "Agent", "Channel", "Start (UTC)", "End reason", "First reply (s)", "Average wait (s)", "Messages"]
          .map((h) => el("th", { scope: "col", text: h })))),
        el("tbody", {}, ...shown.map((e) => el("tr", { "data-engagement": e.engagement_id },
          el("td", { text: e.engagement_id }), el("td", { text: String(e.ticket_id) }),
          el("td", { text: agentName(dir, e.agent_id) ? `${agentName(dir, e.agent_id)} (${e.agent_id})` : String(e.agent_id) }),
          el("td", { text: e.channel }), el("td", { text: e.engagement_start_time }), el("td", { text: e.engagement_end_reason }),
          el("td", { class: "num", text: fmt(e.assignment_to_first_reply_time_seconds) }), el("td", { class: "num", text: fmt(e.average_requester_wait_time_seconds) }),
          el("td", { class: "num", text: fmt(e.agent_messages_count) })))));
      $("drill-list").replaceChildren(table);
    } catch (e) {
      if (seq === drillSeq) $("drill-summary").textContent = explain(e);
    }
  }

  // ---- now -----------------------------------------------------------------------------------------------------
  async function renderNow() {
    const p = new URLSearchParams({ limit: "20" });
    if (state.channel) p.set("channel", state.channel);
    if (state.group) p.set("group_id", state.group);
    try {
      const [open, waiting] = await Promise.all([api("/api/v2/engagements/open?" + p), api("/api/v2/interactions/waiting?" + p)]);
      $("open-count").textContent = String(open.count);
      $("waiting-count").textContent = String(waiting.count);
      $("now-time").textContent = "updated " + new Date().toLocaleTimeString();
      $("open-list").replaceChildren(open.count ? el("table", {},
        el("thead", {}, el("tr", {}, ...["Agent", "Ticket", "Channel", "Open for"].map((h) => el("th", { scope: "col", text: h })))),
        el("tbody", {}, ...open.open_engagements.map((e) => el("tr", {}, el("td", { text: e.agent_name || String(e.agent_id) }),
          el("td", { text: String(e.ticket_id) }), el("td", { text: e.channel }), el("td", { class: "num", text: duration(e.open_seconds) })))))
        : el("p", { class: "muted", text: "No engagement is open." }));
      $("waiting-list").replaceChildren(waiting.count ? el("table", {},
        el("thead", {}, el("tr", {}, ...["Interaction", "Channel", "Group", "Waiting"].map((h) => el("th", { scope: "col", text: h })))),
        el("tbody", {}, ...waiting.waiting_interactions.map((w) => el("tr", {}, el("td", { text: w.interaction_id }),
          el("td", { text: w.interaction_type }), el("td", { text: w.groups }), el("td", { class: "num", text: duration(w.waiting_seconds) })))))
        : el("p", { class: "muted", text: "Nobody is waiting." }));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return signOut(explain(e));
      $("now-time").textContent = explain(e);
    }
  }

  // ---- the whole page ------------------------------------------------------------------------------------------
  function syncControls() {
    $("from").value = state.from;
    $("to").value = state.to;
    $("tz").value = state.tz;
    $("channel").value = state.channel;
    const days = daysBetween(state.from, state.to);
    const today = todayIn(state.tz);
    document.querySelectorAll("[data-preset]").forEach((b) => {
      const k = b.getAttribute("data-preset");
      const on = state.to === addDays(today, 1) && days === (k === "today" ? 1 : Number(k));
      b.setAttribute("aria-pressed", on ? "true" : "false");
    });
    $("group-note").hidden = !state.group;
    $("range-text").textContent = `${state.from} to ${addDays(state.to, -1)}, ${state.tz}`;
  }

  async function render() {
    const seq = ++renderSeq;
    normalise();
    writeFragment();
    syncControls();
    document.body.setAttribute("data-state", "loading");
    $("status").textContent = "Loading…";
    $("status").classList.remove("error");
    const started = performance.now();
    const days = daysBetween(state.from, state.to);
    // Every request is asked for at once, the cards' first; each panel draws as soon as its own answer is in.
    const current = renderKpis(seq, kpiRequests(state.from, state.to, true));
    renderNow();
    const panels = [current, renderVolumes(seq), renderReasons(seq), renderAgents(seq)];
    const changes = renderChanges(seq, kpiRequests(addDays(state.from, -days), state.from, false), current, days);
    changes.catch(() => { /* reported by the panels' own failure below */ });
    const fillGroups = () => loadGroups().catch((e) => { $("status").textContent = explain(e); });
    if (state.group) fillGroups(); // its list is being read for the interactions' filter anyway
    try {
      await Promise.all(panels);
      if (!state.group) fillGroups(); // the control only: after the panels, off the first render's path
      if (seq !== renderSeq) return;
      if (!firstRenderMarked) performance.mark("omnireport-first-panels"); // every panel but the cards' changes
      await changes;
      if (seq !== renderSeq) return;
      $("status").textContent = `Updated in ${Math.round(performance.now() - started)} ms.`;
      document.body.setAttribute("data-state", "ready");
      if (!firstRenderMarked) {
        firstRenderMarked = true;
        performance.mark("omnireport-first-render"); // the browser's own timing of the first full render
      }
    } catch (e) {
      if (seq !== renderSeq) return;
      if (e instanceof ApiError && e.status === 401) return signOut(explain(e));
      document.querySelectorAll("[data-kpi]").forEach((k) => { k.setAttribute("data-value", ""); k.querySelector(".value").textContent = "—"; });
      $("status").textContent = explain(e);
      $("status").classList.add("error");
      document.body.setAttribute("data-state", "error");
    }
  }

  // The stream is opened once the first render is in: it holds one of the six connections the browser opens to a
  // server for as long as the page is open, and the first render's requests need them all.
  function showDashboard() {
    $("token-panel").hidden = true;
    $("main").hidden = false;
    const token = state.token;
    render().finally(() => { if (state.token === token && !nowStream) followNow(); });
  }

  // EventSource cannot send headers: the stream alone takes the token as ?access_token= (docs/api.md). It reconnects
  // by itself with Last-Event-ID; after a reconnect (open) or a reset the lists are read again.
  function followNow() {
    stopNow();
    const p = new URLSearchParams({ access_token: state.token, types: "engagement.logged,engagement.unlogged,interaction.updated" });
    nowStream = new EventSource("/api/v2/stream?" + p);
    const wake = () => {
      if (nowPending === null) nowPending = setTimeout(() => { nowPending = null; renderNow(); }, NOW_SETTLE_MS);
    };
    for (const type of ["engagement.logged", "engagement.unlogged", "interaction.updated", "interaction.removed", "reset"]) {
      nowStream.addEventListener(type, wake);
    }
    // Every connection reads the lists again: the stream starts from now, and the first one opens only after the first
    // render, whose reading of the lists may be older than it; a reconnection may have missed changes.
    nowStream.addEventListener("open", wake);
    nowTimer = setInterval(renderNow, NOW_TICK_MS);
  }

  function stopNow() {
    if (nowStream) nowStream.close();
    nowStream = null;
    clearInterval(nowTimer);
    clearTimeout(nowPending);
    nowPending = null;
  }

  function signOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    state.token = null;
    forgetNames();
    stopNow();
    $("main").hidden = true;
    $("token-panel").hidden = false;
    $("token-error").textContent = message || "";
    $("token-input").value = "";
    $("token-input").focus();
    document.body.setAttribute("data-state", "token");
  }

  // No request of its own to check the token: the first data requests do, and a 401 from any of them brings the form
  // back with the reason, so a good token costs no extra round trip before the first render.
  function tryToken(token) {
    stopNow();
    forgetNames();
    state.token = token;
    sessionStorage.setItem(TOKEN_KEY, token);
    $("token-error").textContent = "";
    showDashboard();
  }

  function wire() {
    document.querySelectorAll("[data-preset]").forEach((b) => b.addEventListener("click", () => { preset(b.getAttribute("data-preset")); render(); }));
    for (const id of ["from", "to", "channel", "group"]) {
      $(id).addEventListener("change", () => { state[id] = $(id).value; render(); });
    }
    $("tz").addEventListener("change", () => {
      const tz = $("tz").value.trim();
      if (validZone(tz)) { state.tz = tz; render(); } else { $("status").textContent = `"${tz}" is not a time zone (IANA name, e.g. Europe/Lisbon).`; }
    });
    $("controls").addEventListener("submit", (e) => e.preventDefault());
    $("sign-out").addEventListener("click", () => signOut("Token forgotten."));
    $("token-form").addEventListener("submit", (e) => { e.preventDefault(); tryToken($("token-input").value.trim()); });
    $("drill-close").addEventListener("click", () => { $("drill").hidden = true; });
    window.addEventListener("hashchange", () => {
      const before = JSON.stringify(state);
      const p = readFragment();
      if (p.has("token") || location.hash.includes("token=")) writeFragment();
      if (sessionStorage.getItem(TOKEN_KEY) !== state.token) return tryToken(sessionStorage.getItem(TOKEN_KEY));
      if (JSON.stringify(state) !== before && state.token) render();
    });
    try {
      const zones = Intl.supportedValuesOf("timeZone");
      $("zones").replaceChildren(...["UTC", ...zones].map((z) => el("option", { value: z })));
    } catch { /* older browsers: free text */ }
  }

  wire();
  readFragment();
  normalise();
  writeFragment(); // drops the token from the address bar at once
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) tryToken(token); else signOut("");
})();
