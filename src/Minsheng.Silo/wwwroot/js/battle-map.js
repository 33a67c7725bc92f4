// The battle map: tasks (rows, grouped by project) × 区本级 and the streets (columns). Each cell reads
// "completed/target" with a colour and a symbol and word for its status, and is a button that opens the detail.
import { h, replace, percent } from './dom.js';
import { model, STATUS, cellMetrics, cellStatus, nameOf } from './model.js';
import { cellRisk } from './forecast.js';

const cells = new Map(); // `${taskId}|${unitId}` -> td
const shownRisk = new WeakMap(); // td -> the risk words it shows (null when none)

export function renderMap(table, filters, onOpen) {
  cells.clear();
  const units = model.units.filter((u) => !filters.street || u.id === filters.street);
  const head = h('thead', {}, h('tr', {},
    h('th', { class: 'corner', scope: 'col' }, '任务'),
    units.map((u) => h('th', { scope: 'col', class: u.id === 'district' ? 'district' : '' }, u.name))));
  const body = h('tbody');
  for (const project of model.plan.projects) {
    const tasks = project.tasks.map((id) => model.tasks.get(id)).filter((t) => visible(t, project, filters));
    if (tasks.length === 0) continue;
    body.append(h('tr', { class: 'project-row' }, h('th', { colspan: units.length + 1, scope: 'rowgroup' },
      h('span', { class: 'project-no' }, project.id), ` ${project.name}`,
      h('span', { class: 'project-leaders' }, project.leaders.map(nameOf).join('、')))));
    for (const task of tasks) {
      body.append(h('tr', { dataset: { task: task.id } },
        h('th', { scope: 'row', class: 'task' },
          h('span', { class: 'task-no' }, task.id), h('span', { class: 'task-title', title: task.title }, task.title),
          h('span', { class: 'task-lead' }, nameOf(task.leadDepartment))),
        units.map((u) => cell(task, u, onOpen))));
    }
  }
  replace(table, head, body);
  if (!body.children.length) body.append(h('tr', {}, h('td', { class: 'empty', colspan: units.length + 1 }, '没有符合筛选条件的任务')));
}

function visible(task, project, filters) {
  if (filters.leader && !project.leaders.includes(filters.leader)) return false;
  if (filters.department && task.leadDepartment !== filters.department) return false;
  if (filters.street && !task.assignments.some((a) => a.unitId === filters.street)) return false;
  return true;
}

function cell(task, unit, onOpen) {
  const td = h('td', { dataset: { cell: `${task.id}:${unit.id}` } });
  cells.set(`${task.id}|${unit.id}`, td);
  fill(td, task, unit, onOpen);
  return td;
}

function fill(td, task, unit, onOpen) {
  const metrics = cellMetrics(task.id, unit.id);
  const status = cellStatus(metrics);
  td.className = `cell ${status}`;
  td.dataset.status = status;
  if (metrics.length === 0) {
    replace(td, h('span', { class: 'cell-none', title: '无分解任务' }, STATUS.none.symbol));
    return;
  }
  const late = metrics.some((m) => m.late) ? '（逾期完成）' : '';
  // The accessible name holds the visible text in order (WCAG 2.5.3): the counts as shown, space-separated, then the status.
  // A cell at risk of missing the deadline at its pace (forecast.js) carries ⚠ and says so in its name and title.
  const risk = cellRisk(task.id, unit.id);
  shownRisk.set(td, risk);
  if (risk) td.dataset.risk = 'true';
  else delete td.dataset.risk;
  const label = `${task.id} ${nameOf(unit.id)}：${metrics.map((m) => `${m.completed}/${m.target}`).join(' ')}，${STATUS[status].label}${late}${risk ? `，${risk}` : ''}`;
  replace(td, h('button', { type: 'button', class: 'cell-button', 'aria-label': label, title: label, onclick: () => onOpen(task.id, unit.id) },
    risk ? h('span', { class: 'risk-mark', 'aria-hidden': 'true' }, '⚠') : null,
    h('span', { class: `count${metrics.some((m) => `${m.completed}/${m.target}`.length > 8) ? ' long' : ''}` },
      metrics.map((m, i) => [i > 0 ? ' ' : null, h('span', { class: 'count-line' }, `${m.completed}/${m.target}`)])),
    h('span', { class: 'status' }, `${STATUS[status].symbol} ${STATUS[status].label}`)));
}

/** Redraws one cell after an event, with a brief flash so a change is seen on the big screen (quietly: no flash). */
export function updateCell(taskId, unitId, onOpen, quietly = false) {
  const td = cells.get(`${taskId}|${unitId}`);
  if (!td) return;
  fill(td, model.tasks.get(taskId), model.units.find((u) => u.id === unitId), onOpen);
  if (quietly) return;
  td.classList.remove('flash');
  void td.offsetWidth;
  td.classList.add('flash');
}

/** Redraws, without a flash, the cells whose risk marker is not what the forecasts now say. */
export function updateRiskMarks(onOpen) {
  for (const [k, td] of cells) {
    const [taskId, unitId] = k.split('|');
    if (td.dataset.status !== 'none' && (shownRisk.get(td) ?? null) !== cellRisk(taskId, unitId)) updateCell(taskId, unitId, onOpen, true);
  }
}

export function taskRatioLabel(taskId) {
  const t = model.rollup?.projects.flatMap((p) => p.tasks).find((x) => x.id === taskId);
  return t ? percent(t.ratio) : '—';
}
