// Makes docs/battle-map.png, the README's picture of the page: starts the built host in demo mode (a simulated year
// with synthetic reports), lets the year run until mid-year, and takes a full-page screenshot at 1920×1080 as the
// viewer the host's sign-in link names.
//   cd tests/page && npm ci && node demo-screenshot.mjs [seconds-of-demo]
import path from 'node:path';
import { launch } from './browser.mjs';
import { root, startSilo } from './silo.mjs';

const seconds = Number(process.argv[2] ?? 45);
const silo = await startSilo(['--demo', '--Minsheng:Demo:Interval=00:00:00.25']);
const browser = await launch({ width: 1920, height: 1080 });
try {
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const page = await browser.context.newPage();
  await page.goto(silo.signInLink);
  await page.waitForSelector('td[data-cell]');
  await page.waitForTimeout(3000);
  const file = path.join(root, 'docs', 'battle-map.png');
  await page.screenshot({ path: file, fullPage: true });
  console.log(`saved ${file}`);
} finally {
  await browser.close();
  await silo.stop();
}
