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


/** A file from the API (bearer token in the header, so an <img src> cannot fetch it): its Blob, or an ApiError. */
export async function blob(path, { signal } = {}) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${token() ?? ''}` }, signal });
  if (response.status === 401) window.dispatchEvent(new CustomEvent('auth-required'));
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
  return response.blob();
}

/**
 * Posts one file as multipart/form-data (part `files`) with upload progress, which fetch() does not report:
 * onProgress(fraction) while it goes; resolves with the answer's JSON, rejects with an ApiError carrying the problem.
 */
export function upload(path, file, onProgress = () => {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Authorization', `Bearer ${token() ?? ''}`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.addEventListener('progress', (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); });
    xhr.addEventListener('load', () => {
      let json = null;
      try { json = xhr.responseText ? JSON.parse(xhr.responseText) : null; } catch { json = null; }
      if (xhr.status === 401) window.dispatchEvent(new CustomEvent('auth-required', { detail: json?.detail }));
      if (xhr.status >= 200 && xhr.status < 300) resolve(json);
      else reject(new ApiError(xhr.status, json));
    });
    xhr.addEventListener('error', () => reject(new Error('网络中断')));
    xhr.addEventListener('abort', () => reject(new Error('已取消')));
    const form = new FormData();
    form.append('files', file, file.name);
    xhr.send(form);
  });
}
