// Forecasts (issue 22): when each assignment metric is expected to be complete at its unit's own pace, from
// GET .../forecasts. The map marks a cell whose assignment is at risk of missing the deadline (⚠, with its words in the
// cell's name and title: never by colour alone), the panel 预计逾期 lists them, and a cell's detail shows its forecast.
import { h, $, replace } from './dom.js';
import { api, planPath } from './api.js';
import { model, nameOf, metricName, matchesFilters } from './model.js';

export const METHOD = { recentRate: '近28天进度', overallRate: '总体进度', done: '已完成', none: '数据不足', lastOfParts: '各项中最晚' };

const shanghaiDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** 2024-12-20 (the day in the plan's time zone), or — without an instant. */
export const day = (instant) => (instant ? shanghaiDay.format(new Date(instant)) : '—');

const key = (taskId, unitId, metricId) => `${taskId}|${unitId}|${metricId}`;

/** Reads the plan's forecasts into the model; answers whether they were read (a refusal keeps what the page had). */
export async function loadForecasts() {
  try {
    const view = await api(planPath('/forecasts'));
    model.forecasts = new Map((view.assignments ?? []).map((a) => [key(a.taskId, a.unitId, a.metricId), a]));
    model.atRisk = view.atRisk ?? [];
    model.forecastAsOf = view.asOf;
    return true;
  } catch {
    return false;
  }
}

/** The forecasts of one cell's metrics (those the service forecast), in the task's metric order. */
export function cellForecasts(taskId, unitId) {
  const task = model.tasks.get(taskId);
  if (!task || !model.forecasts) return [];
  return task.metrics.map((m) => model.forecasts.get(key(taskId, unitId, m.id))).filter(Boolean);
}

/** What is said of an at-risk forecast: 按当前进度预计 2024-12-20 完成, or 按当前进度无法完成. */
export const riskText = (f) => (f.expectedDoneAt ? `按当前进度预计 ${day(f.expectedDoneAt)} 完成` : '按当前进度无法完成');

/** The cell's at-risk words (预计逾期：…), or null when none of its metrics is at risk. */
export function cellRisk(taskId, unitId) {
  const risky = cellForecasts(taskId, unitId).filter((a) => a.forecast?.atRisk);
  if (risky.length === 0) return null;
  // The latest (or never) of the metrics at risk speaks for the cell.
  const never = risky.find((a) => !a.forecast.expectedDoneAt);
  const worst = never ?? risky.reduce((a, b) => (String(a.forecast.expectedDoneAt) >= String(b.forecast.expectedDoneAt) ? a : b));
  return `预计逾期：${riskText(worst.forecast)}`;
}

/** One line of a forecast for the detail: 预计完成 date（区间 earliest – latest）· 按 method, or what stops it. */
export function forecastLine(f) {
  if (!f) return '暂无预测';
  if (f.method === 'done') return `已完成（${day(f.expectedDoneAt)}）`;
  if (f.method === 'none') return `数据不足：${f.reason ?? '无法预测'}`;
  const range = `区间 ${day(f.earliest)} – ${f.latest ? day(f.latest) : '无法完成'}`;
  const when = f.expectedDoneAt ? `预计完成 ${day(f.expectedDoneAt)}（${range}）` : `按当前进度无法完成（${range}）`;
  return `${when} · 按${METHOD[f.method] ?? f.method}${f.reason ? ` · ${f.reason}` : ''}`;
}

/** The detail's forecast section: one line per metric, with 预计逾期 where the metric is at risk. */
export function forecastSection(task, unitId) {
  const list = cellForecasts(task.id, unitId);
  return h('section', { class: 'detail-forecast', 'aria-labelledby': 'detail-forecast-title' },
    h('h3', { id: 'detail-forecast-title' }, '完成预测 ', h('small', {}, '按本单位自身进度')),
    list.length === 0 ? h('p', { class: 'empty' }, model.forecasts ? '暂无预测' : '加载中…')
      : h('ul', { class: 'forecast-lines' }, list.map((a) => h('li', { class: a.forecast.atRisk ? 'at-risk' : '', dataset: { metric: a.metricId } },
        task.metrics.length > 1 ? h('b', {}, `${metricName(task, a.metricId)}：`) : null,
        a.forecast.atRisk ? h('span', { class: 'risk-chip' }, '⚠ 预计逾期') : null,
        h('span', { class: 'forecast-text' }, forecastLine(a.forecast))))));
}

/** The panel 预计逾期: unit, task, completed/target, expected day or 无法完成, why; a click opens the cell's detail. */
export function renderAtRisk(filters, onOpen) {
  const list = $('#at-risk');
  if (!list) return;
  if (!model.forecasts) { replace(list, h('li', { class: 'empty' }, '加载中…')); return; }
  const items = (model.atRisk ?? []).filter((a) => matchesFilters(a, filters));
  $('#at-risk-count').textContent = `${items.length} 项`;
  replace(list, items.length === 0 ? h('li', { class: 'empty' }, '暂无预计逾期的分解任务') : items.slice(0, 80).map((a) => {
    const task = model.tasks.get(a.taskId);
    const f = a.forecast;
    const metric = task && task.metrics.length > 1 ? ` ${metricName(task, a.metricId)}` : '';
    const why = f.reason ?? (f.expectedDoneAt ? `按${METHOD[f.method] ?? f.method}推算，晚于完成节点` : '');
    return h('li', { class: 'item risk', dataset: { cell: `${a.taskId}:${a.unitId}`, metric: a.metricId } },
      h('button', { type: 'button', class: 'link item-main', onclick: () => onOpen(a.taskId, a.unitId) },
        `${nameOf(a.unitId)} · ${a.taskId} ${task?.title ?? ''}${metric}`),
      h('span', { class: 'item-side' }, `${a.completed}/${a.target} · ${f.expectedDoneAt ? `预计 ${day(f.expectedDoneAt)}` : '无法完成'}`),
      h('span', { class: 'item-note' }, why));
  }));
}

