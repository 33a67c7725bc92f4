// The detail of one cell: its metrics and status, schedule source, history of reports and corrections, its cases;
// a report form (with evidence files) for whoever may report it, and an answer form on its cases for the lead
// department. Under sign-off (填报→审核) the cell's reports waiting for review and those sent back are listed apart
// from the counted history.
import { h, $, replace, dateTime, percent } from './dom.js';
import { api, planPath, ApiError } from './api.js';
import { caller, mayReport, mayRespond } from './auth.js';
import { model, STATUS, cellMetrics, cellStatus, nameOf, metricName, metricUnit } from './model.js';
import { fileChooser, thumbnails, sweep } from './evidence.js';
import { pendingCard, keepCards, roleName, signOffOn } from './review.js';
import { forecastSection } from './forecast.js';

let current = null;

export const openCell = () => current;

export async function showDetail(taskId, unitId) {
  current = { taskId, unitId };
  const dialog = $('#detail');
  if (!dialog.open) dialog.showModal();
  await refreshDetail();
}

/** Closing the detail forgets what it showed (and revokes its images' object URLs): it opens fresh next time. */
export function wireDetail() {
  $('#detail').addEventListener('close', () => {
    const body = $('#detail-body');
    sweep(body);
    replace(body);
    delete body.dataset.cell;
  });
}

/**
 * Redraws the open detail (after a report, an answer, a decision or a live event on the same cell).
 *
 * A redraw of the same cell changes only what changed: the heading, the metrics and the lists, each in place. The report
 * form is never taken out of the page and put back: that would take the focus from the field the person is typing in
 * (their next keys would go nowhere, and a click could miss its button), and its last answer would go with it. The
 * lists stay on screen until their new versions arrive, so nothing shrinks to "加载中…" under the person's pointer.
 */
export async function refreshDetail() {
  if (!current || !$('#detail').open) return;
  const { taskId, unitId } = current;
  const task = model.tasks.get(taskId);
  const metrics = cellMetrics(taskId, unitId);
  const status = cellStatus(metrics);
  const who = caller();
  const body = $('#detail-body');
  const cellKey = `${taskId}:${unitId}`;
  const signOff = signOffOn();
  if (body.dataset.cell !== cellKey) {
    sweep(body);
    replace(body,
      h('div', { class: 'detail-head' }),
      h('div', { class: 'detail-forecast-slot' }),
      h('div', { class: 'detail-form' }),
      signOff ? h('section', { class: 'detail-pending', 'aria-labelledby': 'detail-pending-title' },
        h('h3', { id: 'detail-pending-title' }, '待审核 ', h('small', {}, '审核通过前不计入进度')),
        h('div', { class: 'pending-list', dataset: { state: 'pending' } }, h('p', { class: 'empty' }, '加载中…')),
        h('h3', { id: 'detail-returned-title' }, '已退回'),
        h('div', { class: 'pending-list', dataset: { state: 'rejected' } }, h('p', { class: 'empty' }, '加载中…'))) : null,
      // The history scrolls on its own: focusable (tabindex 0) so a keyboard can scroll it, and named.
      h('h3', { id: 'detail-history-title' }, signOff ? '上报记录（已计入）' : '上报记录'),
      h('ol', { class: 'history', tabindex: 0, 'aria-labelledby': 'detail-history-title' }, h('li', { class: 'empty' }, '加载中…')),
      h('h3', {}, '督办件'),
      h('div', { class: 'detail-cases' }, h('p', { class: 'empty' }, '加载中…')));
    body.dataset.cell = cellKey;
  }
  replace($('.detail-head', body),
    h('h2', { id: 'detail-title' }, `${task.id} ${task.title}`),
    h('p', { class: 'detail-sub' }, `${nameOf(unitId)} · 牵头单位 ${nameOf(task.leadDepartment)}`,
      h('span', { class: `chip ${status}` }, `${STATUS[status].symbol} ${STATUS[status].label}`)),
    metrics.length === 0 ? h('p', { class: 'empty' }, '该单位在此任务中没有分解任务') : metricsTable(task, metrics));
  replace($('.detail-forecast-slot', body), metrics.length === 0 ? null : forecastSection(task, unitId));
  const slot = $('.detail-form', body);
  if (!slot.firstChild && metrics.length > 0 && mayReport(who, task, unitId)) slot.append(reportForm(task, unitId, metrics));

  const cell = `taskId=${encodeURIComponent(taskId)}&unitId=${encodeURIComponent(unitId)}`;
  const [entries, caseList, pending, returned] = await Promise.allSettled([
    api(planPath(`/assignments/${encodeURIComponent(taskId)}/${encodeURIComponent(unitId)}/history`)),
    api(planPath(`/cases?${cell}`)),
    signOff ? api(planPath(`/pending?${cell}&state=pending`)) : null,
    signOff ? api(planPath(`/pending?${cell}&state=rejected`)) : null,
  ]);
  if (current?.taskId !== taskId || current?.unitId !== unitId || body.dataset.cell !== cellKey) return;
  renderHistory($('ol.history', body), task, entries);
  renderCases($('.detail-cases', body), task, caseList, who);
  if (signOff) {
    renderPending($('.pending-list[data-state="pending"]', body), pending, '没有待审核的上报', who);
    renderPending($('.pending-list[data-state="rejected"]', body), returned, '没有退回的上报', who);
  }
  sweep();
}

function renderPending(box, result, empty, who) {
  if (result.status === 'rejected') {
    const e = result.reason;
    return replace(box, h('p', { class: e instanceof ApiError && e.status === 403 ? 'empty' : 'error' },
      e instanceof ApiError && e.status === 403 ? '无权查看' : `读取失败：${e.message}`));
  }
  keepCards(box, result.value, (item) => pendingCard(item, { who, inDetail: true }), h('p', { class: 'empty' }, empty));
}

const COLUMNS = ['指标', '完成/目标', '完成率', '状态', '计划', '最近上报'];

/** One row per metric; each cell names its column (data-label) for the phone, where the rows stack as cards. */
function metricsTable(task, metrics) {
  const td = (i, attrs, ...content) => h('td', { ...attrs, dataset: { label: COLUMNS[i] } }, ...content);
  return h('table', { class: 'metrics' },
    h('thead', {}, h('tr', {}, COLUMNS.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, metrics.map((m) => h('tr', { dataset: { metric: m.metricId } },
      td(0, {}, metricName(task, m.metricId)),
      td(1, { class: 'num' }, `${m.completed}/${m.target} ${metricUnit(task, m.metricId)}`),
      td(2, { class: 'num' }, percent(m.ratio ?? 0)),
      td(3, {}, h('span', { class: `chip ${m.status}` }, `${STATUS[m.status]?.symbol ?? ''} ${STATUS[m.status]?.label ?? m.status}${m.late ? '（逾期完成）' : ''}`)),
      td(4, {}, m.scheduleSource === 'custom' || m.scheduleSource === 'schedule' ? '倒排计划' : '默认线性计划'),
      td(5, {}, dateTime(m.lastReportAt))))));
}

function renderHistory(list, task, result) {
  if (result.status === 'rejected') return replace(list, h('li', { class: 'error' }, result.reason.message));
  const entries = [...result.value].reverse();
  replace(list, entries.length === 0 ? h('li', { class: 'empty' }, '暂无上报') : entries.map((e) => h('li', { class: e.correction ? 'correction' : '', dataset: { report: e.reportId } },
    h('span', { class: 'when' }, dateTime(e.at)),
    h('span', { class: 'what' }, `${task.metrics.length > 1 ? `${metricName(task, e.metricId)} ` : ''}${e.previous} → ${e.completed}`),
    e.correction ? h('span', { class: 'chip lagging' }, `更正：${e.reason ?? ''}`) : null,
    e.signOff ? signOffPeople(e.signOff) : h('span', { class: 'by' }, e.person ? `${e.person}（${roleName(e.by)}）` : roleName(e.by)),
    e.note ? h('span', { class: 'note' }, e.note) : null,
    e.files?.length ? thumbnails(e.reportId, e.files, `${dateTime(e.at)} 上报的佐证材料`) : null)));
}

/** Both people of a signed-off report: who filled it in and when, who approved it and when. */
function signOffPeople(s) {
  return h('span', { class: 'signoff' },
    h('span', { class: 'by' }, `填报 ${s.reporter}（${roleName(s.reporterRole)}） ${dateTime(s.submittedAt)}`),
    h('span', { class: 'by' }, `审核 ${s.reviewer}（${roleName(s.reviewerRole)}） ${dateTime(s.approvedAt)}`));
}

function renderCases(box, task, result, who) {
  if (result.status === 'rejected') return replace(box, h('p', { class: 'error' }, result.reason.message));
  const states = { open: '待反馈', responded: '已反馈', closed: '已结案' };
  replace(box, result.value.length === 0 ? h('p', { class: 'empty' }, '无督办件') : result.value.map((c) => h('article', { class: `case-card ${c.state}`, dataset: { case: c.id } },
    h('header', {}, h('b', {}, states[c.state] ?? c.state), ` · ${dateTime(c.openedAt)} · 送达 ${c.addressedTo.map(nameOf).join('、')}`),
    h('p', {}, c.reason),
    c.responses?.length ? h('ul', { class: 'responses' }, c.responses.map((r) =>
      h('li', {}, `${dateTime(r.at)} ${r.by ?? ''}：${r.text}（承诺 ${r.promisedDate}）`))) : null,
    c.closedAt ? h('p', { class: 'empty' }, `结案 ${dateTime(c.closedAt)} ${c.closedReason ?? ''}`) : null,
    c.state !== 'closed' && mayRespond(who, task) ? responseForm(c) : null)));
}

function reportForm(task, unitId, metrics) {
  const message = h('p', { class: 'form-message', role: 'alert' });
  const uploads = h('p', { class: 'upload-message', role: 'status' });
  const metric = h('select', { name: 'metricId', 'aria-label': '指标' }, metrics.map((m) => h('option', { value: m.metricId }, metricName(task, m.metricId))));
  const completed = h('input', { name: 'completed', type: 'number', min: 0, step: 1, required: true, 'aria-label': '累计完成数', value: metrics[0].completed });
  metric.addEventListener('change', () => { completed.value = metrics.find((m) => m.metricId === metric.value)?.completed ?? 0; });
  const note = h('input', { name: 'note', type: 'text', maxlength: 500, placeholder: '说明（可选）', 'aria-label': '说明' });
  const correction = h('input', { name: 'correction', type: 'checkbox' });
  const reason = h('input', { name: 'reason', type: 'text', maxlength: 500, placeholder: '更正原因（更正时必填）', 'aria-label': '更正原因' });
  const files = fileChooser('report');
  const submit = h('button', { type: 'submit', class: 'primary' }, '提交');
  const form = h('form', { class: 'report-form', 'aria-label': '上报进度', dataset: { cell: `${task.id}:${unitId}` } },
    h('h3', {}, signOffOn() && caller()?.kind !== 'office' && caller()?.kind !== 'region-office'
      ? '上报进度（累计完成数，提交后由本单位审核员审核）' : '上报进度（累计完成数）'),
    h('div', { class: 'form-row' },
      metrics.length > 1 ? h('label', {}, '指标 ', metric) : null,
      h('label', {}, '累计完成 ', completed),
      h('label', {}, '说明 ', note)),
    h('div', { class: 'form-row' },
      h('label', { class: 'check' }, correction, ' 更正（调低已报数）'),
      h('label', {}, '原因 ', reason)),
    files.element,
    h('div', { class: 'form-row' }, submit),
    message, uploads);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    submit.disabled = true;
    files.clearSent();
    message.className = 'form-message';
    message.textContent = '提交中…';
    uploads.textContent = '';
    const body = {
      reportId: `web-${unitId}-${task.id}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
      taskId: task.id, unitId, completed: Number(completed.value),
    };
    if (metrics.length > 1) body.metricId = metric.value;
    if (note.value.trim()) body.note = note.value.trim();
    if (correction.checked) { body.correction = true; body.reason = reason.value.trim() || undefined; }
    let answer;
    try {
      answer = await api(planPath('/reports'), { method: 'POST', body });
    } catch (e) {
      message.className = 'form-message error';
      message.textContent = e instanceof ApiError ? `未受理（${e.status}）：${e.message}` : `提交失败：${e.message}`;
      submit.disabled = false;
      return;
    }
    message.className = 'form-message ok';
    if (answer.state === 'pending') {
      // 202 under sign-off: filed, counted nowhere until the unit's reviewer approves it.
      message.textContent = `已提交审核：累计 ${answer.completed}/${answer.target}，待审核（审核通过后计入进度）`;
      document.dispatchEvent(new CustomEvent('minsheng:pending', { detail: answer }));
    } else {
      message.textContent = `已上报：${answer.completed}/${answer.target}，${STATUS[answer.status]?.label ?? answer.status}`;
      // The answer is committed: the page takes it at once (no waiting for the live event), and main.js reads the
      // rollup with ?after={position}, which answers once the plan's aggregate includes this report.
      document.dispatchEvent(new CustomEvent('minsheng:reported', { detail: answer }));
    }
    if (files.count > 0) {
      // The files go after the report's answer, to the report it made (pending or counted).
      uploads.className = 'upload-message';
      uploads.textContent = `正在上传 ${files.count} 个佐证材料…`;
      const { sent, refused } = await files.send(answer.reportId ?? body.reportId);
      uploads.className = `upload-message ${refused ? 'error' : 'ok'}`;
      uploads.textContent = refused ? `佐证材料：已上传 ${sent} 个，${refused} 个未受理（原因见各文件）` : `佐证材料：已上传 ${sent} 个`;
    }
    submit.disabled = false;
    await refreshDetail();
  });
  return form;
}

function responseForm(c) {
  const message = h('p', { class: 'form-message', role: 'alert' });
  const text = h('textarea', { name: 'text', rows: 2, required: true, maxlength: 2000, placeholder: '整改措施与进展', 'aria-label': '反馈内容' });
  const promised = h('input', { name: 'promisedDate', type: 'date', required: true, 'aria-label': '承诺完成日期' });
  const form = h('form', { class: 'response-form', 'aria-label': '反馈督办件' },
    h('label', {}, '承办反馈 ', text), h('div', { class: 'form-row' }, h('label', {}, '承诺完成日期 ', promised),
      h('button', { type: 'submit', class: 'primary' }, '提交反馈')), message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api(planPath(`/cases/${encodeURIComponent(c.id)}/responses`), { method: 'POST', body: { text: text.value.trim(), promisedDate: promised.value } });
      message.className = 'form-message ok';
      message.textContent = '已反馈';
      await refreshDetail();
    } catch (e) {
      message.className = 'form-message error';
      message.textContent = e instanceof ApiError ? `未受理（${e.status}）：${e.message}` : `提交失败：${e.message}`;
    }
  });
  return form;
}
