// Mission Control dashboard: four views over the status API, kept current by the live feed
// (GET /api/v1/stream). No framework and no build step: the page is served from the status jar.

const LEVELS = ['NOMINAL', 'WATCH', 'WARNING', 'CRITICAL'];
const SEVERITIES = ['CRITICAL', 'WARNING', 'INFO'];
const HISTORY_MINUTES = 15;
const RECONNECT_MS = 2000;
const TOKEN_KEY = 'mission-control.token';

const state = {
  token: sessionStorage.getItem(TOKEN_KEY),
  missions: new Map(),      // id -> mission
  rollups: new Map(),       // id -> rollup
  updates: [],              // the open mission's history, newest first
  hosts: new Map(),         // host -> {points: [[t, cpu, memory, disk, netIn, netOut]], latest}
  rules: [],                // reading rules, for threshold lines
  alerts: [],
  alertHistory: [],
  backups: null,
  lastEventId: null,
  route: { view: 'missions' },
};

// ---------------------------------------------------------------- DOM helpers

function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

function ago(iso) {
  if (!iso) return '—';
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return duration(seconds) + ' ago';
}

function duration(seconds) {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  return `${Math.floor(seconds / 86400)} d ${Math.floor((seconds % 86400) / 3600)} h`;
}

function time(iso) {
  return iso ? new Date(iso).toLocaleString() : '—';
}

function bytes(value) {
  if (value === undefined || value === null) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

function level(value) {
  return h('span', { class: `badge level-${value}` }, value);
}

function severity(value) {
  return h('span', { class: `badge severity-${value}` }, value);
}

function labels(map) {
  return Object.entries(map || {}).map(([k, v]) => h('span', { class: 'label' }, `${k}=${v}`));
}

function showError(message) {
  const box = document.getElementById('error');
  box.textContent = message;
  box.hidden = !message;
}

// ---------------------------------------------------------------- API

class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

async function api(path, { method = 'GET', body } = {}, retried = false) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (state.token) headers.Authorization = `Bearer ${state.token}`;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401 && !retried) {
    forgetToken();
    if (await askToken()) return api(path, { method, body }, true);
  }
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new ApiError(response.status, problem.detail || problem.title || response.statusText);
  }
  return response.status === 204 ? null : response.json();
}

/** Every page of a cursor-paginated list. */
async function all(path) {
  const items = [];
  let cursor = null;
  do {
    const page = await api(cursor ? `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}` : path);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < 2000);
  return items;
}

// ---------------------------------------------------------------- the token (asked once, kept in the tab)

function askToken() {
  const dialog = document.getElementById('token-dialog');
  const input = dialog.querySelector('input');
  input.value = '';
  dialog.showModal();
  return new Promise(resolve => dialog.addEventListener('close', () => {
    if (dialog.returnValue === 'ok' && input.value) {
      state.token = input.value;
      sessionStorage.setItem(TOKEN_KEY, state.token);
    }
    renderSession();
    resolve(dialog.returnValue === 'ok' && !!input.value);
  }, { once: true }));
}

function forgetToken() {
  state.token = null;
  sessionStorage.removeItem(TOKEN_KEY);
  renderSession();
}

async function withToken(action) {
  if (!state.token && !(await askToken())) return;
  try {
    showError('');
    await action();
  } catch (error) {
    showError(error.message);
  }
}

function renderSession() {
  const button = document.getElementById('token-button');
  button.textContent = state.token ? 'Forget token' : 'Sign in';
}

// ---------------------------------------------------------------- loading

async function loadMissions() {
  const missions = await all('/api/v1/missions?limit=200');
  state.missions = new Map(missions.map(mission => [mission.id, mission]));
  const rollups = await Promise.all(missions.map(mission => api(`/api/v1/missions/${mission.id}/status`).catch(() => null)));
  rollups.filter(Boolean).forEach(keepRollup);
}

/** Keeps the newer of two rollups: a slow load must not undo what a live event already showed. */
function keepRollup(rollup) {
  const known = state.rollups.get(rollup.missionId);
  if (!known || (rollup.lastUpdateId ?? 0) >= (known.lastUpdateId ?? 0)) state.rollups.set(rollup.missionId, rollup);
}

async function loadMission(id) {
  const [mission, rollup, updates] = await Promise.all([
    api(`/api/v1/missions/${id}`), api(`/api/v1/missions/${id}/status`), api(`/api/v1/missions/${id}/updates?limit=50`)]);
  state.missions.set(id, mission);
  keepRollup(rollup);
  // updates that arrived live while the page loaded stay on top of what the load returned
  const newest = updates.items.length ? updates.items[0].id : 0;
  const live = state.updates.filter(update => update.missionId === id && update.id > newest);
  state.updates = [...live, ...updates.items].slice(0, 50);
}

async function loadResources() {
  const [history, rules] = await Promise.all([
    api('/api/v1/system/resources/history'),
    api('/api/v1/alerts/rules').catch(() => ({ readings: [] })),
  ]);
  state.rules = rules.readings;
  for (const item of history.items) {
    const host = hostState(item.host);
    host.points = item.points;
  }
}

async function loadAlerts() {
  const [alerts, history] = await Promise.all([api('/api/v1/alerts'), api('/api/v1/alerts/history?limit=25')]);
  state.alerts = alerts.items;
  state.alertHistory = history.items;
  renderAlertCount();
}

async function loadBackups() {
  state.backups = await api('/api/v1/backups');
}

const loaders = {
  missions: () => loadMissions(),
  mission: route => loadMission(route.id),
  resources: () => loadResources(),
  alerts: () => loadAlerts(),
  backups: () => loadBackups(),
};

// ---------------------------------------------------------------- views

const views = {
  missions: renderMissions,
  mission: renderMission,
  resources: renderResources,
  alerts: renderAlerts,
  backups: renderBackups,
};

function renderMissions() {
  const rows = [...state.missions.values()].sort((a, b) => a.name.localeCompare(b.name)).map(mission => {
    const rollup = state.rollups.get(mission.id);
    const stale = rollup ? rollup.subsystems.filter(subsystem => subsystem.stale).map(subsystem => subsystem.subsystem) : [];
    return h('tr', { 'data-mission': mission.id },
      h('th', { scope: 'row' }, h('a', { href: `#/missions/${mission.id}` }, mission.name)),
      h('td', {}, mission.phase),
      h('td', { class: 'level' }, rollup ? level(rollup.level) : '—'),
      h('td', { class: 'stale' }, stale.length ? stale.map(name => h('span', { class: 'badge stale-tag' }, `${name} stale`)) : 'none'),
      h('td', {}, rollup && rollup.lastUpdateAt ? ago(rollup.lastUpdateAt) : 'no updates yet'));
  });
  return [
    h('h2', {}, 'Missions'),
    rows.length ? h('table', { class: 'grid' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Mission'), h('th', { scope: 'col' }, 'Phase'),
        h('th', { scope: 'col' }, 'Level'), h('th', { scope: 'col' }, 'Stale subsystems'), h('th', { scope: 'col' }, 'Last update'))),
      h('tbody', {}, rows))
      : h('p', { class: 'empty' }, 'No missions yet. Create one with POST /api/v1/missions.'),
  ];
}

function renderMission(route) {
  const mission = state.missions.get(route.id);
  const rollup = state.rollups.get(route.id);
  if (!mission || !rollup) return [h('p', {}, 'Loading…')];
  return [
    h('p', {}, h('a', { href: '#/missions' }, '← All missions')),
    h('h2', { 'data-mission': mission.id }, mission.name, ' ', h('span', { class: 'level' }, level(rollup.level))),
    h('p', { class: 'meta' }, `${mission.phase}${mission.destination ? ` · bound for ${mission.destination}` : ''}`,
      ` · reports expected every ${duration(mission.expectedReportSeconds)}`),
    h('h3', {}, 'Subsystems'),
    rollup.subsystems.length ? h('table', { class: 'grid' },
      h('thead', {}, h('tr', {}, ...['Subsystem', 'Level', 'Reported', 'Message'].map(name => h('th', { scope: 'col' }, name)))),
      h('tbody', {}, rollup.subsystems.map(subsystem => h('tr', { 'data-subsystem': subsystem.subsystem },
        h('th', { scope: 'row' }, subsystem.subsystem),
        h('td', {}, level(subsystem.effectiveLevel), subsystem.stale ? h('span', { class: 'badge stale-tag' }, 'stale') : null),
        h('td', {}, `${duration(subsystem.ageSeconds)} ago`),
        h('td', {}, subsystem.latest.message)))))
      : h('p', { class: 'empty' }, 'No status updates yet.'),
    h('h3', {}, 'Update history'),
    h('table', { class: 'grid history' },
      h('thead', {}, h('tr', {}, ...['Recorded', 'Subsystem', 'Level', 'Message'].map(name => h('th', { scope: 'col' }, name)))),
      h('tbody', {}, state.updates.filter(update => update.missionId === route.id).map(update => h('tr', {},
        h('td', {}, time(update.recordedAt)), h('td', {}, update.subsystem), h('td', {}, level(update.level)),
        h('td', {}, update.message))))),
  ];
}

// ---- resources: one card per host, four charts each, kept in place and updated as readings arrive

const charts = new Map(); // host -> {cpu, memory, disk, network, summary}

const SERIES = [
  { key: 'cpu', title: 'CPU %', column: 1, metric: 'cpu.usage', max: 100 },
  { key: 'memory', title: 'Memory %', column: 2, metric: 'memory.usage', max: 100 },
  { key: 'disk', title: 'Fullest disk %', column: 3, metric: 'disk.usage', max: 100 },
];

function hostState(name) {
  if (!state.hosts.has(name)) state.hosts.set(name, { points: [], latest: null });
  return state.hosts.get(name);
}

function thresholds(host, metric) {
  return state.rules.filter(rule => rule.metric === metric && matchesHost(rule.hosts, host));
}

function matchesHost(pattern, host) {
  if (!pattern) return true;
  try {
    return new RegExp(`^(?:${pattern})$`).test(host);
  } catch {
    return true;
  }
}

function renderResources() {
  charts.forEach(host => Object.values(host.charts).forEach(chart => chart.destroy()));
  charts.clear();
  if (!state.hosts.size) return [h('h2', {}, 'Resources'), h('p', { class: 'empty' }, 'No monitor has reported yet.')];
  const cards = [...state.hosts.keys()].sort().map(name => {
    const canvases = {};
    const panels = [...SERIES, { key: 'network', title: 'Network bytes/s' }].map(series => {
      canvases[series.key] = h('canvas', { role: 'img', 'aria-label': `${series.title} on ${name}, last ${HISTORY_MINUTES} minutes` });
      return h('figure', { class: 'chart' }, h('figcaption', {}, series.title), h('div', { class: 'canvas' }, canvases[series.key]));
    });
    const summary = h('p', { class: 'summary' });
    charts.set(name, { canvases, summary, charts: {} });
    return h('section', { class: 'host', 'data-host': name }, h('h3', {}, name), summary, h('div', { class: 'charts' }, panels));
  });
  queueMicrotask(drawCharts);
  return [h('h2', {}, 'Resources'), ...cards];
}

function drawCharts() {
  if (typeof Chart === 'undefined') return;
  for (const [name, view] of charts) {
    const host = state.hosts.get(name);
    for (const series of SERIES) {
      const datasets = [{ label: series.title, data: [], borderColor: '#4aa3ff', backgroundColor: 'rgba(74,163,255,.15)', fill: true }];
      for (const rule of thresholds(name, series.metric)) {
        datasets.push({ label: `${rule.name} ${rule.comparison} ${rule.threshold}`, data: [], threshold: rule.threshold,
          borderColor: rule.severity === 'CRITICAL' ? '#ff5a5a' : '#ffb347', borderDash: [6, 4], fill: false });
      }
      view.charts[series.key] = chart(view.canvases[series.key], datasets, series.max);
    }
    view.charts.network = chart(view.canvases.network, [
      { label: 'in', data: [], borderColor: '#7bd88f' }, { label: 'out', data: [], borderColor: '#c792ea' }]);
    updateHost(name, host);
  }
}

function chart(canvas, datasets, max) {
  return new Chart(canvas, {
    type: 'line',
    data: { datasets: datasets.map(dataset => ({ pointRadius: 0, borderWidth: 2, tension: 0.2, ...dataset })) },
    options: {
      animation: false,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      plugins: { legend: { labels: { color: '#c9d4e3', boxWidth: 12 } } },
      scales: {
        x: { type: 'linear', ticks: { color: '#8a97a8', maxTicksLimit: 6, callback: clockTick },
             grid: { color: '#233044' } },
        y: { min: 0, max, ticks: { color: '#8a97a8' }, grid: { color: '#233044' } },
      },
    },
  });
}

/** Axis labels: minutes over a long span, seconds too while the chart holds only a few minutes. */
function clockTick(value) {
  const seconds = this.max - this.min < 5 * 60_000 ? '2-digit' : undefined;
  return new Date(value).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: seconds });
}

function updateHost(name, host) {
  const view = charts.get(name);
  if (!view || !view.charts.cpu) return;
  const since = Date.now() - HISTORY_MINUTES * 60_000;
  const points = host.points.filter(point => point[0] >= since);
  for (const series of SERIES) {
    const chart = view.charts[series.key];
    chart.data.datasets[0].data = points.map(point => ({ x: point[0], y: point[series.column] }));
    for (const dataset of chart.data.datasets.slice(1)) {
      dataset.data = points.length ? [{ x: points[0][0], y: dataset.threshold }, { x: points[points.length - 1][0], y: dataset.threshold }] : [];
    }
    chart.update('none');
  }
  view.charts.network.data.datasets[0].data = points.map(point => ({ x: point[0], y: point[4] }));
  view.charts.network.data.datasets[1].data = points.map(point => ({ x: point[0], y: point[5] }));
  view.charts.network.update('none');
  const last = points[points.length - 1];
  view.summary.textContent = last
    ? `CPU ${last[1].toFixed(1)} % · memory ${last[2].toFixed(1)} % · fullest disk ${last[3].toFixed(1)} % · `
      + `in ${bytes(last[4])}/s · out ${bytes(last[5])}/s · ${new Date(last[0]).toLocaleTimeString()}`
    : 'No readings in the last 15 minutes.';
}

/** The same point the server's history keeps (LatestReadings.point): fullest disk, interfaces summed. */
function point(reading) {
  const percent = (used, total) => (total ? (100 * used) / total : 0);
  const disk = Math.max(0, ...reading.disks.map(disk => percent(disk.usedBytes, disk.totalBytes)));
  const sum = key => reading.network.reduce((total, nic) => total + nic[key], 0);
  return [Date.parse(reading.timestamp), reading.cpu.usagePercent, percent(reading.memory.usedBytes, reading.memory.totalBytes),
    disk, sum('bytesInPerSecond'), sum('bytesOutPerSecond')];
}

// ---- alerts

function renderAlerts() {
  const sections = SEVERITIES.map(name => {
    const alerts = state.alerts.filter(alert => alert.severity === name);
    if (!alerts.length) return null;
    return h('section', { class: `severity-group severity-${name}` }, h('h3', {}, `${name} (${alerts.length})`),
      h('ul', { class: 'alerts' }, alerts.map(alertItem)));
  }).filter(Boolean);
  return [
    h('h2', {}, 'Alerts'),
    sections.length ? sections : h('p', { class: 'empty' }, 'Nothing is firing.'),
    h('h3', {}, 'Recent history'),
    h('table', { class: 'grid history' },
      h('thead', {}, h('tr', {}, ...['When', 'Rule', 'Change', 'Who', 'Detail'].map(name => h('th', { scope: 'col' }, name)))),
      h('tbody', {}, state.alertHistory.map(change => h('tr', {},
        h('td', {}, time(change.at)), h('td', {}, change.rule), h('td', {}, change.event || change.state),
        h('td', {}, change.actor || '—'), h('td', {}, describe(change)))))),
  ];
}

/** What a history row says: an acknowledgement's comment, a change's detail, else the alert's summary. */
function describe(change) {
  const detail = change.detail;
  if (detail && typeof detail === 'object') return detail.comment || Object.entries(detail).map(([k, v]) => `${k}: ${v}`).join(', ');
  return detail || change.summary || '';
}

function alertItem(alert) {
  const acknowledged = alert.acknowledged;
  const silenced = alert.silencedBy && alert.silencedBy.length > 0;
  return h('li', { class: 'alert', 'data-fingerprint': alert.fingerprint, 'data-rule': alert.rule, 'data-state': alert.state },
    h('div', { class: 'alert-head' }, severity(alert.severity), h('strong', {}, alert.rule), h('span', { class: 'state' }, alert.state),
      silenced ? h('span', { class: 'badge silenced' }, 'silenced') : null,
      acknowledged ? h('span', { class: 'badge acked' }, `acknowledged by ${acknowledged.by}`) : null),
    h('p', {}, alert.summary || ''),
    h('p', { class: 'meta' }, labels(alert.labels), alert.value !== undefined && alert.value !== null ? ` value ${Number(alert.value).toFixed(1)}` : '',
      ` · since ${time(alert.firedAt || alert.startsAt)}`),
    h('div', { class: 'actions' },
      alert.state === 'FIRING' && !acknowledged ? h('button', { type: 'button', onclick: () => acknowledge(alert) }, 'Acknowledge') : null,
      !silenced ? h('button', { type: 'button', onclick: () => silence(alert) }, 'Silence') : null));
}

function formDialog(id, subject) {
  const dialog = document.getElementById(id);
  const form = dialog.querySelector('form');
  form.reset();
  dialog.querySelector('.subject').textContent = subject;
  dialog.showModal();
  return new Promise(resolve => dialog.addEventListener('close',
    () => resolve(dialog.returnValue === 'ok' ? Object.fromEntries(new FormData(form)) : null), { once: true }));
}

function acknowledge(alert) {
  withToken(async () => {
    const answer = await formDialog('ack-dialog', `${alert.rule} — ${alert.summary || ''}`);
    if (!answer) return;
    await api(`/api/v1/alerts/${alert.fingerprint}/ack`, { method: 'POST', body: { by: answer.by, comment: answer.comment || undefined } });
    await refresh('alerts');
  });
}

function silence(alert) {
  withToken(async () => {
    const answer = await formDialog('silence-dialog', `${alert.rule} — ${alert.summary || ''}`);
    if (!answer) return;
    const matchers = [{ label: 'rule', value: alert.rule },
      ...Object.entries(alert.labels || {}).map(([label, value]) => ({ label, value }))];
    await api('/api/v1/alerts/silences', { method: 'POST', body: { matchers, duration: answer.duration, author: answer.author, comment: answer.comment } });
    await refresh('alerts');
  });
}

function renderAlertCount() {
  const firing = state.alerts.filter(alert => alert.state === 'FIRING').length;
  const badge = document.getElementById('alert-count');
  badge.textContent = firing;
  badge.hidden = firing === 0;
}

// ---- backups

function renderBackups() {
  const backups = state.backups;
  if (!backups) return [h('p', {}, 'Loading…')];
  const newest = backups.newestVerified;
  return [
    h('h2', {}, 'Backups'),
    h('div', { class: 'backup-summary' },
      h('p', { class: 'big', id: 'backup-age' }, newest ? `Newest verified backup: ${duration(newest.ageSeconds)} old` : 'No verified backup yet'),
      backups.running ? h('p', {}, `Running now: ${backups.running}`) : null,
      h('button', { type: 'button', id: 'backup-now', disabled: !!backups.running, onclick: backupNow }, 'Back up now')),
    h('table', { class: 'grid' },
      h('thead', {}, h('tr', {}, ...['Backup', 'State', 'Trigger', 'Started', 'Took', 'Rows', 'Size', 'Verified'].map(name => h('th', { scope: 'col' }, name)))),
      h('tbody', {}, backups.items.map(backup => h('tr', { 'data-backup': backup.id },
        h('th', { scope: 'row' }, backup.id), h('td', {}, h('span', { class: `badge backup-${backup.state}` }, backup.state)),
        h('td', {}, backup.trigger), h('td', {}, time(backup.startedAt)),
        h('td', {}, backup.finishedAt ? duration(Math.round((Date.parse(backup.finishedAt) - Date.parse(backup.startedAt)) / 1000)) : '—'),
        h('td', {}, backup.rows ?? '—'), h('td', {}, bytes(backup.bytes)),
        h('td', {}, backup.verified === true ? 'yes' : backup.verified === false ? 'FAILED' : '—'))))),
  ];
}

function backupNow() {
  withToken(async () => {
    await api('/api/v1/backups', { method: 'POST', body: { requestedBy: 'dashboard', reason: 'requested from the dashboard' } });
    await refresh('backups');
  });
}

// ---------------------------------------------------------------- routing and rendering

function parseRoute() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'missions' && parts[1]) return { view: 'mission', id: parts[1] };
  return { view: views[parts[0]] ? parts[0] : 'missions' };
}

function render() {
  const route = state.route;
  document.querySelectorAll('[data-nav]').forEach(link => {
    const current = link.dataset.nav === route.view || (route.view === 'mission' && link.dataset.nav === 'missions');
    if (current) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  });
  const view = document.getElementById('view');
  const focused = view.contains(document.activeElement) && document.activeElement !== view ? focusKey(document.activeElement) : null;
  view.replaceChildren(...views[route.view](route).flat(Infinity).filter(Boolean));
  // live updates re-render the view: a keyboard user keeps their place on the control that replaces
  // the one they were on (or, if it is gone, the view itself) instead of being thrown to the page's end
  if (focused !== null) {
    const again = [...view.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')].find(control => focusKey(control) === focused);
    (again ?? view).focus({ preventScroll: true });
  }
}

/** What identifies a control from one rendering to the next: its kind, target, name and label. */
function focusKey(control) {
  return [control.tagName, control.getAttribute('href'), control.getAttribute('name'), control.textContent.trim()].join('\u0000');
}

async function refresh(view) {
  if (state.route.view !== view && !(view === 'missions' && state.route.view === 'mission')) return;
  try {
    await loaders[state.route.view](state.route);
    showError('');
    render();
  } catch (error) {
    showError(`Could not load: ${error.message}`);
  }
}

async function navigate() {
  state.route = parseRoute();
  render();
  // focus moves to the new view at once, not after its data loads: by then the user may have moved on
  document.getElementById('view').focus({ preventScroll: true });
  await refresh(state.route.view === 'mission' ? 'missions' : state.route.view);
}

/** Coalesces bursts of events into one reload per view (or one run of {@code action}). */
const pending = new Map();
function soon(key, action = () => refresh(key), delay = 150) {
  if (pending.has(key)) return;
  pending.set(key, setTimeout(() => { pending.delete(key); action(); }, delay));
}

/** The firing count in the navigation, kept current on every view. */
function refreshAlertCount() {
  api('/api/v1/alerts').then(alerts => { state.alerts = alerts.items; renderAlertCount(); }).catch(() => {});
}

// ---------------------------------------------------------------- the live feed

const handlers = {
  status(update) {
    const route = state.route;
    if (route.view === 'mission' && route.id === update.missionId) {
      state.updates = [update, ...state.updates].slice(0, 50);
    }
    if (!state.missions.has(update.missionId) && route.view === 'missions') {
      soon('missions');
      return;
    }
    api(`/api/v1/missions/${update.missionId}/status`).then(rollup => {
      keepRollup(rollup);
      if (route.view === 'missions' || (route.view === 'mission' && route.id === update.missionId)) render();
    }).catch(() => soon('missions'));
  },
  reading(reading) {
    const host = hostState(reading.host);
    const known = charts.has(reading.host);
    host.points.push(point(reading));
    const since = Date.now() - HISTORY_MINUTES * 60_000;
    while (host.points.length && host.points[0][0] < since) host.points.shift();
    if (state.route.view === 'resources') {
      if (known) updateHost(reading.host, host); else render();
    }
  },
  alert() {
    // the alerts view's reload updates the count too
    if (state.route.view === 'alerts') soon('alerts');
    else soon('alert-count', refreshAlertCount);
  },
  backup() {
    soon('backups');
  },
  reset() {
    refresh(state.route.view === 'mission' ? 'missions' : state.route.view);
  },
};

function setLive(live) {
  const badge = document.getElementById('live');
  badge.textContent = live ? 'Live' : 'Reconnecting…';
  badge.classList.toggle('down', !live);
}

async function stream() {
  for (;;) {
    try {
      const headers = { Accept: 'text/event-stream' };
      if (state.lastEventId) headers['Last-Event-ID'] = state.lastEventId;
      if (state.token) headers.Authorization = `Bearer ${state.token}`;
      const response = await fetch('/api/v1/stream', { headers, cache: 'no-store' });
      if (response.ok) {
        setLive(true);
        await readEvents(response.body);
      }
    } catch {
      // the connection dropped: reconnect below with the last id seen
    }
    setLive(false);
    await new Promise(resolve => setTimeout(resolve, RECONNECT_MS));
  }
}

/** The event-stream format: fields until a blank line, comments ignored. */
async function readEvents(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let event = { type: 'message', data: [] };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, end).replace(/\r$/, '');
      buffer = buffer.slice(end + 1);
      if (line === '') {
        if (event.data.length) dispatch(event.type, event.data.join('\n'));
        event = { type: 'message', data: [] };
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const data = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event.type = data;
        else if (field === 'data') event.data.push(data);
        else if (field === 'id') state.lastEventId = data;
      }
    }
  }
}

function dispatch(type, data) {
  const handler = handlers[type];
  if (!handler) return;
  try {
    handler(JSON.parse(data));
  } catch (error) {
    showError(`A live event could not be shown: ${error.message}`);
  }
}

// ---------------------------------------------------------------- start

document.getElementById('token-button').addEventListener('click', () => (state.token ? forgetToken() : askToken()));
window.addEventListener('hashchange', navigate);
renderSession();
setInterval(() => { if (state.route.view === 'missions') render(); }, 30_000); // keeps "x min ago" true
refreshAlertCount();
navigate();
stream();
