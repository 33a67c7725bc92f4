// The plan ratio over the weeks, drawn with Apache ECharts (served from /vendor, built from npm). Weekly points come
// from `rollup?asOf=` (each Monday 09:00) when the service honours it; otherwise the chart shows what this page has
// seen since it opened, and says so. Without the chart library the panel says so and the rest of the page works.
import { $ } from './dom.js';
import { api, planPath } from './api.js';

const WEEK = 7 * 24 * 3600 * 1000;
let chart = null;
let points = [];
let live = [];
let weekly = false;

async function library() {
  try {
    return await import('../vendor/echarts/echarts.esm.min.js');
  } catch {
    return null;
  }
}

/** Loads the weekly history (when the service answers ?asOf=) and draws it. */
export async function initTrend(plan, rollup) {
  const echarts = await library();
  const box = $('#trend');
  if (!echarts) {
    box.textContent = '图表组件未构建（需要 Node.js 的 npm），其余内容不受影响';
    box.classList.add('empty');
    return;
  }
  chart = echarts.init(box, null, { renderer: 'canvas' });
  new ResizeObserver(() => chart?.resize()).observe(box);
  const now = new Date(rollup.asOf).getTime();
  const mondays = [];
  const start = new Date(`${plan.start}T09:00:00+08:00`).getTime();
  const firstMonday = start + ((8 - new Date(start + 8 * 3600 * 1000).getUTCDay()) % 7) * 24 * 3600 * 1000;
  for (let t = firstMonday; t < now && mondays.length < 60; t += WEEK) mondays.push(t);
  points = [];
  live = [];
  if (mondays.length > 0) {
    const probe = await readAsOf(mondays[0]);
    weekly = probe !== null;
    if (weekly) {
      points.push(probe);
      for (let i = 1; i < mondays.length; i += 6) {
        const batch = await Promise.all(mondays.slice(i, i + 6).map(readAsOf));
        points.push(...batch.filter(Boolean));
      }
    }
  }
  $('#trend-note').textContent = weekly ? '每周一 09:00' : '按周历史暂不可用 · 显示本页打开以来的变化';
  addPoint(rollup.asOf, rollup.ratio);
}

async function readAsOf(t) {
  const asOf = new Date(t).toISOString();
  try {
    const r = await api(planPath(`/rollup?asOf=${encodeURIComponent(asOf)}`));
    // A service that ignores asOf answers "now": then there is no history to draw from.
    return Math.abs(new Date(r.asOf).getTime() - t) < 1000 ? [t, Number(r.ratio)] : null;
  } catch {
    return null;
  }
}

/** Adds the latest ratio (live) and redraws: after the weekly points only "now" is kept; without them, every change. */
export function addPoint(asOf, ratio) {
  if (!chart) return;
  const point = [new Date(asOf).getTime(), Number(ratio)];
  const last = live[live.length - 1];
  if (weekly || (last && point[0] - last[0] < 1000)) live[Math.max(0, live.length - 1)] = point;
  else live.push(point);
  if (live.length > 500) live.shift();
  draw();
}

function draw() {
  chart.setOption({
    animation: false,
    grid: { left: 48, right: 16, top: 16, bottom: 28 },
    tooltip: { trigger: 'axis', valueFormatter: (v) => `${(v * 100).toFixed(1)}%` },
    xAxis: { type: 'time', axisLabel: { color: '#9fb3c8', hideOverlap: true, formatter: '{M}月{d}日' }, axisLine: { lineStyle: { color: '#3a4e66' } } },
    yAxis: { type: 'value', min: 0, max: 1, axisLabel: { color: '#9fb3c8', formatter: (v) => `${Math.round(v * 100)}%` }, splitLine: { lineStyle: { color: '#22344a' } } },
    series: [{ type: 'line', name: '总体完成率', data: [...points, ...live], showSymbol: points.length + live.length < 40, smooth: false, lineStyle: { color: '#4fd1c5', width: 3 }, itemStyle: { color: '#4fd1c5' }, areaStyle: { color: 'rgba(79,209,197,0.15)' } }],
  });
}
