// Lints the committed OpenAPI document (docs/openapi.v1.json, which a .NET test keeps equal to the served one) with
// Spectral (spectral:oas) and Redocly (recommended), with the rulesets beside this file. Passes only with no error
// and no warning: a rule that does not fit is turned off in a ruleset, with its reason, never left to warn.
// Run: npm ci && node --test (scripts/test.sh does both).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const documentPath = resolve(here, '../../docs/openapi.v1.json');
const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' };

function run(tool, args) {
  const result = spawnSync(join(here, 'node_modules', '.bin', tool), args, { cwd: here, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return result;
}

/** Spectral's findings: [{code, severity (0 error, 1 warning, 2 info, 3 hint), path, message}]. */
function spectral(file) {
  const result = run('spectral', ['lint', file, '--ruleset', join(here, '.spectral.yaml'), '--format', 'json', '--quiet', '--fail-severity', 'hint']);
  const start = result.stdout.indexOf('[');
  assert.ok(start >= 0, `spectral printed no JSON (exit ${result.status}): ${result.stdout}\n${result.stderr}`);
  return JSON.parse(result.stdout.slice(start));
}

/** Redocly's findings: {totals: {errors, warnings, ignored}, problems: [{ruleId, severity, message, location}]}. */
function redocly(file) {
  const result = run('redocly', ['lint', file, '--config', join(here, 'redocly.yaml'), '--format', 'json']);
  const start = result.stdout.indexOf('{');
  assert.ok(start >= 0, `redocly printed no JSON (exit ${result.status}): ${result.stdout}\n${result.stderr}`);
  return JSON.parse(result.stdout.slice(start));
}

const describe = (findings) => findings.map((f) => `${f.code ?? f.ruleId} ${JSON.stringify(f.path ?? f.location?.[0]?.pointer)}: ${f.message}`).join('\n');

test('spectral:oas finds no error and no warning in docs/openapi.v1.json', () => {
  const findings = spectral(documentPath);
  const serious = findings.filter((f) => f.severity <= 1);
  assert.equal(serious.length, 0, `spectral found:\n${describe(serious)}`);
});

test('redocly recommended finds no error and no warning in docs/openapi.v1.json', () => {
  const report = redocly(documentPath);
  const serious = report.problems.filter((p) => p.severity === 'error' || p.severity === 'warn');
  assert.equal(serious.length, 0, `redocly found:\n${describe(serious)}`);
  assert.equal(report.totals.errors, 0);
  assert.equal(report.totals.warnings, 0);
  // The deliberate exceptions of .redocly.lint-ignore.yaml still exist: when one is fixed, drop it from that file.
  assert.equal(report.totals.ignored, 2, 'the ignore file lists occurrences that no longer occur');
});

test('the linters and rulesets catch a broken document (the checks above are not vacuous)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'openapi-lint-'));
  try {
    const document = JSON.parse(readFileSync(documentPath, 'utf8'));
    // An operation without an id or any success answer, a tag without a description, a path parameter not declared.
    const monthly = document.paths['/api/v1/plans/{planId}/evaluations/{month}'].get;
    delete monthly.operationId;
    delete monthly.responses['200'];
    monthly.parameters = monthly.parameters.filter((p) => p.name !== 'month');
    document.tags[0].description = undefined;
    const broken = join(dir, 'openapi.v1.json');
    writeFileSync(broken, JSON.stringify(document, null, 2));

    const spectralCodes = new Set(spectral(broken).filter((f) => f.severity <= 1).map((f) => f.code));
    for (const code of ['operation-operationId', 'operation-success-response', 'path-params']) assert.ok(spectralCodes.has(code), `spectral missed ${code}: ${[...spectralCodes]}`);

    const redoclyRules = new Set(redocly(broken).problems.map((p) => p.ruleId));
    for (const rule of ['operation-operationId', 'operation-2xx-response', 'path-parameters-defined', 'tag-description'])
      assert.ok(redoclyRules.has(rule), `redocly missed ${rule}: ${[...redoclyRules]}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
