// Browser test of 填报→审核 with evidence photos (issue 21, items 4 and 5) against the real service, its plan under
// sign-off: 上塘's clerk files "3 lifts done" for task 9.1 (加装电梯) with three photos made here, sees it pending with
// three thumbnails and the map cell not turned; 上塘's reviewer returns an earlier filing with a reason (the clerk sees
// it returned, with the reason) and approves the three lifts; only then does the cell's number change, live on both
// pages, and the history names who filled it in and who approved it. Then the upload on a phone (390×844): no sideways
// scrolling, each file with its own outcome and the service's refusal of a file it does not take.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { build, startSilo, token, root } from './silo.mjs';
import { launch } from './browser.mjs';
import { signOffSeeds, photo, call, PLAN } from './signoff-fixture.mjs';

const shots = path.join(root, 'TestResults/page');
const TASK = '9.1'; // 完成200台老旧小区既有住宅加装电梯: 上塘's target is 2
const UNIT = 'shangtang';
const CLERK = { role: `reporter:${UNIT}`, name: '王小填' };
const REVIEWER = { role: `reviewer:${UNIT}`, name: '李审核' };
let seeds;
let silo;
const open = [];
const problems = [];

before(async () => {
  mkdirSync(shots, { recursive: true });
  build();
  seeds = signOffSeeds();
  silo = await startSilo(['--Minsheng:Clock:Mode=Simulated', ...seeds.args]);
});

after(async () => {
  for (const b of open) await b.close().catch(() => {});
  await silo?.stop();
  seeds?.remove();
});

async function signedIn(who, viewport = { width: 1440, height: 900 }) {
  const b = await launch(viewport);
  open.push(b);
  const p = await b.context.newPage();
  p.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  p.on('console', (m) => { if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push(`console: ${m.text()}`); });
  await p.goto(`${silo.base}/?token=${encodeURIComponent(token(who.role, who.name))}`);
  await p.waitForSelector('body[data-loaded="true"][data-stream="live"]');
  return p;
}

/** A one-page PDF with nothing active in it (the service refuses scripts, actions and embedded files). */
const PDF = {
  name: '验收单.pdf',
  mimeType: 'application/pdf',
  buffer: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n'
    + '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
};

const cellText = (p) => p.locator(`td[data-cell="${TASK}:${UNIT}"]`).innerText();

async function openCell(p) {
  const button = p.locator(`td[data-cell="${TASK}:${UNIT}"] button`);
  await button.scrollIntoViewIfNeeded();
  await button.click();
  await p.waitForFunction(() => document.querySelector('#detail[open] .history') && !document.querySelector('#detail-body').innerText.includes('加载中'));
}

async function closeDetail(p) {
  await p.keyboard.press('Escape');
  await p.waitForSelector('#detail[open]', { state: 'detached' });
}

/** Waits until every thumbnail image under `scope` has arrived (fetched with the token, shown through an object URL). */
async function thumbnailsLoaded(p, scope, count) {
  await p.waitForFunction(([s, n]) => {
    const imgs = [...document.querySelectorAll(`${s} .thumbs img`)];
    return imgs.length === n && imgs.every((i) => i.dataset.loaded === 'true' && i.complete && i.naturalWidth > 0);
  }, [scope, count], { timeout: 10000 });
}

let clerk;
let reviewer;
let first; // the filing the reviewer returns
let lifts; // the filing of three lifts with three photos

test('the plan is under sign-off and the roles read as 填报员 and 审核员', async () => {
  const plan = await call(silo.base, token('office'), 'GET', PLAN);
  assert.equal(plan.status, 200);
  assert.equal(plan.body.signOff, true);
  assert.equal(plan.body.tasks.find((t) => t.id === TASK).assignments.find((a) => a.unitId === UNIT).target, 2);

  clerk = await signedIn(CLERK);
  assert.match(await clerk.textContent('#role'), /上塘.*填报员/);
  assert.equal(await clerk.locator('#review-panel').isHidden(), true, 'a clerk has no review list');
  assert.match(await cellText(clerk), /^0\/2/);
});

test('the clerk files "3 lifts done" with three photos: pending, three thumbnails, the map not turned', async () => {
  await openCell(clerk);
  const form = clerk.locator('#detail .report-form');
  assert.match(await form.locator('h3').innerText(), /审核/);
  assert.match(await clerk.locator('#detail .detail-pending').innerText(), /没有待审核的上报/);

  // An earlier filing, without photos, that the reviewer will send back.
  await form.locator('input[name="completed"]').fill('2');
  await form.locator('input[name="note"]').fill('先报两台');
  await form.locator('button[type="submit"]').click();
  await clerk.waitForSelector('#detail .report-form .form-message.ok');
  assert.match(await form.locator('.form-message').innerText(), /待审核/);
  await clerk.waitForSelector('#detail .pending-list[data-state="pending"] .pending-item');

  // Three photos, chosen in two goes, with one chosen by mistake and removed.
  const input = form.locator('input[type="file"]');
  assert.equal(await input.getAttribute('accept'), 'image/jpeg,image/png,image/heic,application/pdf');
  assert.equal(await input.getAttribute('multiple'), '');
  await input.setInputFiles([photo(1, 'lift-1.png'), photo(2, 'lift-2.png')]);
  await input.setInputFiles([photo(9, 'wrong.png'), photo(3, 'lift-3.png')]);
  const rows = form.locator('.chosen-file');
  assert.equal(await rows.count(), 4);
  assert.match(await rows.nth(0).innerText(), /lift-1\.png[\s\S]*KB/);
  await form.getByRole('button', { name: '移除 wrong.png' }).click();
  assert.deepEqual(await rows.locator('.file-name').allInnerTexts(), ['lift-1.png', 'lift-2.png', 'lift-3.png']);

  await form.locator('input[name="completed"]').fill('3');
  await form.locator('input[name="note"]').fill('3台电梯已完工');
  const uploads = [];
  clerk.on('request', (r) => { if (r.method() === 'POST' && /\/evidence$/.test(r.url())) uploads.push(r.url()); });
  const filed = clerk.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/reports'));
  await form.locator('button[type="submit"]').click();
  const answer = await (await filed).json();
  assert.equal((await filed).status(), 202, 'filed, not counted');
  assert.equal(answer.state, 'pending');
  assert.equal(answer.completed, 3);
  await clerk.waitForFunction(() => /已上传 3 个/.test(document.querySelector('#detail .upload-message')?.innerText ?? ''), null, { timeout: 15000 });
  assert.equal(uploads.length, 3, 'each file its own upload');
  assert.ok(uploads.every((u) => u.endsWith(`/reports/${encodeURIComponent(answer.reportId)}/evidence`)), 'to the report just filed');
  for (const status of await rows.locator('.file-status').allInnerTexts()) assert.match(status, /^已上传/);
  lifts = answer.reportId;

  // Both filings wait for review, apart from the counted history; the three lifts show their three photos.
  const pending = clerk.locator('#detail .pending-list[data-state="pending"] .pending-item');
  await clerk.waitForFunction(() => document.querySelectorAll('#detail .pending-list[data-state="pending"] .pending-item').length === 2);
  first = await pending.nth(0).getAttribute('data-report');
  assert.notEqual(first, lifts);
  const item = clerk.locator(`#detail .pending-item[data-report="${lifts}"]`);
  assert.match(await item.innerText(), /待审核[\s\S]*填报累计 3 台[\s\S]*王小填[\s\S]*3台电梯已完工/);
  await thumbnailsLoaded(clerk, `#detail .pending-item[data-report="${lifts}"]`, 3);
  assert.equal(await item.getByRole('button', { name: '通过' }).count(), 0, 'a clerk does not decide');
  assert.match(await clerk.locator('#detail ol.history').innerText(), /暂无上报/);
  assert.match(await clerk.locator('#detail-title').innerText(), /9\.1/);

  // A thumbnail opens the full photo above the detail.
  await item.locator('.thumbs button').first().click();
  await clerk.waitForFunction(() => {
    const img = document.querySelector('#viewer[open] img.viewer-image');
    return img && img.complete && img.naturalWidth === 96;
  }, null, { timeout: 10000 });
  assert.match(await clerk.textContent('#viewer-title'), /lift-1\.png/);
  await clerk.keyboard.press('Escape');
  await clerk.waitForSelector('#viewer[open]', { state: 'detached' });
  assert.equal(await clerk.locator('#detail[open]').count(), 1, 'the detail stays open under the photo');
  await clerk.screenshot({ path: path.join(shots, 'signoff-clerk-pending.png') });
  await closeDetail(clerk);

  // Nothing counts yet: the cell, the rollup and the history are as before.
  assert.match(await cellText(clerk), /^0\/2/);
  const history = await call(silo.base, token('office'), 'GET', `${PLAN}/assignments/${TASK}/${UNIT}/history`);
  assert.deepEqual(history.body, []);
});

test('the reviewer returns the earlier filing with a reason and approves the three lifts; only then the map turns', async () => {
  reviewer = await signedIn(REVIEWER);
  assert.match(await reviewer.textContent('#role'), /上塘.*审核员/);
  const panel = reviewer.locator('#review-panel');
  await reviewer.waitForSelector('#review-list[data-loaded="true"]');
  assert.equal(await panel.isVisible(), true);
  const items = panel.locator('.pending-item');
  assert.equal(await items.count(), 2);
  assert.match(await panel.locator('#review-count').innerText(), /2 条/);
  assert.deepEqual(await items.evaluateAll((xs) => xs.map((x) => x.dataset.report)), [first, lifts], 'oldest first');
  const returned = panel.locator(`.pending-item[data-report="${first}"]`);
  const approved = panel.locator(`.pending-item[data-report="${lifts}"]`);
  assert.match(await approved.innerText(), /9\.1 上塘[\s\S]*填报累计 3 台[\s\S]*现计入 0\/2[\s\S]*王小填/);
  await thumbnailsLoaded(reviewer, `#review-list .pending-item[data-report="${lifts}"]`, 3);
  assert.equal(await reviewer.locator(`td[data-cell="${TASK}:${UNIT}"]`).innerText().then((t) => /^0\/2/.test(t)), true);

  // 退回 asks for a reason: an empty one is not sent.
  await returned.getByRole('button', { name: '退回' }).click();
  const reason = returned.locator('textarea[name="returnReason"]');
  assert.equal(await reason.evaluate((el) => document.activeElement === el), true, 'the reason gets the focus');
  let decisions = 0;
  reviewer.on('request', (r) => { if (/\/(approve|reject)$/.test(r.url())) decisions++; });
  await returned.getByRole('button', { name: '确认退回' }).click();
  assert.equal(await reason.evaluate((el) => el.validity.valueMissing), true);
  assert.equal(decisions, 0);
  await reason.fill('两台的照片未附，请补传后重报');
  // The list is read again (every half minute, and after any decision) while the reviewer types: the card stays put.
  const kept = await reviewer.evaluate(async () => {
    const typing = document.activeElement;
    await (await import('/js/review.js')).refreshReview();
    return typing?.name === 'returnReason' && document.activeElement === typing && typing.isConnected;
  });
  assert.equal(kept, true, 'a refresh keeps the card being worked on, and its focus');
  assert.equal(await reason.inputValue(), '两台的照片未附，请补传后重报');
  await returned.getByRole('button', { name: '确认退回' }).click();
  await reviewer.waitForFunction((id) => !document.querySelector(`#review-list .pending-item[data-report="${id}"]`), first);
  assert.match(await reviewer.textContent('#review-message'), /已退回/);
  assert.equal(await items.count(), 1);
  assert.match(await cellText(reviewer), /^0\/2/, 'a return changes nothing on the map');

  // 通过: the map turns now, on the reviewer's page at once and on the clerk's through the live stream.
  const approval = reviewer.waitForResponse((r) => r.url().endsWith(`/reports/${encodeURIComponent(lifts)}/approve`));
  await approved.getByRole('button', { name: '通过' }).click();
  const answer = await approval;
  assert.equal(answer.status(), 201);
  assert.equal((await answer.json()).completed, 3);
  await reviewer.waitForFunction(([t, u]) => /^3\/2/.test(document.querySelector(`td[data-cell="${t}:${u}"]`).innerText), [TASK, UNIT], { timeout: 2000 });
  assert.equal(await reviewer.getAttribute(`td[data-cell="${TASK}:${UNIT}"]`, 'data-status'), 'done');
  await reviewer.waitForSelector('#review-list li.empty');
  assert.match(await reviewer.textContent('#review-list'), /暂无待审核/);
  assert.match(await reviewer.textContent('#review-message'), /已通过/);
  await clerk.waitForFunction(([t, u]) => /^3\/2/.test(document.querySelector(`td[data-cell="${t}:${u}"]`).innerText), [TASK, UNIT], { timeout: 5000 });
  await reviewer.screenshot({ path: path.join(shots, 'signoff-reviewer.png') });
});

test('the clerk sees the filing returned with its reason, and the history names who filled in and who approved', async () => {
  await openCell(clerk);
  const returned = clerk.locator('#detail .pending-list[data-state="rejected"] .pending-item');
  assert.equal(await returned.count(), 1);
  assert.equal(await returned.getAttribute('data-report'), first);
  assert.match(await returned.innerText(), /已退回[\s\S]*填报累计 2 台[\s\S]*退回原因：两台的照片未附，请补传后重报[\s\S]*李审核/);
  assert.match(await clerk.locator('#detail .pending-list[data-state="pending"]').innerText(), /没有待审核的上报/);

  const line = clerk.locator(`#detail ol.history li[data-report="${lifts}"]`);
  const text = await line.innerText();
  assert.match(text, /0 → 3/);
  assert.match(text, /填报 王小填（上塘·填报）/);
  assert.match(text, /审核 李审核（上塘·审核）/);
  await thumbnailsLoaded(clerk, `#detail ol.history li[data-report="${lifts}"]`, 3);

  const [entry] = (await call(silo.base, token('office'), 'GET', `${PLAN}/assignments/${TASK}/${UNIT}/history`)).body;
  assert.equal(entry.signOff.reporter, '王小填');
  assert.equal(entry.signOff.reviewer, '李审核');
  assert.equal(entry.files.length, 3);
  assert.notEqual(new Set(entry.files.map((f) => f.sha256)).size, 1, 'three different photos');
  await clerk.screenshot({ path: path.join(shots, 'signoff-clerk-history.png') });
  await closeDetail(clerk);
});

test('on a phone (390×844) the clerk chooses photos, sees each upload and a refused file, without sideways scrolling', async () => {
  const phone = await signedIn(CLERK, { width: 390, height: 844 });
  await openCell(phone);
  const form = phone.locator('#detail .report-form');
  await form.locator('input[type="file"]').setInputFiles([photo(4, 'IMG_20241105_电梯验收现场照片.png'), PDF,
    { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('不是照片') }]);
  await form.locator('input[name="completed"]').fill('3');
  await form.locator('input[name="note"]').fill('补传验收照片');
  await form.locator('button[type="submit"]').click();
  await phone.waitForFunction(() => /未受理/.test(document.querySelector('#detail .upload-message')?.innerText ?? ''), null, { timeout: 15000 });
  const rows = phone.locator('#detail .chosen-file');
  assert.deepEqual(await rows.evaluateAll((xs) => xs.map((x) => x.dataset.state)), ['sent', 'sent', 'refused']);
  assert.match(await rows.nth(2).locator('.file-status').innerText(), /^未受理（415）：文件“notes\.txt”的内容不是/);
  assert.equal(await rows.nth(2).getByRole('button', { name: '重新上传 notes.txt' }).count(), 1);
  await phone.waitForFunction(() => document.querySelectorAll('#detail .pending-list[data-state="pending"] .pending-item').length === 1);

  // The photo shows as a thumbnail; the PDF (no thumbnail) as its name, and a click saves it.
  await thumbnailsLoaded(phone, '#detail .pending-list[data-state="pending"]', 1);
  const pdf = phone.locator('#detail .pending-list[data-state="pending"] .thumbs button.file');
  assert.match(await pdf.innerText(), /PDF[\s\S]*验收单\.pdf/);
  const saved = phone.waitForEvent('download');
  await pdf.click();
  assert.equal((await saved).suggestedFilename(), '验收单.pdf');

  const widths = await phone.evaluate(() => ({
    page: [document.documentElement.scrollWidth, window.innerWidth],
    detail: [document.querySelector('#detail').scrollWidth, document.querySelector('#detail').clientWidth],
    form: [document.querySelector('#detail .report-form').scrollWidth, document.querySelector('#detail .report-form').clientWidth],
  }));
  assert.ok(widths.page[0] <= widths.page[1], `the page scrolls sideways: ${widths.page}`);
  assert.ok(widths.detail[0] <= widths.detail[1] + 1, `the detail scrolls sideways: ${widths.detail}`);
  assert.ok(widths.form[0] <= widths.form[1] + 1, `the form scrolls sideways: ${widths.form}`);
  await phone.screenshot({ path: path.join(shots, 'signoff-phone-390.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('a decision someone else made first is refused in the service own words, on the card', async () => {
  // The phone's filing waits; the reviewer's list shows it, then the office sends it back before the reviewer acts.
  await reviewer.click('#review-refresh');
  const card = reviewer.locator('#review-list .pending-item').first();
  await card.waitFor();
  const id = await card.getAttribute('data-report');
  const back = await call(silo.base, token('office'), 'POST', `${PLAN}/reports/${encodeURIComponent(id)}/reject`, { reason: '办公室已退回' });
  assert.equal(back.status, 200);
  await card.getByRole('button', { name: '通过' }).click();
  await reviewer.waitForSelector('#review-list .pending-item .form-message.error');
  assert.match(await card.locator('.form-message').innerText(), /^未受理（409）：.*退回/);
  assert.equal(await card.getByRole('button', { name: '通过' }).isEnabled(), true, 'the buttons work again after a refusal');
  assert.match(await cellText(reviewer), /^3\/2/);
});
