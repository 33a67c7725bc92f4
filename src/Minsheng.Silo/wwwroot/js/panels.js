// The panels around the map: headline numbers, the ten projects' bars, the weekly ranking, alerts and cases.
import { h, $, replace, percent, dateTime } from './dom.js';
import { model, STATUS, nameOf, matchesFilters } from './model.js';
import { day } from './forecast.js';

const DAY = 24 * 3600 * 1000;

export function renderHeadline() {
  const { plan, rollup } = model;
  $('#plan-title').textContent = `${plan.title} · 挂图作战`;
  if (!rollup) return;
  $('#plan-ratio').textContent = percent(rollup.ratio);
  for (const s of ['done', 'onTrack', 'lagging', 'overdue']) $(`#count-${s}`).textContent = String(rollup.counts[s]);
  const now = new Date(rollup.asOf).getTime();
  const deadline = new Date(plan.deadline).getTime();
  const final = new Date(plan.finalDeadline).getTime();
  const [label, days] = now <= deadline
    ? ['距11月底完成节点', Math.ceil((deadline - now) / DAY)]
    : now <= final ? ['已过完成节点 · 距年底查漏补缺', Math.ceil((final - now) / DAY)] : ['已过年底节点', Math.floor((now - final) / DAY)];
  $('#deadline-label').textContent = label;
  $('#days-left').textContent = `${days} 天`;
  $('#as-of').textContent = `数据时间 ${dateTime(rollup.asOf)}`;
}

export function renderProjects(filters) {
  const ratios = new Map((model.rollup?.projects ?? []).map((p) => [p.id, p.ratio]));
  replace($('#projects'), model.plan.projects.map((p) => {
    const ratio = Number(ratios.get(p.id) ?? 0);
    const dim = (filters.leader && !p.leaders.includes(filters.leader))
      || (filters.department && !p.tasks.some((t) => model.tasks.get(t).leadDepartment === filters.department));
    const fill = h('span', { class: `bar-fill ${barClass(ratio)}` });
    fill.style.width = `${Math.min(100, ratio * 100)}%`;
    return h('li', { class: dim ? 'dim' : '', dataset: { project: p.id } },
      h('span', { class: 'project-name', title: p.summary ?? p.name }, h('b', {}, p.id), ` ${p.name}`),
      h('span', { class: 'bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': Math.round(ratio * 100), 'aria-label': p.name }, fill),
      h('span', { class: 'project-ratio' }, percent(ratio)));
  }));
}

const barClass = (ratio) => (ratio >= 1 ? 'done' : ratio >= 0.6 ? 'good' : ratio >= 0.3 ? 'mid' : 'low');

export function renderAlerts(filters) {
  const alerts = model.alerts.filter((a) => matchesFilters(a, filters))
    .sort((a, b) => b.level - a.level || String(a.since).localeCompare(String(b.since)));
  $('#alerts-count').textContent = `${alerts.length} 条`;
  const kinds = { lagging: '滞后', deadlineNear: '临近提醒', overdue: '逾期', forecastLate: '预计逾期' };
  replace($('#alerts'), alerts.length === 0 ? h('li', { class: 'empty' }, '暂无预警') : alerts.slice(0, 60).map((a) =>
    h('li', { class: `item level-${a.level}` },
      h('span', { class: 'level' }, a.level >= 2 ? '红' : '黄'),
      h('span', { class: 'item-main' }, `${a.taskId} ${nameOf(a.unitId)} · ${model.tasks.get(a.taskId)?.title ?? ''}`),
      h('span', { class: 'item-side' }, `${kinds[a.kind] ?? a.kind}${a.kind === a.status ? '' : ` · ${STATUS[a.status]?.label ?? a.status}`} · 自 ${dateTime(a.since).slice(5, 10)}`))));
}

export function renderCases(filters, onOpen) {
  const cases = model.cases.filter((c) => matchesFilters(c, filters));
  $('#cases-count').textContent = `${cases.length} 件未结`;
  const states = { open: '待反馈', responded: '已反馈' };
  replace($('#cases'), cases.length === 0 ? h('li', { class: 'empty' }, '暂无未结督办件') : cases.slice(0, 60).map((c) =>
    h('li', { class: `item case ${c.state}` },
      h('button', { type: 'button', class: 'link item-main', onclick: () => onOpen(c.taskId, c.unitId) }, `${c.taskId} ${nameOf(c.unitId)}`),
      h('span', { class: 'item-side' }, `${states[c.state] ?? c.state} · ${dateTime(c.openedAt).slice(0, 10)}`),
      h('span', { class: 'item-note' }, c.reason))));
}

/** The latest weekly 晾晒, or 暂无 (with when the first is due) while the service has published none. */
export function renderRanking(ranking, next = null) {
  const box = $('#ranking');
  if (!ranking || !Array.isArray(ranking.streets)) {
    $('#ranking-week').textContent = '';
    replace(box, h('p', { class: 'empty' }, '暂无'),
      next ? h('p', { class: 'empty next' }, `首期 ${next.week} 将于 ${dateTime(next.publishedAt)} 发布（每周一 09:00）`) : null);
    return;
  }
  $('#ranking-week').textContent = `${ranking.week ?? ''} · ${dateTime(ranking.publishedAt).slice(0, 10)}`;
  const arrow = (n) => (n > 0 ? `↑${n}` : n < 0 ? `↓${-n}` : '—');
  replace(box, h('ol', { class: 'rank-list' }, ranking.streets.map((s) =>
    h('li', {}, h('span', { class: 'rank' }, String(s.rank)), h('span', { class: 'rank-name' }, s.name ?? nameOf(s.id)),
      h('span', { class: 'rank-ratio' }, percent(s.ratio)), h('span', { class: `rank-change ${s.rankChange > 0 ? 'up' : s.rankChange < 0 ? 'down' : ''}` }, arrow(s.rankChange ?? 0))))),
    rankingRisk(ranking.atRisk));
}

/** The week's 预计逾期 (rankings before issue 22 have none): how many, and the first few with their expected day. */
function rankingRisk(atRisk) {
  if (!Array.isArray(atRisk)) return null;
  const shown = atRisk.slice(0, 5);
  return h('div', { class: 'rank-risk' },
    h('p', { class: 'rank-risk-count' }, atRisk.length === 0 ? '本周无预计逾期的分解任务' : `⚠ 本周预计逾期 ${atRisk.length} 项`),
    shown.length ? h('ul', { class: 'rank-risk-list' }, shown.map((a) => h('li', {},
      `${nameOf(a.unitId)} ${a.taskId} ${a.completed}/${a.target} · ${a.forecast?.expectedDoneAt ? `预计 ${day(a.forecast.expectedDoneAt)}` : '无法完成'}`))) : null,
    atRisk.length > shown.length ? h('p', { class: 'empty' }, `另 ${atRisk.length - shown.length} 项见“预计逾期”`) : null);
}
