// The battle-map page (挂图作战): signs in, loads the plan and its state, and follows the live event stream.
import { h, $, replace } from './dom.js';
import { api, planPath, ApiError } from './api.js';
import { takeTokenFromUrl, token, setToken, clearToken, caller } from './auth.js';
import { follow } from './sse.js';
import { model, setPlan, putView, applyProgress, applyStatus, applyCase, nameOf } from './model.js';
import { renderMap, updateCell, updateRiskMarks } from './battle-map.js';
import { loadForecasts, renderAtRisk } from './forecast.js';
import { renderHeadline, renderProjects, renderAlerts, renderCases, renderRanking } from './panels.js';
import { showDetail, refreshDetail, openCell, wireDetail } from './detail.js';
import { wireViewer } from './evidence.js';
import { startReview } from './review.js';
import { initTrend, addPoint } from './trend.js';
import { regionId, startRegion } from './region.js';

const filters = { leader: '', department: '', street: '' };
const stats = { connects: 0, snapshots: 0, resyncs: 0, progress: 0, forecasts: 0, lastResumedFrom: null };
let stream = null;
let started = false;

/** Hooks for the browser tests and for operators at the console; nothing on the page depends on them. */
window.battleMap = {
  stats,
  get lastEventId() { return stream?.lastEventId ?? null; },
  drop: (holdMs = 0) => stream?.drop(holdMs),
  resume: () => stream?.resume(),
};

takeTokenFromUrl();
wireSignIn();
wireDetail();
wireViewer();
if (token() && caller()) begin();
else askForToken();

/** /?region=ID opens the region view (region.js); otherwise the plan's battle map. */
function begin() {
  if (!regionId) return start();
  started = true;
  showRole();
  return startRegion(onState).then((s) => { stream = s; });
}

function wireSignIn() {
  $('#signin-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = $('#signin-token').value.trim();
    if (!caller(value)) {
      $('#signin-error').textContent = '这不是本服务的访问令牌';
      return;
    }
    setToken(value);
    $('#signin').close();
    if (started) window.location.reload();
    else begin();
  });
  $('#signin').addEventListener('cancel', (event) => { if (!token()) event.preventDefault(); });
  $('#sign-out').addEventListener('click', () => { clearToken(); stream?.stop(); askForToken(); });
  window.addEventListener('auth-required', () => askForToken('令牌无效或已过期，请重新登录'));
}

function askForToken(error = '') {
  $('#signin-error').textContent = error;
  if (!$('#signin').open) $('#signin').showModal();
}

function showRole() {
  const who = caller();
  const kinds = { office: '区政府办公室', viewer: '查看者（只读）', 'region-office': `地区办公室：${who?.unitId}`, 'region-viewer': `地区查看者：${who?.unitId}（只读）` };
  // A reporter's or reviewer's unit is a street, or a department (its 区本级 cells).
  const unit = who?.unitId ? `${model.plan?.streets.some((s) => s.id === who.unitId) ? '街道' : '部门'}：${nameOf(who.unitId)}` : '';
  const label = !who ? '未登录'
    : who.kind === 'street' ? `街道：${nameOf(who.unitId)}（可上报本街道进度）`
      : who.kind === 'department' ? `部门：${nameOf(who.unitId)}（可上报区本级、反馈督办）`
        : who.kind === 'reporter' ? `${unit} · 填报员（可上报进度与佐证材料）`
          : who.kind === 'reviewer' ? `${unit} · 审核员（审核本单位上报）`
            : kinds[who.kind];
  $('#role').textContent = label;
  document.body.dataset.role = who?.kind ?? '';
}

async function start() {
  started = true;
  try {
    setPlan(await api(planPath()));
  } catch (e) {
    showFatal(e);
    return;
  }
  showRole();
  fillFilters();
  stream = follow(planPath('/events'), { headers: () => ({ Authorization: `Bearer ${token()}` }), onEvent, onState });
  await reloadAll();
  startReview(showDetail);
  initTrend(model.plan, model.rollup).catch(() => {});
}

function showFatal(e) {
  if (e instanceof ApiError && e.status === 401) return;
  replace($('#battle-map'), h('caption', { class: 'error' }, `无法加载计划：${e.message}`));
}

/** Reads everything the page shows (at start, and after the stream says it could not replay what was missed). */
async function reloadAll() {
  const [rollup, views, alerts, open, responded, ranking] = await Promise.all([
    api(planPath('/rollup')),
    Promise.all(model.plan.projects.map((p) => api(planPath(`/projects/${encodeURIComponent(p.id)}`)))),
    api(planPath('/alerts')).catch(() => []),
    api(planPath('/cases?state=open')).catch(() => []),
    api(planPath('/cases?state=responded')).catch(() => []),
    loadRanking().catch(() => ({ ranking: null, next: null })),
    loadForecasts(),
  ]);
  model.rollup = rollup;
  for (const project of views) for (const view of project.assignments) putView(view);
  model.alerts = alerts;
  model.cases = [...open, ...responded].sort((a, b) => String(b.openedAt).localeCompare(String(a.openedAt)));
  renderAll();
  renderRanking(ranking.ranking, ranking.next);
  document.body.dataset.loaded = 'true';
}

/**
 * The latest weekly 晾晒. The review index says which week that is (or that none is published yet, and when the first
 * is due), so the page never asks for a ranking that does not exist.
 */
async function loadRanking() {
  const index = await api(planPath('/reviews'));
  const ranking = index.latestWeek ? await api(planPath(`/rankings/weekly/${encodeURIComponent(index.latestWeek)}`)) : null;
  return { ranking, next: index.nextWeek ?? null };
}

async function refreshRanking() {
  try {
    const { ranking, next } = await loadRanking();
    renderRanking(ranking, next);
  } catch { /* the next ranking event or a reload tries again */ }
}

function renderAll() {
  renderHeadline();
  renderMap($('#battle-map'), filters, showDetail);
  renderProjects(filters);
  renderAlerts(filters);
  renderCases(filters, showDetail);
  renderAtRisk(filters, showDetail);
}

function fillFilters() {
  const fill = (select, items) => select.append(...items.map((x) => h('option', { value: x.id }, x.name)));
  fill($('#filter-leader'), model.plan.leaders);
  fill($('#filter-department'), model.plan.departments);
  fill($('#filter-street'), model.plan.streets);
  for (const name of ['leader', 'department', 'street']) {
    $(`#filter-${name}`).addEventListener('change', (event) => {
      filters[name] = event.target.value;
      renderAll();
    });
  }
  $('#filter-reset').addEventListener('click', () => {
    for (const name of Object.keys(filters)) { filters[name] = ''; $(`#filter-${name}`).value = ''; }
    renderAll();
  });
}

// ---- live events ----

let needReload = false;

function onEvent({ type, data }) {
  switch (type) {
    case 'snapshot':
      stats.snapshots++;
      model.rollup = data;
      if (document.body.dataset.loaded) { renderHeadline(); renderProjects(filters); addPoint(data.asOf, data.ratio); clockMoved(data.asOf); }
      if (needReload) { needReload = false; reloadAll().catch(() => {}); }
      break;
    case 'resync':
      stats.resyncs++;
      needReload = true;
      $('#stream-state').textContent = data.message ?? '正在重新同步';
      break;
    case 'progress': {
      stats.progress++;
      const changed = applyProgress(data);
      if (changed) touched(changed);
      later('rollup', refreshRollup);
      later('forecasts', refreshForecasts, 1000);
      break;
    }
    case 'status': {
      const changed = applyStatus(data);
      if (changed) touched(changed);
      later('alerts', refreshAlerts);
      later('rollup', refreshRollup);
      later('forecasts', refreshForecasts, 1000);
      break;
    }
    case 'ranking':
      later('ranking', refreshRanking);
      later('forecasts', refreshForecasts, 1000);
      break;
    case 'forecast':
      stats.forecasts++;
      // The weekly check raised or cleared a forecastLate alert: the forecasts, the marks and the alerts follow.
      later('forecasts', refreshForecasts);
      later('alerts', refreshAlerts);
      break;
    case 'case':
      applyCase(data);
      renderCases(filters, showDetail);
      later('alerts', refreshAlerts);
      break;
    default:
      break;
  }
}

function touched({ taskId, unitId }) {
  updateCell(taskId, unitId, showDetail);
  const open = openCell();
  if (open && open.taskId === taskId && open.unitId === unitId && $('#detail').open) later('detail', refreshDetail, 400);
}

function onState(state, info = {}) {
  document.body.dataset.stream = state;
  const labels = { connecting: '连接中…', live: '● 实时', reconnecting: '○ 连接中断，正在重连…', unauthorized: '未授权', stopped: '已断开' };
  $('#stream-state').textContent = labels[state] ?? state;
  if (state === 'live') {
    stats.connects = info.connects;
    stats.lastResumedFrom = info.resumedFrom ?? null;
  }
}

const timers = new Map();
function later(name, fn, ms = 250) {
  if (timers.has(name)) return;
  timers.set(name, setTimeout(() => { timers.delete(name); fn(); }, ms));
}

// A decision on a pending report (in the reviewer's list or in the detail): the open detail shows where it went.
document.addEventListener('minsheng:decided', () => { if ($('#detail').open) refreshDetail(); });

// A report made on this page: its answer is the committed fact; the headline is read once it includes it.
document.addEventListener('minsheng:reported', async ({ detail: answer }) => {
  const changed = applyProgress({ ...answer, at: answer.recordedAt });
  if (changed) updateCell(changed.taskId, changed.unitId, showDetail);
  later('forecasts', refreshForecasts, 1000);
  try {
    model.rollup = await api(planPath(`/rollup?after=${encodeURIComponent(answer.position)}`));
    renderHeadline();
    renderProjects(filters);
    addPoint(model.rollup.asOf, model.rollup.ratio);
  } catch { /* a 503 (not caught up in time): the live event and the next snapshot bring it */ }
});

async function refreshRollup() {
  try {
    model.rollup = await api(planPath('/rollup'));
    renderHeadline();
    renderProjects(filters);
    addPoint(model.rollup.asOf, model.rollup.ratio);
    clockMoved(model.rollup.asOf);
  } catch { /* the next event or snapshot tries again */ }
}

/**
 * The forecasts move with the clock as well as with reports (the recent window slides): when the data time the service
 * answers has moved an hour or more past the forecasts' (a simulated clock jumps; a real one creeps), they are read again.
 */
function clockMoved(asOf) {
  if (!asOf || !model.forecastAsOf) return;
  if (Math.abs(new Date(asOf).getTime() - new Date(model.forecastAsOf).getTime()) >= 3600 * 1000) later('forecasts', refreshForecasts);
}

async function refreshForecasts() {
  if (!(await loadForecasts())) return; // the next event tries again
  updateRiskMarks(showDetail);
  renderAtRisk(filters, showDetail);
  if ($('#detail').open) later('detail', refreshDetail, 100);
}

async function refreshAlerts() {
  try {
    model.alerts = await api(planPath('/alerts'));
    renderAlerts(filters);
  } catch { /* as above */ }
}
