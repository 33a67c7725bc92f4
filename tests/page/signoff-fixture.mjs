// What the sign-off (填报→审核) browser tests share: a seeds folder holding the 2024 plan with `"signOff": true`, PNG
// photos made here (a tiny encoder over node's zlib, each with its own pixels), and API calls as a given token.
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { root } from './silo.mjs';

export const PLAN = '/api/v1/plans/gongshu-2024';

/** A temporary seeds folder with gongshu-2024 under sign-off; {dir, args (for startSilo), remove()}. */
export function signOffSeeds() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'minsheng-signoff-seeds-'));
  const plan = JSON.parse(readFileSync(path.join(root, 'seeds/gongshu-2024.plan.json'), 'utf8'));
  plan.signOff = true;
  writeFileSync(path.join(dir, 'gongshu-2024.plan.json'), JSON.stringify(plan, null, 2));
  return { dir, args: [`--Minsheng:Seeds=${dir}`], remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * An RGB PNG of width × height whose pixels depend on `seed` (a diagonal gradient in a colour of its own and a
 * square at a place of its own), so no two photos are the same file.
 */
export function png(seed, width = 96, height = 72) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  const base = [(seed * 83) % 256, (seed * 151 + 60) % 256, (seed * 211 + 120) % 256];
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const inSquare = Math.abs(x - ((seed * 17) % width)) < 10 && Math.abs(y - ((seed * 29) % height)) < 10;
      for (let c = 0; c < 3; c++) raw[row + 1 + x * 3 + c] = inSquare ? 255 - base[c] : (base[c] + x + y * (c + 1)) % 256;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** A photo as Playwright's setInputFiles takes it. */
export const photo = (seed, name = `lift-${seed}.png`) => ({ name, mimeType: 'image/png', buffer: png(seed) });

/** A call with a given bearer token: {status, body}. */
export async function call(base, bearer, method, url, body) {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: { Authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

/** Uploads files (multipart, parts named `files`) to a report's evidence: {status, body}. */
export async function uploadEvidence(base, bearer, reportId, files) {
  const form = new FormData();
  for (const f of files) form.append('files', new Blob([f.buffer], { type: f.mimeType }), f.name);
  const response = await fetch(`${base}${PLAN}/reports/${encodeURIComponent(reportId)}/evidence`, {
    method: 'POST', headers: { Authorization: `Bearer ${bearer}` }, body: form,
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}
