// Starts the real service (the built Minsheng.Silo.dll) on free ports with a fixed test signing key, and issues tokens
// with the same dll's `token` command. Build once (skipped with MINSHENG_PAGE_NO_BUILD=1 when the caller built it).
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const project = path.join(root, 'src/Minsheng.Silo');
const configuration = process.env.MINSHENG_PAGE_CONFIGURATION ?? 'Release';
const dll = path.join(project, 'bin', configuration, 'net10.0', 'Minsheng.Silo.dll');
export const signingKey = 'page-test-signing-key-0123456789-abcdefghijklmnop';

export function build() {
  if (process.env.MINSHENG_PAGE_NO_BUILD === '1' && existsSync(dll)) return;
  execFileSync('dotnet', ['build', project, '-c', configuration, '-nologo', '-clp:ErrorsOnly'], { stdio: 'inherit' });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a silo; resolves with {base, signInLink, stop()} once it is ready and has printed its sign-in link. A free
 * port is only free until someone else takes it (the test suite runs other services beside the page tests), so a silo
 * that could not bind is started again on fresh ports, at most three times.
 */
export async function startSilo(extra = []) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startSiloOnce(extra);
    } catch (e) {
      if (attempt >= 3 || !/address already in use/i.test(String(e.message))) throw e;
    }
  }
}

async function startSiloOnce(extra) {
  const [http, silo, gateway, metrics] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const base = `http://127.0.0.1:${http}`;
  const child = spawn('dotnet', [dll, '--urls', base, `--Minsheng:Auth:SigningKey=${signingKey}`,
    `--Minsheng:Cluster:SiloPort=${silo}`, `--Minsheng:Cluster:GatewayPort=${gateway}`, `--Minsheng:Metrics:Port=${metrics}`, ...extra], {
    cwd: project, // the content root: wwwroot/ and the seeds are found from here
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ASPNETCORE_ENVIRONMENT: 'Production', NO_COLOR: '1' },
  });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 60000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`silo exited with ${child.exitCode}:\n${log}`);
    const link = /Battle map.*?(http:\/\/\S+\?token=\S+)/.exec(log)?.[1];
    if (link && (await ready(base))) return { base, signInLink: link, stop, log: () => log };
    if (Date.now() > deadline) { await stop(); throw new Error(`silo not ready in 60 s:\n${log}`); }
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function ready(base) {
  try { return (await fetch(`${base}/health/ready`)).ok; } catch { return false; }
}

const tokens = new Map();
/** A token for the role; with a name, the person history and audit lines show (`token ROLE --name NAME`). */
export function token(role, name = null) {
  const key = name ? `${role}|${name}` : role;
  if (!tokens.has(key)) {
    const args = [dll, 'token', role, ...(name ? ['--name', name] : []), `--Minsheng:Auth:SigningKey=${signingKey}`];
    tokens.set(key, execFileSync('dotnet', args, { cwd: project }).toString().trim());
  }
  return tokens.get(key);
}

export async function post(base, role, url, body) {
  const response = await fetch(`${base}${url}`, {
    method: 'POST', headers: { Authorization: `Bearer ${token(role)}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}
