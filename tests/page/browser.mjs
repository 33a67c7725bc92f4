// Debian's Chromium driven by playwright-core (Playwright's own browser download does not work here), with the flags
// that keep it off the closed network and a fresh profile per launch.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launch(viewport = { width: 1920, height: 1080 }) {
  if (!existsSync(executablePath)) throw new Error(`${executablePath} is missing: apt-get install chromium`);
  const profile = mkdtempSync(path.join(os.tmpdir(), 'minsheng-page-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
