// Browser tests of the battle-map page (挂图作战) against the real service: sign-in link, live cells, resuming a dropped
// stream, filters, a street's report form and a department's case answer; full-page screenshots as artifacts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { build, startSilo, token, post, root } from './silo.mjs';
import { launch } from './browser.mjs';

const shots = path.join(root, 'TestResults/page');
const PLAN = '/api/v1/plans/gongshu-2024';
let silo;
let browser;
let page;
const problems = [];

before(async () => {
  mkdirSync(shots, { recursive: true });
  build();
  // The simulated business clock starts at the plan's start (2024-02-28 09:00) and moves only when a test moves it.
  silo = await startSilo(['--Minsheng:Clock:Mode=Simulated']);
  browser = await launch();
  page = await browser.context.newPage();
  watch(page);
});

after(async () => {
  await browser?.close();
  await silo?.stop();
});

function watch(p) {
  p.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  p.on('console', (m) => { if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push(`console: ${m.text()}`); });
}

const cell = (p, taskId, unitId) => p.locator(`td[data-cell="${taskId}:${unitId}"]`);

async function signedIn(role, viewport) {
  const b = await launch(viewport);
  const p = await b.context.newPage();
  watch(p);
  await p.goto(`${silo.base}/?token=${encodeURIComponent(token(role))}`);
  await p.waitForSelector('body[data-loaded="true"][data-stream="live"]');
  return { b, p };
}

test('the sign-in link the host prints opens the page as a viewer and leaves the address bar clean', async () => {
  const anonymous = await fetch(`${silo.base}/`);
  assert.equal(anonymous.status, 200);
  assert.match(anonymous.headers.get('content-security-policy'), /default-src 'self'/);

  await page.goto(silo.signInLink);
  await page.waitForSelector('body[data-loaded="true"][data-stream="live"]');
  assert.equal(new URL(page.url()).search, '', 'the token is removed from the URL');
  assert.ok(await page.evaluate(() => sessionStorage.getItem('minsheng.token')));
  assert.match(await page.textContent('#role'), /查看者/);
  assert.equal(await page.locator('#battle-map tbody tr[data-task]').count(), 22);
  assert.equal(await page.locator('#battle-map thead th').count(), 1 + 19);
  assert.equal(await page.locator('#projects li').count(), 10);
  assert.match(await page.textContent('#ranking'), /暂无/);
  assert.match(await page.textContent('#plan-ratio'), /%$/);
  // A viewer gets no report form.
  await cell(page, '3.1', 'tianshui').locator('button').click();
  await page.waitForSelector('#detail[open] .history');
  assert.equal(await page.locator('#detail .report-form').count(), 0);
  await page.keyboard.press('Escape');
});

test('without a token the page asks for one, refuses what is not a token, and signs in with a pasted one', async () => {
  const b = await launch({ width: 1280, height: 800 });
  try {
    const p = await b.context.newPage();
    watch(p);
    await p.goto(`${silo.base}/`);
    await p.waitForSelector('#signin[open]');
    await p.fill('#signin-token', 'not-a-token');
    await p.click('#signin button[type="submit"]');
    assert.match(await p.textContent('#signin-error'), /不是本服务的访问令牌/);
    await p.fill('#signin-token', token('office'));
    await p.click('#signin button[type="submit"]');
    await p.waitForSelector('body[data-loaded="true"][data-stream="live"]');
    assert.match(await p.textContent('#role'), /区政府办公室/);
  } finally {
    await b.close();
  }
});

test('a report posted through the API changes its cell text and colour within two seconds, without a reload', async () => {
  const target = cell(page, '3.1', 'tianshui');
  assert.match(await target.innerText(), /0\/8/);
  assert.equal(await target.getAttribute('data-status'), 'onTrack');
  const before = await target.evaluate((el) => getComputedStyle(el).backgroundColor);
  await page.evaluate(() => { window.notReloaded = true; });

  const answer = await post(silo.base, 'street:tianshui', `${PLAN}/reports`, { reportId: 'page-live-1', taskId: '3.1', unitId: 'tianshui', completed: 8 });
  assert.equal(answer.status, 201);
  // Within two seconds of the service's answer (201), the page shows it.
  await page.waitForSelector('td[data-cell="3.1:tianshui"][data-status="done"]', { timeout: 2000 });
  assert.match(await target.innerText(), /8\/8/);
  assert.match(await target.innerText(), /✓ 完成/);
  assert.notEqual(await target.evaluate((el) => getComputedStyle(el).backgroundColor), before);
  assert.equal(await page.evaluate(() => window.notReloaded), true, 'the page was not reloaded');
});

test('a dropped stream reconnects with Last-Event-ID and the update posted meanwhile still arrives', async () => {
  const statsBefore = await page.evaluate(() => ({ ...window.battleMap.stats, last: window.battleMap.lastEventId }));
  assert.ok(statsBefore.last, 'events carry ids');
  // Held down until the test resumes it, so a slow machine cannot end the outage before the check below.
  await page.evaluate(() => window.battleMap.drop(600000));
  await page.waitForSelector('body[data-stream="reconnecting"]');

  // Guard against a vacuous pass: while disconnected the cell must not change.
  assert.equal(await post(silo.base, 'street:shangtang', `${PLAN}/reports`, { reportId: 'page-drop-1', taskId: '3.1', unitId: 'shangtang', completed: 3 }).then((r) => r.status), 201);
  await page.waitForTimeout(300);
  assert.match(await cell(page, '3.1', 'shangtang').innerText(), /^0\/14/);
  assert.equal(await page.getAttribute('body', 'data-stream'), 'reconnecting');

  await page.evaluate(() => window.battleMap.resume());
  await page.waitForSelector('body[data-stream="live"]', { timeout: 10000 });
  await page.waitForFunction(() => document.querySelector('td[data-cell="3.1:shangtang"]').innerText.includes('3/14'), null, { timeout: 2000 });
  const statsAfter = await page.evaluate(() => window.battleMap.stats);
  assert.equal(statsAfter.connects, statsBefore.connects + 1);
  assert.equal(statsAfter.lastResumedFrom, statsBefore.last, 'resumed from the last id it had');
  assert.equal(statsAfter.resyncs, 0, 'replayed, not resynchronised');
  assert.equal(statsAfter.snapshots, statsBefore.snapshots, 'no fresh snapshot was needed');
});

test('filters by leader, lead department and street narrow the map, projects and lists', async () => {
  await page.selectOption('#filter-street', 'tianshui');
  assert.equal(await page.locator('#battle-map thead th').count(), 2);
  assert.equal(await page.locator('#battle-map thead th').nth(1).innerText(), '天水');
  assert.equal(await page.locator('td[data-cell$=":district"]').count(), 0);
  const streetRows = await page.locator('#battle-map tbody tr[data-task]').count();
  assert.ok(streetRows > 0 && streetRows < 22);

  await page.selectOption('#filter-street', '');
  await page.selectOption('#filter-leader', 'xu-leiting'); // 许雷挺: projects 8, 9, 10
  const tasks = await page.locator('#battle-map tbody tr[data-task]').evaluateAll((rows) => rows.map((r) => r.dataset.task));
  assert.deepEqual(tasks, ['8.1', '8.2', '9.1', '9.2', '10.1', '10.2']);
  assert.equal(await page.locator('#projects li:not(.dim)').count(), 3);

  await page.selectOption('#filter-department', 'housing-construction');
  const led = await page.locator('#battle-map tbody tr[data-task]').evaluateAll((rows) => rows.map((r) => r.dataset.task));
  assert.deepEqual(led, ['8.1', '8.2', '9.1', '10.1']);

  await page.click('#filter-reset');
  assert.equal(await page.locator('#battle-map tbody tr[data-task]').count(), 22);
});

test('a street reports from the page, and a lower count without correction shows the service refusal', async () => {
  const { b, p } = await signedIn('street:hushu', { width: 1440, height: 900 });
  try {
    assert.match(await p.textContent('#role'), /湖墅/);
    // Another street's cell offers no form.
    await cell(p, '3.1', 'tianshui').locator('button').click();
    await p.waitForSelector('#detail[open] .history');
    assert.equal(await p.locator('#detail .report-form').count(), 0);
    await p.keyboard.press('Escape');

    await cell(p, '3.1', 'hushu').locator('button').click();
    const form = p.locator('#detail .report-form');
    await form.waitFor();
    await form.locator('input[name="completed"]').fill('4');
    await form.locator('input[name="note"]').fill('第一批课堂');
    // The page reads the headline once it includes the report (read your writes), not on a timer.
    const readAfter = p.waitForRequest((r) => /\/rollup\?after=\d+$/.test(r.url()), { timeout: 5000 });
    await form.locator('button[type="submit"]').click();
    await p.waitForSelector('#detail .form-message.ok');
    await readAfter;
    await p.waitForFunction(() => document.querySelector('td[data-cell="3.1:hushu"]').innerText.includes('4/10'), null, { timeout: 2000 });
    await p.waitForFunction(() => document.querySelector('#detail .history').innerText.includes('0 → 4'));

    // A live refresh of the detail (main.js redraws it ~400 ms after a progress event of the cell) must not take the
    // form out of the page: that took the focus from the field being typed in, so Playwright's fill('2') below once
    // typed into nothing and the form sent 4 again (accepted, no refusal to wait for). Redraw now, while focused.
    const again = p.locator('#detail .report-form');
    await again.locator('input[name="completed"]').focus();
    const kept = await p.evaluate(async () => {
      const form = document.querySelector('#detail .report-form');
      await (await import('/js/detail.js')).refreshDetail();
      return document.querySelector('#detail .report-form') === form && document.activeElement?.name === 'completed' && form.isConnected;
    });
    assert.equal(kept, true, 'a redraw keeps the form and its focus');
    await again.locator('input[name="completed"]').fill('2');
    await again.locator('button[type="submit"]').click();
    await p.waitForSelector('#detail .form-message.error');
    const refusal = await p.textContent('#detail .form-message.error');
    assert.match(refusal, /422/);
    assert.match(refusal, /字段 correction|字段 completed/);
    assert.match(await cell(p, '3.1', 'hushu').innerText(), /4\/10/);

    await again.locator('input[name="correction"]').check();
    await again.locator('input[name="reason"]').fill('重复统计一场，予以更正');
    await again.locator('button[type="submit"]').click();
    await p.waitForSelector('#detail .form-message.ok');
    await p.waitForFunction(() => document.querySelector('td[data-cell="3.1:hushu"]').innerText.includes('2/10'), null, { timeout: 2000 });
    await p.screenshot({ path: path.join(shots, 'street-report-form.png') });
  } finally {
    await b.close();
  }
});

test('a lead department answers a case from the page', async () => {
  const opened = await post(silo.base, 'office', `${PLAN}/cases`, { taskId: '3.1', unitId: 'xiaohe', reason: '进度明显滞后，请说明原因' });
  assert.equal(opened.status, 201);
  await page.waitForFunction(() => document.querySelector('#cases').innerText.includes('小河'), null, { timeout: 2000 });

  const { b, p } = await signedIn('department:health', { width: 1440, height: 900 });
  try {
    await cell(p, '3.1', 'xiaohe').locator('button').click();
    const form = p.locator(`#detail article[data-case="${opened.body.id}"] .response-form`);
    await form.waitFor();
    await form.locator('textarea').fill('已约谈街道，12月10日前补齐');
    await form.locator('input[type="date"]').fill('2024-12-10');
    await form.locator('button[type="submit"]').click();
    await p.waitForSelector('#detail .response-form .form-message.ok, #detail article.responded');
  } finally {
    await b.close();
  }
  await page.waitForFunction(() => document.querySelector('#cases').innerText.includes('已反馈'), null, { timeout: 2000 });
});

/** Reports a plausible spread of progress for most assignments, then moves the simulated clock to August. */
async function simulateHalfAYear() {
  const plan = await (await fetch(`${silo.base}${PLAN}`, { headers: { Authorization: `Bearer ${token('office')}` } })).json();
  let n = 0;
  for (const task of plan.tasks) {
    for (const a of task.assignments) {
      n++;
      if (n % 7 === 0) continue; // some never report
      const share = [0.15, 0.3, 0.45, 0.6, 0.75, 1, 0.5, 0.2][(n * 5 + task.id.length) % 8];
      const completed = Math.max(0, Math.round(a.target * share));
      const body = { reportId: `page-sim-${n}`, taskId: task.id, unitId: a.unitId, completed };
      if (task.metrics.length > 1) body.metricId = a.metricId;
      // 422: an assignment an earlier test already reported higher keeps its number.
      assert.ok([201, 422].includes((await post(silo.base, 'office', `${PLAN}/reports`, body)).status));
    }
  }
  const moved = await post(silo.base, 'office', '/api/v1/admin/clock', { now: '2024-08-05T09:30:00+08:00' });
  assert.equal(moved.status, 200);
}

test('full-page screenshots at big-screen, laptop and phone sizes, with no script or CSP errors', async () => {
  await simulateHalfAYear();
  await page.waitForFunction(() => document.querySelector('#as-of').innerText.includes('2024/08/05'), null, { timeout: 10000 });
  await page.waitForFunction(() => document.querySelectorAll('#alerts li.item').length > 0, null, { timeout: 10000 });
  await page.waitForTimeout(2000); // let the flashes of the last changes fade before the picture
  await page.screenshot({ path: path.join(shots, 'battle-map-1920.png'), fullPage: true });
  for (const [name, viewport] of [['laptop-1366', { width: 1366, height: 768 }], ['phone-390', { width: 390, height: 844 }]]) {
    const { b, p } = await signedIn('viewer', viewport);
    try {
      await p.screenshot({ path: path.join(shots, `battle-map-${name}.png`), fullPage: true });
    } finally {
      await b.close();
    }
  }
  assert.deepEqual(problems.filter((x) => !/net::ERR_ABORTED|aborted/i.test(x)), []);
});
