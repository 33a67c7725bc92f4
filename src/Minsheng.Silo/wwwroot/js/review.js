// 填报→审核 (sign-off): a plan with `signOff: true` counts a unit's report only once the unit's reviewer approves it.
// The cards of pending and returned reports (in a cell's detail and in the reviewer's list), the decision buttons
// (通过, 退回 with a required reason) and the reviewer's list of what waits for them.
import { h, $, replace, dateTime } from './dom.js';
import { api, planPath, ApiError } from './api.js';
import { caller, mayReview, reviews } from './auth.js';
import { model, nameOf, metricName, metricUnit, cellMetrics } from './model.js';
import { thumbnails, listEvidence, sweep } from './evidence.js';

export const signOffOn = () => !!model.plan?.signOff;

const KIND_NAMES = { reporter: '填报', reviewer: '审核', street: '街道', department: '部门' };
const SERVICE_ROLES = { office: '区政府办公室', viewer: '查看者', 'region-office': '地区办公室', 'region-viewer': '地区查看者' };

/** A role as people read it: reporter:shangtang → 上塘·填报, office → 区政府办公室. */
export function roleName(role) {
  if (!role) return '';
  const [kind, unit] = String(role).split(/:(.*)/s);
  if (!unit) return SERVICE_ROLES[kind] ?? role;
  return `${nameOf(unit)}·${KIND_NAMES[kind] ?? SERVICE_ROLES[kind] ?? kind}`;
}

const STATES = { pending: '待审核', rejected: '已退回', approved: '已通过' };

/**
 * One pending or returned report: the unit and task (in the reviewer's list, a button that opens the cell), the count
 * filed beside what counts now, who filed it and when, the note, the return reason, the evidence files' thumbnails,
 * and for whoever may review it the decision buttons.
 */
export function pendingCard(item, { who = caller(), onOpen = null, inDetail = false } = {}) {
  const task = model.tasks.get(item.taskId);
  const metric = item.metricId ?? 'main';
  const unitOf = task ? metricUnit(task, metric) : '';
  const counted = task ? cellMetrics(item.taskId, item.unitId).find((m) => m.metricId === metric) : null;
  const where = `${item.taskId} ${nameOf(item.unitId)}`;
  const title = task ? `${where} · ${task.title}` : where;
  const card = h('article', { class: `pending-item ${item.state}`, dataset: { report: item.reportId, state: item.state, cell: `${item.taskId}:${item.unitId}` } },
    h('header', {},
      h('span', { class: `chip ${item.state === 'rejected' ? 'overdue' : 'lagging'}` }, STATES[item.state] ?? item.state),
      inDetail ? null : onOpen
        ? h('button', { type: 'button', class: 'link pending-cell', onclick: () => onOpen(item.taskId, item.unitId) }, title)
        : h('span', { class: 'pending-cell' }, title)),
    h('p', { class: 'pending-count' },
      h('b', {}, `填报累计 ${item.completed}${unitOf ? ` ${unitOf}` : ''}`),
      task && task.metrics.length > 1 ? `（${metricName(task, metric)}）` : null,
      counted ? h('span', { class: 'muted' }, ` · 现计入 ${counted.completed}/${counted.target}`) : null,
      item.correction ? h('span', { class: 'chip lagging' }, `更正：${item.reason ?? ''}`) : null),
    h('p', { class: 'pending-meta' }, `填报 ${item.reporter ?? ''}（${roleName(item.reporterRole)}） · ${dateTime(item.submittedAt)}`),
    item.note ? h('p', { class: 'pending-note' }, `说明：${item.note}`) : null,
    item.state === 'rejected' ? h('p', { class: 'return-reason' }, `退回原因：${item.returnReason ?? ''}`,
      h('span', { class: 'muted' }, ` · 审核 ${item.reviewer ?? ''}（${roleName(item.reviewerRole)}） ${dateTime(item.reviewedAt)}`)) : null,
    thumbnails(item.reportId, item.files ?? listEvidence(item.reportId), `${where} 的佐证材料`),
    item.state === 'pending' && task && mayReview(who, task, item.unitId) ? decision(item, where) : null);
  return card;
}

/**
 * Shows `items` in `box` as cards, keeping the card of every item already shown: a refresh never takes a card out of the
 * page while a reviewer types its return reason (that would take the focus and what was typed). An item's card stays
 * right while it waits (a filing does not change until it is decided, and then it leaves the list). `make(item)` makes
 * a new one; every element carries data-report.
 */
export function keepCards(box, items, make, empty) {
  const shown = new Map([...box.children].filter((el) => el.dataset.report).map((el) => [el.dataset.report, el]));
  const wanted = new Set(items.map((i) => i.reportId));
  for (const el of [...box.children]) if (!wanted.has(el.dataset.report)) el.remove();
  items.forEach((item, i) => {
    const el = shown.get(item.reportId) ?? make(item);
    if (box.children[i] !== el) box.insertBefore(el, box.children[i] ?? null);
  });
  if (items.length === 0) replace(box, empty);
}

/** 通过 and 退回; 退回 asks for its reason (required) before it goes. */
function decision(item, where) {
  const message = h('p', { class: 'form-message', role: 'alert' });
  const approve = h('button', { type: 'button', class: 'primary approve' }, '通过');
  const reject = h('button', { type: 'button', class: 'secondary reject' }, '退回');
  const reasonId = `reject-reason-${item.reportId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const reason = h('textarea', { id: reasonId, name: 'returnReason', rows: 2, required: true, maxlength: 500, placeholder: '请说明退回原因（必填）' });
  const confirm = h('button', { type: 'submit', class: 'primary' }, '确认退回');
  const cancel = h('button', { type: 'button', class: 'link' }, '取消');
  const rejectForm = h('form', { class: 'reject-form', hidden: true, 'aria-label': `退回 ${where} 的上报` },
    h('label', { for: reasonId }, '退回原因'), reason, h('div', { class: 'form-row' }, confirm, cancel));
  const box = h('div', { class: 'decision' }, h('div', { class: 'form-row' }, approve, reject), rejectForm, message);
  const busy = (on) => { for (const b of [approve, reject, confirm]) b.disabled = on; };
  const refused = (e) => {
    message.className = 'form-message error';
    message.textContent = e instanceof ApiError ? `未受理（${e.status}）：${e.message}` : `提交失败：${e.message}`;
  };
  const path = (verb) => planPath(`/reports/${encodeURIComponent(item.reportId)}/${verb}`);

  approve.addEventListener('click', async () => {
    busy(true);
    message.className = 'form-message';
    message.textContent = '提交中…';
    try {
      const answer = await api(path('approve'), { method: 'POST', body: {} });
      message.className = 'form-message ok';
      message.textContent = `已通过：${answer.completed}/${answer.target} 已计入`;
      // The approval is the report's commit: the map takes the answer at once, as for a report made on this page.
      document.dispatchEvent(new CustomEvent('minsheng:reported', { detail: answer }));
      document.dispatchEvent(new CustomEvent('minsheng:decided', { detail: { item, decision: 'approved', text: `已通过 ${where} 累计 ${answer.completed}，已计入进度` } }));
    } catch (e) {
      refused(e);
      busy(false);
    }
  });
  reject.addEventListener('click', () => {
    rejectForm.hidden = false;
    reject.setAttribute('aria-expanded', 'true');
    reason.focus();
  });
  cancel.addEventListener('click', () => {
    rejectForm.hidden = true;
    reject.setAttribute('aria-expanded', 'false');
    reject.focus();
  });
  rejectForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = reason.value.trim();
    if (!text) {
      message.className = 'form-message error';
      message.textContent = '请填写退回原因';
      reason.focus();
      return;
    }
    busy(true);
    message.className = 'form-message';
    message.textContent = '提交中…';
    try {
      await api(path('reject'), { method: 'POST', body: { reason: text } });
      message.className = 'form-message ok';
      message.textContent = '已退回';
      document.dispatchEvent(new CustomEvent('minsheng:decided', { detail: { item, decision: 'rejected', text: `已退回 ${where} 累计 ${item.completed}：${text}` } }));
    } catch (e) {
      refused(e);
      busy(false);
    }
  });
  return box;
}

// ---- the reviewer's list ----

let onOpenCell = null;
let loading = null;
let again = false;

/** Shows the list to reviewers and the offices on a plan under sign-off; answers whether it is shown. */
export function startReview(onOpen) {
  const who = caller();
  const panel = $('#review-panel');
  if (!signOffOn() || !reviews(who)) { panel.hidden = true; return false; }
  onOpenCell = onOpen;
  panel.hidden = false;
  document.body.classList.add('reviewing');
  $('#review-refresh').addEventListener('click', () => refreshReview());
  document.addEventListener('minsheng:decided', ({ detail }) => {
    $('#review-message').textContent = detail.text;
    refreshReview();
  });
  document.addEventListener('minsheng:pending', () => refreshReview());
  // Filing makes no live event: the list is read again every half minute while the page is in front.
  setInterval(() => { if (document.visibilityState === 'visible') refreshReview(); }, 30000);
  refreshReview();
  return true;
}

/**
 * Reads the pending items and redraws the list: what this reviewer may decide, oldest first. One read at a time; a
 * call during a read reads once more after it (so a decision made meanwhile is never shown undone).
 */
export function refreshReview() {
  if ($('#review-panel').hidden) return Promise.resolve();
  if (loading) { again = true; return loading; }
  loading = readReview().finally(() => {
    loading = null;
    if (again) { again = false; refreshReview(); }
  });
  return loading;
}

async function readReview() {
  const who = caller();
  const unit = who.kind === 'reviewer' ? who.unitId : null;
  // A street's reviewer asks for its street; a department's for 区本级 (of the tasks it leads, filtered below).
  const query = !unit ? '' : model.plan.streets.some((s) => s.id === unit) ? `?unitId=${encodeURIComponent(unit)}` : '?unitId=district';
  const list = $('#review-list');
  try {
    const items = await api(planPath(`/pending${query}`));
    const mine = items.filter((i) => model.tasks.has(i.taskId) && mayReview(who, model.tasks.get(i.taskId), i.unitId));
    $('#review-count').textContent = `${mine.length} 条`;
    keepCards(list, mine, (item) => h('li', { dataset: { report: item.reportId } }, pendingCard(item, { who, onOpen: onOpenCell })),
      h('li', { class: 'empty' }, '暂无待审核的上报'));
    sweep();
  } catch (e) {
    replace(list, h('li', { class: 'error' }, e instanceof ApiError ? `无法读取待审核列表（${e.status}）：${e.message}` : `无法读取待审核列表：${e.message}`));
  }
  list.dataset.loaded = 'true';
}
