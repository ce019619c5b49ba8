// The only module that talks to the server: /api/v1 with the session cookie (people) and its
// CSRF token on every change; problems as ApiError. No key is ever stored in the browser.
import { t } from './i18n.js';

export const BASE = '/api/v1';
const CSRF_COOKIE = 'adcraft_csrf';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

// Earlier versions kept the API key in sessionStorage: drop any left behind.
try { sessionStorage.removeItem('adcraft.key'); } catch { /* storage may be off */ }

/** An API or network failure with a message for people. */
export class ApiError extends Error {
  constructor(status, title, detail, body = null) {
    super(detail ? `${title}: ${detail}` : title);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.body = body;
  }
}

/** The session's CSRF token (the server sets it beside the HttpOnly session cookie). */
export function csrfToken() {
  for (const part of document.cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === CSRF_COOKIE) return decodeURIComponent(rest.join('='));
  }
  return '';
}

const listeners = new Set();
/** Be told when the key stops working (401), e.g. to show the sign-in page. */
export function onUnauthorized(fn) {
  listeners.add(fn);
}

function titleFor(status) {
  const known = [400, 401, 403, 404, 409, 413, 415, 422, 429, 500, 502, 503, 504];
  return known.includes(status) ? t(`error.status.${status}`) : t('error.status.other', { status });
}

async function problemOf(res) {
  let body = null;
  try {
    const text = await res.text();
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  let detail = body && typeof body.detail === 'string' ? body.detail : '';
  if (!detail && res.status === 413) detail = t('error.tooLarge');
  if (!detail && res.status >= 500) detail = t('error.server');
  return new ApiError(res.status, titleFor(res.status), detail, body);
}

/**
 * Call the API. opts: json (body), form (FormData), headers, signal, as ('json'|'blob'|'response'),
 * key (an API key to send instead of the cookie: only to exchange it for a session),
 * auth (false: a 401 is the answer, not a signed-out session).
 */
export async function call(method, path, opts = {}) {
  const headers = new Headers(opts.headers || {});
  if (opts.key) headers.set('Authorization', `Bearer ${opts.key}`);
  else if (!SAFE.has(method)) headers.set('X-CSRF-Token', csrfToken());
  let body;
  if (opts.json !== undefined) {
    headers.set('Content-Type', 'application/json');
    body = JSON.stringify(opts.json);
  } else if (opts.form) {
    body = opts.form;
  }
  let res;
  try {
    res = await fetch(BASE + path, { method, headers, body, signal: opts.signal, cache: 'no-store' });
  } catch (exc) {
    if (exc && exc.name === 'AbortError') throw exc;
    throw new ApiError(0, t('error.network.title'), t('error.network.detail'));
  }
  if (!res.ok) {
    const err = await problemOf(res);
    if (res.status === 401 && opts.auth !== false && !opts.key) listeners.forEach((fn) => fn(err));
    throw err;
  }
  if (opts.as === 'response') return res;
  if (opts.as === 'blob') return res.blob();
  if (res.status === 204) return null;
  return res.json();
}

export const get = (path, opts) => call('GET', path, opts);
export const post = (path, json, opts = {}) => call('POST', path, { ...opts, json });
export const put = (path, json, opts = {}) => call('PUT', path, { ...opts, json });
export const del = (path, opts) => call('DELETE', path, opts);

/** Query string from an object, skipping empty values. */
export function qs(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Upload a file as an asset (image, logo or font). */
export function uploadAsset(file, kind = 'image', caption = '') {
  const form = new FormData();
  form.append('file', file, file.name);
  form.append('kind', kind);
  if (caption) form.append('caption', caption);
  return call('POST', '/assets', { form });
}

/** The file name a download response proposes (Content-Disposition), or a fallback. */
export function fileNameOf(res, fallback) {
  const cd = res.headers.get('Content-Disposition') || '';
  const m = /filename="?([^";]+)"?/.exec(cd);
  return m ? m[1] : fallback;
}
