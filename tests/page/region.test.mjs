// Browser test of the region view (/?region=ID, js/region.js) against the real service: a region viewer sees the
// region's plans ranked, each row's ratio follows the region event stream (a report posted through the API shows up
// without a reload), axe finds no WCAG A/AA violation, and the plan title links to the plan's battle map.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { build, startSilo, token, post } from './silo.mjs';
import { launch } from './browser.mjs';

let silo;
let browser;
let page;
const problems = [];

before(async () => {
  build();
  silo = await startSilo(['--Minsheng:Clock:Mode=Simulated']);
  browser = await launch({ width: 1280, height: 800 });
  page = await browser.context.newPage();
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
});

after(async () => {
  await browser?.close();
  await silo?.stop();
});

const row = (planId) => page.locator(`#region-table tr[data-plan="${planId}"]`);

test('a region viewer sees the region table, and a report changes its plan ratio live without a reload', async () => {
  await page.goto(`${silo.base}/?region=hangzhou&token=${encodeURIComponent(token('region-viewer:hangzhou'))}`);
  await page.waitForSelector('body[data-loaded="true"][data-stream="live"]');
  assert.match(await page.textContent('#plan-title'), /杭州市/);
  assert.match(await page.textContent('#region-table caption'), /杭州市/);
  assert.equal(await page.locator('#region-table tbody tr').count(), 1);
  const gongshu = row('gongshu-2024');
  assert.equal(await gongshu.locator('td').first().innerText(), '1');
  assert.equal(await gongshu.locator('a').getAttribute('href'), '/?plan=gongshu-2024');
  assert.equal(await gongshu.locator('td.ratio').innerText(), '0.00%');
  await page.evaluate(() => { window.notReloaded = true; });

  // 8 of task 3.1's 200 classes: 1/25 of the task, 1/50 of project 3, 0.002 of the plan = 0.20%.
  const answer = await post(silo.base, 'street:tianshui', '/api/v1/plans/gongshu-2024/reports',
    { reportId: 'region-page-1', taskId: '3.1', unitId: 'tianshui', completed: 8 });
  assert.equal(answer.status, 201);
  await page.waitForFunction(() => document.querySelector('#region-table tr[data-plan="gongshu-2024"] td.ratio')?.innerText === '0.20%',
    null, { timeout: 5000 });
  assert.equal(await gongshu.locator('td.done').innerText(), '1');
  assert.equal(await page.evaluate(() => window.notReloaded), true, 'the page was not reloaded');

  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), []);
  assert.deepEqual(problems, []);
});

test('another region is refused in the service own words', async () => {
  const b = await launch({ width: 1280, height: 800 });
  try {
    const p = await b.context.newPage();
    await p.goto(`${silo.base}/?region=ningbo&token=${encodeURIComponent(token('region-viewer:hangzhou'))}`);
    await p.waitForSelector('#region-table caption.error');
    assert.match(await p.textContent('#region-table caption'), /无法加载地区/);
  } finally {
    await b.close();
  }
});
