// Calls to the service's HTTP API with the session's bearer token; refusals become ApiErrors carrying the
// service's Chinese problem `detail`.
import { token } from './auth.js';

export const planId = new URLSearchParams(window.location.search).get('plan') ?? 'gongshu-2024';
export const planPath = (path = '') => `/api/v1/plans/${encodeURIComponent(planId)}${path}`;

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? `请求失败（HTTP ${status}）`);
    this.status = status;
    this.problem = problem;
  }
}

export async function api(path, { method = 'GET', body, signal } = {}) {
  const headers = { Accept: 'application/json', Authorization: `Bearer ${token() ?? ''}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal, cache: 'no-store' });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (response.status === 401) window.dispatchEvent(new CustomEvent('auth-required', { detail: json?.detail }));
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

