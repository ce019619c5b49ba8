// The only module that talks to the server: /api/v1 with the session cookie (people) and its
// CSRF token on every change; problems as ApiError. No key is ever stored in the browser.
import { STRINGS, t } from './i18n.js';

export const BASE = '/api/v1';
const CSRF_COOKIE = 'adcraft_csrf';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

// Earlier versions kept the API key in sessionStorage: drop any left behind.
try { sessionStorage.removeItem('adcraft.key'); } catch { /* storage may be off */ }

/** An API or network failure with a message for people. */
export class ApiError extends Error {
  constructor(status, title, detail, body = null, lines = null) {
    super(detail ? `${title}: ${detail}` : title);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.body = body;
    /** Each of several problems on its own (a refused form: one per field), or null. */
    this.lines = lines;
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

// The API's field names as the forms label them (a name not here: its copy-field name, or as is).
const LABELS = {
  product_name: 'new.product.name',
  description: 'new.product.description',
  selling_points: 'new.product.points',
  offer: 'new.offer',
  extra_offers: 'new.offer',
  cta: 'new.cta',
  language: 'new.language',
  price: 'new.price',
  regular_price: 'new.regularPrice',
  currency: 'new.currency',
  period: 'new.pricePeriod',
  variants: 'new.variants',
  seed: 'preview.seed',
  image_format: 'preview.imageFormat',
  campaign_name: 'new.campaignName',
  brand_kit_id: 'new.brandKit',
  image_description: 'image.description',
  name: 'valid.name',
  email: 'signin.email',
  password: 'signin.password',
};

/** The label of the field a validation error's `loc` points to, as the form shows it. */
function fieldLabel(loc) {
  const names = (loc || []).filter((p) => p !== 'body' && p !== 'query' && !/^\d+$/.test(p));
  let name = names[names.length - 1];
  if (name === 'amount' && names.length > 1) name = names[names.length - 2]; // a price's amount
  if (!name) return '';
  return LABELS[name] ? t(LABELS[name]) : t(`field.${name}`, {}, name);
}

const NUMBER = new Set(['float_parsing', 'int_parsing', 'decimal_parsing', 'float_type', 'int_type', 'int_from_float', 'finite_number']);

/** One of a 422's validation errors ({loc, msg, type, ctx}) in the UI's language; a kind the app
 * has no words for keeps the server's English message after the field's label. */
export function sayValidation(e) {
  const field = fieldLabel(e.loc) || t('valid.request');
  const ctx = e.ctx || {};
  const type = e.type || '';
  if (type === 'missing') return t('valid.missing', { field });
  if (type === 'string_too_long') return t('valid.tooLong', { field, max: ctx.max_length });
  if (type === 'too_long') return t('valid.tooMany', { field, max: ctx.max_length });
  if (type === 'string_too_short' || type === 'too_short') {
    return (ctx.min_length ?? 1) <= 1 ? t('valid.empty', { field }) : t('valid.tooShort', { field, min: ctx.min_length });
  }
  if (NUMBER.has(type)) return t('valid.notNumber', { field });
  if (type === 'literal_error' || type === 'enum') {
    // "'jpeg', 'png' or 'webp'": the values without the English "or".
    const values = [...String(ctx.expected ?? '').matchAll(/'([^']*)'/g)].map((m) => m[1]);
    return t('valid.choice', { field, expected: values.length ? values.join(', ') : String(ctx.expected ?? '') });
  }
  if (type === 'greater_than_equal' || type === 'greater_than') return t('valid.atLeast', { field, limit: ctx.ge ?? ctx.gt });
  if (type === 'less_than_equal' || type === 'less_than') return t('valid.atMost', { field, limit: ctx.le ?? ctx.lt });
  return `${field}: ${e.msg || type}`;
}

/** A refusal's message in the UI's language: by its code, or each validation error on its own;
 * the server's English `detail` for one the app has no words for. */
function sayProblem(status, body, detail) {
  if (body && typeof body.code === 'string' && `problem.${body.code}` in STRINGS.en) {
    const params = { ...(body.params || {}) };
    // A copy field by its label on the edit form ("Заголовок", not "headline").
    if (typeof params.field === 'string') params.field = t(`field.${params.field}`, {}, params.field);
    // A catalogue run's status by its page's word, inside a sentence ("отменён", "cancelled").
    if (typeof params.run_status === 'string') {
      params.run_status = t(`runs.status.${params.run_status}`, {}, params.run_status).toLowerCase();
    }
    // An experiment's status by the word its page shows ("Paused", not "paused").
    if (typeof params.experiment_status === 'string') {
      params.experiment_status = t(`exp.status.${params.experiment_status}`, {}, params.experiment_status);
    }
    return { detail: t(`problem.${body.code}`, params), lines: null };
  }
  if (status === 422 && body && Array.isArray(body.errors) && body.errors.length) {
    const lines = body.errors.map(sayValidation);
    return { detail: lines.join('; '), lines };
  }
  return { detail, lines: null };
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
  const said = sayProblem(res.status, body, detail);
  return new ApiError(res.status, titleFor(res.status), said.detail, body, said.lines);
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
