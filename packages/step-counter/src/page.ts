// The web page, served by the app itself (no CDN): a form to record steps, the week's
// chart and entries, and a team leaderboard. Plain HTML, CSS and browser JavaScript kept
// as strings so the one-file bundle carries them.

/** The HTML shell; /app.js fills it from the JSON API. */
export const PAGE_HTML = `<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Stegräknare</title>
<link rel="stylesheet" href="/app.css">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<script src="/app.js" defer></script>
</head>
<body>
<header>
  <h1>Stegräknare</h1>
  <p class="tagline">Hur många steg gick du i dag?</p>
</header>
<main>
  <section class="card" aria-labelledby="record-h">
    <h2 id="record-h">Registrera steg</h2>
    <form id="entry-form" novalidate>
      <label>Namn <input id="user" name="user" autocomplete="username" placeholder="astrid"></label>
      <label><span>Lag <span class="hint">(valfritt)</span></span> <input id="team" name="team" list="team-list" placeholder="fjallravar"></label>
      <label>Datum <input id="date" name="date" type="date"></label>
      <label>Steg <input id="steps" name="steps" type="number" min="0" max="100000" step="1" inputmode="numeric" placeholder="8000"></label>
      <button type="submit">Spara</button>
    </form>
    <datalist id="team-list"></datalist>
    <p id="form-error" class="error" role="alert" hidden></p>
    <p id="form-status" class="status" role="status"></p>
  </section>
  <section class="card" aria-labelledby="week-h">
    <h2 id="week-h">Vecka <span id="week-label"></span> <span id="week-user" class="hint"></span></h2>
    <div class="week-nav">
      <button id="prev-week" type="button" aria-label="Föregående vecka">&larr;</button>
      <span id="week-range"></span>
      <button id="next-week" type="button" aria-label="Nästa vecka">&rarr;</button>
    </div>
    <p class="totals">Totalt <strong id="week-total" data-steps="0">0</strong> steg &middot; snitt <strong id="week-average" data-steps="0">0</strong> per registrerad dag</p>
    <svg id="week-chart" role="img" aria-label="Steg per dag" viewBox="0 0 350 190" preserveAspectRatio="xMidYMid meet"></svg>
    <ul id="entry-list" aria-label="Registrerade dagar"></ul>
  </section>
  <section class="card" aria-labelledby="board-h">
    <h2 id="board-h">Topplista</h2>
    <label>Lag <input id="board-team" list="team-list" placeholder="fjallravar"></label>
    <p id="board-info" class="hint"></p>
    <table id="leaderboard">
      <thead><tr><th scope="col">#</th><th scope="col">Namn</th><th scope="col" class="num">Steg</th></tr></thead>
      <tbody></tbody>
    </table>
  </section>
</main>
<footer><span id="version"></span></footer>
</body>
</html>
`;

/** The page's icon: a footprint. */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#2f6f4f"/><ellipse cx="14" cy="19" rx="6" ry="8" fill="#fff"/><circle cx="22" cy="9" r="2.2" fill="#fff"/><circle cx="18" cy="7" r="2" fill="#fff"/><circle cx="25" cy="13" r="1.8" fill="#fff"/></svg>
`;

/** The page's stylesheet. */
export const PAGE_CSS = `:root { --accent: #2f6f4f; --accent-light: #cfe8d9; --error: #a4262c; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2521; background: #f4f6f3; }
body { margin: 0; }
header { background: var(--accent); color: #fff; padding: 1rem 1.5rem; }
header h1 { margin: 0; font-size: 1.6rem; }
.tagline { margin: .2rem 0 0; opacity: .85; }
main { display: grid; gap: 1rem; padding: 1rem; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); max-width: 1200px; margin: 0 auto; }
.card { background: #fff; border-radius: 8px; padding: 1rem 1.25rem; box-shadow: 0 1px 3px rgba(0,0,0,.12); }
.card h2 { margin-top: 0; font-size: 1.2rem; }
form { display: grid; gap: .6rem; }
label { display: grid; gap: .2rem; font-weight: 600; font-size: .9rem; }
input { font: inherit; padding: .45rem .55rem; border: 1px solid #b7c2bb; border-radius: 4px; }
input[aria-invalid="true"] { border-color: var(--error); outline: 2px solid var(--error); }
button { font: inherit; padding: .5rem .9rem; background: var(--accent); color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
button:hover { filter: brightness(1.1); }
.hint { font-weight: 400; color: #5c6b62; font-size: .85rem; }
.error { color: var(--error); font-weight: 600; }
.status { color: var(--accent); min-height: 1.2em; }
.week-nav { display: flex; align-items: center; gap: .75rem; }
.week-nav button { padding: .25rem .6rem; }
#week-chart { width: 100%; height: auto; max-height: 240px; }
#week-chart rect { fill: var(--accent); }
#week-chart .empty rect { fill: var(--accent-light); }
#week-chart text { font-size: 11px; fill: #39453e; text-anchor: middle; }
#entry-list { list-style: none; padding: 0; margin: .5rem 0 0; }
#entry-list li { display: flex; justify-content: space-between; padding: .15rem 0; border-bottom: 1px solid #eef1ee; font-variant-numeric: tabular-nums; }
table { width: 100%; border-collapse: collapse; margin-top: .5rem; }
th, td { text-align: left; padding: .3rem .4rem; border-bottom: 1px solid #e3e8e4; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:first-child td { font-weight: 700; }
footer { text-align: center; color: #5c6b62; font-size: .8rem; padding: 1rem; }
`;

/** The page's script: talks to the JSON API and draws the week chart as SVG. */
export const PAGE_JS = `'use strict';
(function () {
  var DAY_NAMES = ['Mån', 'Tis', 'Ons', 'Tor', 'Fre', 'Lör', 'Sön'];
  var $ = function (id) { return document.getElementById(id); };
  var fmt = function (n) { return Number(n).toLocaleString('sv-SE'); };
  // Dates are calendar days in UTC, as the API stores them.
  var today = function () { return new Date().toISOString().slice(0, 10); };
  var addDays = function (d, n) { return new Date(Date.parse(d + 'T00:00:00Z') + n * 86400000).toISOString().slice(0, 10); };
  var monday = function (d) { return addDays(d, -((new Date(d + 'T00:00:00Z').getUTCDay() + 6) % 7)); };
  var params = new URLSearchParams(location.search);
  var state = { user: (params.get('user') || '').trim().toLowerCase(), weekOf: params.get('week') || today() };

  function api(path, init) {
    return fetch(path, init).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) { return { ok: r.ok, status: r.status, body: body }; });
    });
  }
  function el(tag, attrs, text) {
    var ns = ['svg', 'g', 'rect', 'text', 'title'].indexOf(tag) >= 0 ? 'http://www.w3.org/2000/svg' : null;
    var e = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text != null) e.textContent = text;
    return e;
  }

  function drawChart(days) {
    var svg = $('week-chart');
    svg.replaceChildren();
    var max = Math.max(10000, Math.max.apply(null, days.map(function (d) { return d.steps; })));
    var slot = 50, top = 18, height = 140;
    days.forEach(function (d, i) {
      var h = Math.round((d.steps / max) * height);
      var g = el('g', { 'class': d.steps > 0 ? 'bar' : 'bar empty', 'data-date': d.date, 'data-steps': String(d.steps) });
      g.appendChild(el('title', {}, d.date + ': ' + fmt(d.steps) + ' steg'));
      g.appendChild(el('rect', { x: String(i * slot + 8), y: String(top + height - Math.max(h, 2)), width: String(slot - 16), height: String(Math.max(h, 2)), rx: '3' }));
      if (d.steps > 0) g.appendChild(el('text', { x: String(i * slot + slot / 2), y: String(top + height - Math.max(h, 2) - 4) }, d.steps >= 1000 ? Math.round(d.steps / 100) / 10 + 'k' : String(d.steps)));
      g.appendChild(el('text', { x: String(i * slot + slot / 2), y: String(top + height + 16) }, DAY_NAMES[i]));
      g.appendChild(el('text', { x: String(i * slot + slot / 2), y: String(top + height + 30) }, d.date.slice(8) + '/' + Number(d.date.slice(5, 7))));
      svg.appendChild(g);
    });
  }

  function setTotal(id, n) { var e = $(id); e.textContent = fmt(n); e.setAttribute('data-steps', String(n)); }

  function loadWeek() {
    var from = monday(state.weekOf), to = addDays(from, 6);
    $('week-range').textContent = from + ' – ' + to;
    $('week-user').textContent = state.user ? '(' + state.user + ')' : '(ange ditt namn)';
    var empty = [];
    for (var i = 0; i < 7; i++) empty.push({ date: addDays(from, i), steps: 0 });
    if (!state.user) { drawChart(empty); setTotal('week-total', 0); setTotal('week-average', 0); $('entry-list').replaceChildren(); return Promise.resolve(); }
    var q = '?user=' + encodeURIComponent(state.user) + '&from=' + from + '&to=' + to;
    return Promise.all([api('/api/summary' + q), api('/api/entries' + q)]).then(function (rs) {
      var s = rs[0].ok ? rs[0].body : { days: empty, total: 0, averagePerRecordedDay: 0, weeks: [] };
      $('week-label').textContent = s.weeks && s.weeks[0] ? s.weeks[0].week : '';
      drawChart(s.days);
      setTotal('week-total', s.total);
      setTotal('week-average', s.averagePerRecordedDay);
      var list = $('entry-list');
      list.replaceChildren();
      (rs[1].ok ? rs[1].body.entries : []).forEach(function (e) {
        var li = el('li', { 'data-date': e.date, 'data-steps': String(e.steps) });
        li.appendChild(el('span', {}, DAY_NAMES[(new Date(e.date + 'T00:00:00Z').getUTCDay() + 6) % 7] + ' ' + e.date));
        li.appendChild(el('span', {}, fmt(e.steps) + ' steg'));
        list.appendChild(li);
      });
    });
  }

  function loadBoard() {
    var team = $('board-team').value.trim().toLowerCase();
    var body = document.querySelector('#leaderboard tbody');
    if (!team) { body.replaceChildren(); $('board-info').textContent = 'Välj ett lag.'; return Promise.resolve(); }
    var from = monday(state.weekOf), to = addDays(from, 6);
    return api('/api/leaderboard?team=' + encodeURIComponent(team) + '&from=' + from + '&to=' + to + '&limit=20').then(function (r) {
      body.replaceChildren();
      if (!r.ok) { $('board-info').textContent = r.body.message || 'Kunde inte hämta topplistan.'; return; }
      $('board-info').textContent = r.body.displayName + ', ' + from + ' – ' + to;
      r.body.leaders.forEach(function (l) {
        var tr = el('tr', { 'data-user': l.user, 'data-steps': String(l.steps) });
        tr.appendChild(el('td', {}, String(l.rank)));
        tr.appendChild(el('td', {}, l.displayName));
        tr.appendChild(el('td', { 'class': 'num' }, fmt(l.steps)));
        body.appendChild(tr);
      });
    });
  }

  function loadTeams() {
    return api('/api/teams').then(function (r) {
      if (!r.ok) return;
      var list = $('team-list');
      list.replaceChildren();
      r.body.teams.forEach(function (t) { list.appendChild(el('option', { value: t.name }, t.displayName)); });
    });
  }

  function showError(field, message) {
    var err = $('form-error');
    document.querySelectorAll('#entry-form input').forEach(function (i) { i.removeAttribute('aria-invalid'); });
    if (!message) { err.hidden = true; err.textContent = ''; err.removeAttribute('data-field'); return; }
    err.hidden = false;
    err.textContent = message;
    err.setAttribute('data-field', field || '');
    var input = field && document.querySelector('#entry-form [name="' + field + '"]');
    if (input) { input.setAttribute('aria-invalid', 'true'); input.focus(); }
  }

  $('entry-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var f = ev.target;
    var payload = { user: f.user.value, date: f.date.value, steps: f.steps.value === '' ? null : f.steps.value };
    if (f.team.value.trim()) payload.team = f.team.value;
    $('form-status').textContent = '';
    api('/api/entries', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) }).then(function (r) {
      if (!r.ok) { showError(r.body.field, r.body.message || ('Fel ' + r.status)); return; }
      showError(null, null);
      $('form-status').textContent = (r.body.created ? 'Sparat: ' : 'Uppdaterat: ') + fmt(r.body.steps) + ' steg den ' + r.body.date + '.';
      state.user = r.body.user;
      state.weekOf = r.body.date;
      if (r.body.team) $('board-team').value = r.body.team;
      return Promise.all([loadWeek(), loadBoard(), loadTeams()]);
    }).catch(function () { showError(null, 'Kunde inte nå servern.'); });
  });
  $('user').addEventListener('change', function (ev) { state.user = ev.target.value.trim().toLowerCase(); loadWeek(); });
  $('prev-week').addEventListener('click', function () { state.weekOf = addDays(monday(state.weekOf), -7); loadWeek(); loadBoard(); });
  $('next-week').addEventListener('click', function () { state.weekOf = addDays(monday(state.weekOf), 7); loadWeek(); loadBoard(); });
  $('board-team').addEventListener('change', loadBoard);

  $('user').value = state.user;
  $('date').value = state.weekOf;
  $('board-team').value = params.get('team') || '';
  api('/version').then(function (r) { if (r.ok) $('version').textContent = 'Stegräknare ' + r.body.version + ' (' + String(r.body.commit).slice(0, 12) + ')'; });
  Promise.all([loadTeams(), loadWeek(), loadBoard()]).then(function () { document.body.setAttribute('data-ready', 'true'); });
})();
`;
