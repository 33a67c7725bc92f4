// Accessibility and hygiene of the battle-map page against the real service: axe-core (WCAG 2.0/2.1 A and AA) finds
// nothing on the map and in a cell's detail at 1920×1080 and at a phone's 390×844, in states where every chip kind is
// on screen; a fresh plan (before the first weekly 晾晒) loads without a failed request or console error; the favicon
// is served without a token; on a phone the detail's table stays legible. Under sign-off (填报→审核, a silo of its own):
// the reviewer's list, a cell's pending and returned reports with thumbnails and decision buttons, the return reason
// form, the photo viewer, and the report form with chosen files and their outcomes, at both sizes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { build, startSilo, token, post, root } from './silo.mjs';
import { launch } from './browser.mjs';
import { signOffSeeds, photo, call, uploadEvidence, PLAN as SIGNOFF_PLAN } from './signoff-fixture.mjs';

const shots = path.join(root, 'TestResults/page');
const PLAN = '/api/v1/plans/gongshu-2024';
const BIG = { width: 1920, height: 1080 };
const PHONE = { width: 390, height: 844 };
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
let silo;
let browser;
let page;
const seen = { console: [], failed: [] };

before(async () => {
  mkdirSync(shots, { recursive: true });
  build();
  silo = await startSilo(['--Minsheng:Clock:Mode=Simulated']);
  browser = await launch(BIG);
  page = await browser.context.newPage();
  page.on('pageerror', (e) => seen.console.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') seen.console.push(`${m.type()}: ${m.text()}`); });
  page.on('requestfailed', (r) => {
    // The event stream is aborted by the page itself when it reconnects or closes: not a failure.
    if (!(r.url().endsWith('/events') && /ERR_ABORTED/.test(r.failure()?.errorText ?? ''))) seen.failed.push(`${r.url()}: ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => { if (r.status() >= 400) seen.failed.push(`${r.status()} ${r.request().method()} ${r.url()}`); });
});

after(async () => {
  await browser?.close();
  await silo?.stop();
});

/** Runs axe on the whole page; fails with each violation's id, impact, help and the first targets. */
async function axe(label, p = page) {
  const result = await new AxeBuilder({ page: p }).withTags(TAGS).analyze();
  const lines = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.slice(0, 6).map((n) =>
    `    ${n.target.join(' ')}${n.failureSummary ? `\n      ${n.failureSummary.replace(/\n/g, '\n      ')}` : ''}`).join('\n')}`);
  assert.equal(lines.length, 0, `axe at ${label}:\n${lines.join('\n')}`);
  assert.ok(result.passes.length > 10, 'axe ran its rules');
}

async function atSize(viewport, fn) {
  await page.setViewportSize(viewport);
  await page.waitForFunction((w) => window.innerWidth === w, viewport.width);
  await fn(`${viewport.width}×${viewport.height}`);
}

async function openDetail(taskId, unitId) {
  const button = page.locator(`td[data-cell="${taskId}:${unitId}"] button`);
  await button.scrollIntoViewIfNeeded();
  await button.click();
  await page.waitForFunction(() => document.querySelector('#detail[open] .history') && !document.querySelector('#detail-body').innerText.includes('加载中'));
}

async function closeDetail() {
  await page.keyboard.press('Escape');
  await page.waitForSelector('#detail[open]', { state: 'detached' });
}

/** axe on the map and with the given cells' detail open, at the big screen and the phone. */
async function axeEverywhere(state, cells) {
  for (const viewport of [BIG, PHONE]) {
    await atSize(viewport, async (size) => {
      await axe(`${state}, map, ${size}`);
      for (const [taskId, unitId] of cells) {
        await openDetail(taskId, unitId);
        await axe(`${state}, detail ${taskId}:${unitId}, ${size}`);
        await closeDetail();
      }
    });
  }
  await page.setViewportSize(BIG);
}

/** Waits until no CSS animation runs (a changed cell flashes for 1.6 s; axe would measure the flash's colours). */
const settled = () => page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'), null, { timeout: 10000 });

const statuses = () => page.locator('#battle-map td[data-status]').evaluateAll((tds) => [...new Set(tds.map((td) => td.dataset.status))].sort());

test('the favicon is served without a token, as an image', async () => {
  for (const [url, type] of [['/favicon.ico', /^image\/(x-icon|vnd\.microsoft\.icon)/], ['/favicon.svg', /^image\/svg\+xml/]]) {
    const response = await fetch(`${silo.base}${url}`);
    assert.equal(response.status, 200, url);
    assert.match(response.headers.get('content-type'), type, url);
    assert.ok((await response.arrayBuffer()).byteLength > 100, url);
  }
  const html = await (await fetch(`${silo.base}/`)).text();
  assert.match(html, /<link rel="icon" href="favicon\.svg" type="image\/svg\+xml">/);
});

test('a fresh plan before its first weekly ranking loads without a failed request or a console error', async () => {
  await page.goto(silo.signInLink);
  await page.waitForSelector('body[data-loaded="true"][data-stream="live"]');
  assert.match(await page.textContent('#ranking'), /暂无/);
  assert.match(await page.textContent('#ranking'), /每周一 09:00/);
  // The trend's probes of ?asOf= are answered before it writes its note.
  await page.waitForFunction(() => document.querySelector('#trend-note').textContent !== '');
  assert.deepEqual(seen.failed, [], 'no failed request');
  assert.deepEqual(seen.console, [], 'no console error or warning');
  await settled();
  await axeEverywhere('fresh plan', [['3.1', 'tianshui'], ['5.2', 'changqing']]);
});

/** Reports a spread of progress (some done, some far behind, some never), opens a case by hand, moves to August. */
async function halfAYear() {
  const plan = await (await fetch(`${silo.base}${PLAN}`, { headers: { Authorization: `Bearer ${token('office')}` } })).json();
  let n = 0;
  for (const task of plan.tasks) {
    for (const a of task.assignments) {
      n++;
      if (n % 7 === 0 || (task.id === '3.1' && a.unitId === 'xiaohe')) continue;
      const share = [0.15, 0.3, 0.45, 0.6, 0.75, 1, 0.5, 0.2][(n * 5 + task.id.length) % 8];
      const body = { reportId: `a11y-${n}`, taskId: task.id, unitId: a.unitId, completed: Math.round(a.target * share) };
      if (task.metrics.length > 1) body.metricId = a.metricId;
      assert.equal((await post(silo.base, 'office', `${PLAN}/reports`, body)).status, 201);
    }
  }
  // 3.1 小河: one of twelve by August, far behind, and under a case opened by hand: a red (level 2) alert.
  assert.equal((await post(silo.base, 'office', `${PLAN}/reports`, { reportId: 'a11y-xiaohe', taskId: '3.1', unitId: 'xiaohe', completed: 1 })).status, 201);
  const opened = await post(silo.base, 'office', `${PLAN}/cases`, { taskId: '3.1', unitId: 'xiaohe', reason: '进度明显滞后，请说明原因' });
  assert.equal(opened.status, 201);
  assert.equal((await post(silo.base, 'office', '/api/v1/admin/clock', { now: '2024-08-05T09:30:00+08:00' })).status, 200);
}

test('axe finds no WCAG A/AA violation with done, on-track and lagging cells, yellow and red alerts and a ranking', async () => {
  await halfAYear();
  await page.waitForFunction(() => document.querySelector('#as-of').innerText.includes('2024/08/05'), null, { timeout: 10000 });
  await page.waitForFunction(() => document.querySelectorAll('#alerts li.level-2').length > 0, null, { timeout: 10000 });
  // The weekly 晾晒 published by the clock's move arrives live as a `ranking` event.
  await page.waitForSelector('#ranking .rank-list li', { timeout: 10000 });
  assert.match(await page.textContent('#ranking-week'), /2024-W32/);
  assert.deepEqual(await statuses(), ['done', 'lagging', 'none', 'onTrack']);
  // Forecasts (issue 22): with no progress since spring, cells carry the ⚠ 预计逾期 marker and the panel lists them.
  await page.waitForSelector('#battle-map td[data-risk="true"] .risk-mark', { timeout: 10000 });
  await page.waitForSelector('#at-risk li.risk', { timeout: 10000 });
  assert.match(await page.locator('#battle-map td[data-risk="true"] button').first().getAttribute('aria-label'), /预计逾期：按当前进度/);
  await settled();
  const lagging = await page.locator('#battle-map td[data-status="lagging"]').first().getAttribute('data-cell');
  const risky = await page.locator('#battle-map td[data-risk="true"]').first().getAttribute('data-cell');
  await axeEverywhere('August', [['3.1', 'xiaohe'], lagging.split(':'), risky.split(':'), ['5.2', 'changqing']]);
  // At the phone's size the list and a marker are on screen when axe looks (above it ran on the whole page).
  await atSize(PHONE, async (size) => {
    await page.locator('#at-risk').scrollIntoViewIfNeeded();
    assert.ok(await page.locator('#at-risk li.risk').first().isVisible(), 'the at-risk list shows on the phone');
    await page.locator('#battle-map td[data-risk="true"]').first().scrollIntoViewIfNeeded();
    assert.ok(await page.locator('#battle-map td[data-risk="true"] .risk-mark').first().isVisible(), 'a marker shows on the phone');
    await axe(`August, at-risk list and marker in view, ${size}`);
  });
  await page.setViewportSize(BIG);

  // Red alerts come first; a street with a yellow (level 1) one, filtered, shows it (and dims the other projects).
  const alerts = await (await fetch(`${silo.base}${PLAN}/alerts`, { headers: { Authorization: `Bearer ${token('office')}` } })).json();
  const yellow = alerts.find((a) => a.level === 1 && a.unitId !== 'district');
  assert.ok(yellow, 'a level 1 alert exists');
  await page.selectOption('#filter-street', yellow.unitId);
  await page.waitForSelector('#alerts li.level-1');
  await settled();
  await axe('August, filtered by a street, 1920×1080');
  await page.selectOption('#filter-leader', 'xu-leiting');
  await page.waitForSelector('#projects li.dim');
  await axe('August, filtered by a street and a leader, 1920×1080');
  await page.click('#filter-reset');
});

test('axe finds no WCAG A/AA violation after the deadline, with overdue cells, red alerts and cases', async () => {
  assert.equal((await post(silo.base, 'office', '/api/v1/admin/clock', { now: '2024-12-02T09:30:00+08:00' })).status, 200);
  await page.waitForFunction(() => document.querySelectorAll('#battle-map td[data-status="overdue"]').length > 0, null, { timeout: 10000 });
  await page.waitForFunction(() => document.querySelector('#as-of').innerText.includes('2024/12/02'), null, { timeout: 10000 });
  assert.deepEqual(await statuses(), ['done', 'none', 'overdue']);
  await settled();
  const overdue = await page.locator('#battle-map td[data-status="overdue"]').first().getAttribute('data-cell');
  await axeEverywhere('December', [overdue.split(':'), ['3.1', 'xiaohe']]);
  await page.screenshot({ path: path.join(shots, 'a11y-december-1920.png'), fullPage: true });
});

test('the alert and case lists scroll by keyboard: each is a named, focusable region', async () => {
  for (const id of ['alerts', 'cases', 'at-risk']) {
    const list = page.locator(`#${id}`);
    assert.equal(await list.getAttribute('tabindex'), '0', id);
    assert.ok(await list.getAttribute('aria-labelledby') || await list.getAttribute('aria-label'), id);
  }
  const alerts = page.locator('#alerts');
  assert.ok(await alerts.evaluate((el) => el.scrollHeight > el.clientHeight), 'the alert list overflows in December');
  await alerts.focus();
  await page.keyboard.press('End');
  await page.waitForFunction(() => document.querySelector('#alerts').scrollTop > 0, null, { timeout: 2000 });
});

test('on a phone the detail table stacks each metric as a legible card', async () => {
  await atSize(PHONE, async () => {
    await openDetail('5.2', 'changqing');
    const cells = page.locator('#detail .metrics tbody td');
    assert.ok(await cells.count() >= 12, 'two metrics × six columns');
    for (const td of await cells.all()) {
      const box = await td.boundingBox();
      const text = (await td.innerText()).trim();
      const lines = await td.evaluate((el) => {
        const style = getComputedStyle(el);
        const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
        return Math.round((el.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)) / line);
      });
      assert.ok(box.width >= 200, `cell "${text}" is ${box.width}px wide`);
      assert.ok(lines <= 2, `cell "${text}" runs over ${lines} lines`);
    }
    const body = page.locator('#detail');
    assert.ok(await body.evaluate((el) => el.scrollWidth <= el.clientWidth + 1), 'the detail does not scroll sideways');
    await page.screenshot({ path: path.join(shots, 'detail-phone-390.png') });
    await closeDetail();
  });
  await page.setViewportSize(BIG);
});

test('axe finds no WCAG A/AA violation in 填报→审核: the review list, pending and returned reports, the photo viewer, chosen files', async () => {
  const seeds = signOffSeeds();
  const signOffSilo = await startSilo(['--Minsheng:Clock:Mode=Simulated', ...seeds.args]);
  const opened = [];
  try {
    const clerk = token('reporter:shangtang', '王小填');
    const reviewer = token('reviewer:shangtang', '李审核');
    const file = async (reportId, taskId, completed, photos, note) => {
      const filed = await call(signOffSilo.base, clerk, 'POST', `${SIGNOFF_PLAN}/reports`, { reportId, taskId, unitId: 'shangtang', completed, note });
      assert.equal(filed.status, 202, JSON.stringify(filed.body));
      if (photos.length) assert.equal((await uploadEvidence(signOffSilo.base, clerk, reportId, photos)).status, 201);
    };
    await file('a11y-so-1', '9.1', 1, [], '先报一台');
    await file('a11y-so-2', '9.1', 2, [photo(11), photo(12)], '两台已完工');
    await file('a11y-so-3', '3.1', 5, [photo(13)], '第一批课堂');
    const back = await call(signOffSilo.base, reviewer, 'POST', `${SIGNOFF_PLAN}/reports/a11y-so-1/reject`, { reason: '照片未附，请补传' });
    assert.equal(back.status, 200);

    const at = async (bearer, viewport) => {
      const b = await launch(viewport);
      opened.push(b);
      const p = await b.context.newPage();
      await p.goto(`${signOffSilo.base}/?token=${encodeURIComponent(bearer)}`);
      await p.waitForSelector('body[data-loaded="true"][data-stream="live"]');
      return p;
    };
    const thumbs = (p, scope, n) => p.waitForFunction(([sel, count]) => {
      const imgs = [...document.querySelectorAll(`${sel} .thumbs img`)];
      return imgs.length >= count && imgs.every((i) => i.dataset.loaded === 'true');
    }, [scope, n], { timeout: 10000 });
    const detail = async (p, cell) => {
      const button = p.locator(`td[data-cell="${cell}"] button`);
      await button.scrollIntoViewIfNeeded();
      await button.click();
      await p.waitForFunction(() => document.querySelector('#detail[open] .history') && !document.querySelector('#detail-body').innerText.includes('加载中'));
    };

    for (const viewport of [BIG, PHONE]) {
      const size = `${viewport.width}×${viewport.height}`;
      const r = await at(reviewer, viewport);
      await r.waitForSelector('#review-list[data-loaded="true"]');
      await thumbs(r, '#review-list', 3);
      assert.ok(await r.locator('#review-list .pending-item').count() >= 2, 'two filings wait (three on the second pass)');
      await axe(`sign-off, reviewer's list, ${size}`, r);
      const first = r.locator('#review-list .pending-item').first();
      await first.getByRole('button', { name: '退回', exact: true }).click();
      await axe(`sign-off, reviewer's return form, ${size}`, r);
      await detail(r, '9.1:shangtang');
      await thumbs(r, '#detail', 2);
      assert.match(await r.locator('#detail .detail-pending').innerText(), /照片未附/);
      await axe(`sign-off, reviewer's detail with pending and returned, ${size}`, r);
      await r.locator('#detail .thumbs button').first().click();
      await r.waitForFunction(() => document.querySelector('#viewer[open] img.viewer-image')?.complete);
      await axe(`sign-off, photo viewer, ${size}`, r);

      const c = await at(clerk, viewport);
      await detail(c, '9.1:shangtang');
      const form = c.locator('#detail .report-form');
      await form.locator('input[type="file"]').setInputFiles([photo(21, '现场照片-1.png'), { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('x') }]);
      await axe(`sign-off, clerk's form with chosen files, ${size}`, c);
      await form.locator('input[name="completed"]').fill('2');
      await form.locator('button[type="submit"]').click();
      await c.waitForFunction(() => /佐证材料：/.test(document.querySelector('#detail .upload-message')?.innerText ?? ''), null, { timeout: 15000 });
      await axe(`sign-off, clerk's form after the upload (one refused), ${size}`, c);
      await c.screenshot({ path: path.join(shots, `a11y-signoff-clerk-${viewport.width}.png`) });
      await r.screenshot({ path: path.join(shots, `a11y-signoff-reviewer-${viewport.width}.png`) });
    }
  } finally {
    for (const b of opened) await b.close().catch(() => {});
    await signOffSilo.stop();
    seeds.remove();
  }
});
