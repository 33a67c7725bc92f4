// The region view (/?region=ID): the region's plans ranked by ratio, one row each, kept live from the region's event
// stream (GET /api/v1/regions/{regionId}/events: a snapshot, then a whole recomputed rollup on every change), so the
// page holds no numbers of its own: each event's rollup replaces the table.
import { h, $, replace, percent, dateTime } from './dom.js';
import { api, ApiError } from './api.js';
import { token } from './auth.js';
import { follow } from './sse.js';

export const regionId = new URLSearchParams(window.location.search).get('region');
const regionPath = (path = '') => `/api/v1/regions/${encodeURIComponent(regionId)}${path}`;

const COUNTS = [['done', '✓ 已完成'], ['onTrack', '● 正常'], ['lagging', '▲ 滞后'], ['overdue', '✕ 逾期']];

/** Replaces the battle map's panels with the region table; returns the stream handle (or null when refused). */
export async function startRegion(onState) {
  document.body.classList.add('region-view');
  replace($('main.layout'), h('section', { class: 'panel region-panel', 'aria-labelledby': 'region-heading' },
    h('h2', { id: 'region-heading' }, '各区县民生实事完成率排名'),
    h('div', { class: 'region-scroll' }, h('table', { id: 'region-table', class: 'region-table' }))));
  try {
    // The first answer tells a refusal (403/404, in the service's words) apart from a stream that is merely down.
    render(await api(regionPath('/rollup')));
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) replace($('#region-table'), h('caption', { class: 'error' }, `无法加载地区：${e.message}`));
    return null;
  }
  return follow(regionPath('/events'), {
    headers: () => ({ Authorization: `Bearer ${token()}` }),
    onEvent: ({ type, data }) => { if (type === 'snapshot' || type === 'rollup') render(data); },
    onState,
  });
}

function render(rollup) {
  $('#plan-title').textContent = `${rollup.name} · 民生实事排名`;
  document.title = `民生实事 · ${rollup.name}`;
  $('#as-of').textContent = `截至 ${dateTime(rollup.asOf)}`;
  replace($('#region-table'),
    h('caption', {}, `${rollup.name}各计划按总体完成率排名（实时更新）`),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, '排名'), h('th', { scope: 'col' }, '计划'), h('th', { scope: 'col' }, '完成率'),
      COUNTS.map(([, label]) => h('th', { scope: 'col' }, label)))),
    h('tbody', {}, rollup.plans.map((p) => h('tr', { dataset: { plan: p.planId } },
      h('td', { class: 'num' }, String(p.rank)),
      h('th', { scope: 'row' }, h('a', { href: `/?plan=${encodeURIComponent(p.planId)}` }, p.title)),
      h('td', { class: 'num ratio' }, percent(p.ratio, 2)),
      COUNTS.map(([key]) => h('td', { class: `num ${key}` }, String(p.counts[key])))))));
  document.body.dataset.loaded = 'true';
}
