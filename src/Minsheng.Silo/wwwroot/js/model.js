// What the page knows: the plan's catalog, every assignment metric's latest view, the rollup, alerts and cases.
// Live events update it; every change goes through here so versions never move backwards.

export const STATUS = {
  done: { symbol: '✓', label: '完成' },
  onTrack: { symbol: '●', label: '正常' },
  lagging: { symbol: '▲', label: '滞后' },
  overdue: { symbol: '✕', label: '逾期' },
  none: { symbol: '—', label: '无任务' },
};

const WORST_FIRST = ['overdue', 'lagging', 'onTrack', 'done'];

export const DISTRICT = 'district';

export const model = {
  plan: null,
  units: [],
  names: new Map(),
  tasks: new Map(),
  projects: new Map(),
  metrics: new Map(), // `${taskId}|${unitId}|${metricId}` -> AssignmentView
  rollup: null,
  alerts: [],
  cases: [],
  forecasts: null, // `${taskId}|${unitId}|${metricId}` -> {taskId, unitId, metricId, target, completed, forecast} (forecast.js)
  atRisk: [],
  forecastAsOf: null,
};

const key = (taskId, unitId, metricId) => `${taskId}|${unitId}|${metricId}`;

export function setPlan(plan) {
  model.plan = plan;
  model.units = [{ id: DISTRICT, name: '区本级' }, ...plan.streets];
  model.names = new Map([...model.units, ...plan.departments, ...plan.leaders].map((u) => [u.id, u.name]));
  model.tasks = new Map(plan.tasks.map((t) => [t.id, t]));
  model.projects = new Map(plan.projects.map((p) => [p.id, p]));
}

export const nameOf = (id) => model.names.get(id) ?? id;

/** A view from GET .../projects/{id}; replaces what is older. */
export function putView(view) {
  const k = key(view.taskId, view.unitId, view.metricId);
  const known = model.metrics.get(k);
  if (!known || (view.version ?? 0) >= (known.version ?? 0)) model.metrics.set(k, { ...view });
}

/** A `progress` event: the cumulative count, status and version of one assignment metric. Answers the changed cell. */
export function applyProgress(e) {
  const k = key(e.taskId, e.unitId, e.metricId);
  const known = model.metrics.get(k) ?? { taskId: e.taskId, unitId: e.unitId, metricId: e.metricId, version: 0, scheduleSource: 'default' };
  if ((e.version ?? 0) < (known.version ?? 0)) return null;
  model.metrics.set(k, {
    ...known, completed: e.completed, target: e.target, status: e.status, version: e.version, lastReportAt: e.at,
    ratio: e.target > 0 ? Math.min(e.completed, e.target) / e.target : 1,
  });
  return { taskId: e.taskId, unitId: e.unitId };
}

/** A `status` event from supervision (e.g. lagging at a weekly check, overdue after the deadline). */
export function applyStatus(e) {
  const k = key(e.taskId, e.unitId, e.metricId);
  const known = model.metrics.get(k);
  if (!known) return null;
  model.metrics.set(k, { ...known, status: e.to, late: e.late });
  return { taskId: e.taskId, unitId: e.unitId };
}

/** A `case` event: opened, answered or closed. */
export function applyCase(e) {
  const c = e.case;
  model.cases = model.cases.filter((x) => x.id !== c.id);
  if (c.state !== 'closed') model.cases.push(c);
  model.cases.sort((a, b) => String(b.openedAt).localeCompare(String(a.openedAt)));
}

/** The metrics of one cell (a task at a unit), in the task's metric order; empty where the unit has no assignment. */
export function cellMetrics(taskId, unitId) {
  const task = model.tasks.get(taskId);
  return task.metrics
    .map((m) => model.metrics.get(key(taskId, unitId, m.id)) ?? assignmentOf(task, unitId, m.id))
    .filter(Boolean);
}

function assignmentOf(task, unitId, metricId) {
  const a = task.assignments.find((x) => x.unitId === unitId && (x.metricId ?? 'main') === metricId);
  return a ? { taskId: task.id, unitId, metricId, target: a.target, completed: 0, status: 'onTrack', version: 0, ratio: 0 } : null;
}

/** The cell's status: the worst of its metrics; done only when every metric is done; none without an assignment. */
export function cellStatus(metrics) {
  if (metrics.length === 0) return 'none';
  return WORST_FIRST.find((s) => metrics.some((m) => m.status === s)) ?? 'onTrack';
}

export const metricName = (task, metricId) => task.metrics.find((m) => m.id === metricId)?.name ?? metricId;
export const metricUnit = (task, metricId) => task.metrics.find((m) => m.id === metricId)?.unit ?? '';

/** Whether an item of a task and unit (an alert, a case, an at-risk assignment) passes the page's filters. */
export function matchesFilters(x, filters) {
  const task = model.tasks.get(x.taskId);
  if (!task) return false;
  if (filters.street && x.unitId !== filters.street) return false;
  if (filters.department && task.leadDepartment !== filters.department) return false;
  if (filters.leader && !model.projects.get(task.projectId)?.leaders.includes(filters.leader)) return false;
  return true;
}
