// Shared pieces of UI: error boxes, labelled fields, counters, formatting.
import { h, uid, graphemes } from './dom.js';
import { t, getLang } from './i18n.js';

/** A message box (role=alert) for an ApiError or any Error, with optional action buttons. */
export function errorBox(err, actions = []) {
  const title = err && err.title ? err.title : t('error.generic');
  const detail = err && err.title ? err.detail : String(err && err.message ? err.message : err);
  return h(
    'div',
    { class: 'msg msg-error', role: 'alert', tabindex: '-1' },
    h('strong', {}, title),
    err && err.lines && err.lines.length > 1
      ? h('ul', {}, err.lines.map((line) => h('li', {}, line)))
      : detail ? h('p', {}, detail) : null,
    actions.length ? h('div', { class: 'row' }, actions) : null,
  );
}

/** A short success/info note. */
export function note(text, kind = 'info') {
  return h('div', { class: `msg msg-${kind}`, role: 'status' }, text);
}

/** Show an error in a slot and move focus there so screen readers and keyboards find it. */
export function showError(slot, err, actions = []) {
  const box = errorBox(err, actions);
  slot.replaceChildren(box);
  box.focus({ preventScroll: false });
  return box;
}

/** A label + control + hint block. The control gets an id and aria-describedby. */
export function field(labelText, control, hint = null, extra = null) {
  const id = control.id || uid('f');
  control.id = id;
  const hintEl = hint ? h('div', { class: 'hint', id: `${id}-hint` }, hint) : null;
  const errEl = h('div', { class: 'field-error', id: `${id}-err`, role: 'alert' });
  const described = [hintEl ? `${id}-hint` : null, `${id}-err`].filter(Boolean).join(' ');
  control.setAttribute('aria-describedby', described);
  return h('div', { class: 'field' }, h('label', { for: id }, labelText), control, extra, hintEl, errEl);
}

/** Mark a field invalid (or valid again) with a message. */
export function setFieldError(control, message) {
  const err = document.getElementById(`${control.id}-err`);
  if (err) err.textContent = message || '';
  if (message) control.setAttribute('aria-invalid', 'true');
  else control.removeAttribute('aria-invalid');
}

/** A live "12 / 40" counter for a text control; returns {el, update(): boolean within limit}. */
export function counter(control, limit) {
  const el = h('span', { class: 'counter', 'aria-live': 'polite' });
  const update = () => {
    const n = graphemes(control.value);
    const over = limit ? n - limit : 0;
    el.textContent = limit ? t('copy.counter', { n, limit }) : String(n);
    el.classList.toggle('over', over > 0);
    if (over > 0) el.textContent += ` — ${t('copy.over', { n: over })}`;
    return over <= 0;
  };
  control.addEventListener('input', update);
  update();
  return { el, update };
}

export function formatDate(iso) {
  if (!iso) return '';
  const d = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(iso) ? iso : `${iso}Z`);
  return d.toLocaleString(getLang(), { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatSeconds(s) {
  if (s < 60) return t('time.seconds', { n: Math.max(0, Math.round(s)) });
  return t('time.minutes', { m: Math.floor(s / 60), s: String(Math.round(s % 60)).padStart(2, '0') });
}

/** Width/height of a format id when it is a size or aspect alias ("300x250", "1:1"). */
export function sizeOf(formatId, formats) {
  const f = formats && formats.find((x) => x.id === formatId);
  if (f && f.width && f.height) return { w: f.width, h: f.height };
  let m = /^(\d+)x(\d+)$/.exec(formatId);
  if (m) return { w: Number(m[1]), h: Number(m[2]) };
  m = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(formatId);
  if (m) return { w: Number(m[1]) * 100, h: Number(m[2]) * 100 };
  return { w: 1, h: 1 };
}

/** A human label for a format: "Meta · Feed single image" or the id. */
export function formatLabel(formatId, formats) {
  const f = formats && formats.find((x) => x.id === formatId);
  if (!f) return formatId;
  return `${t(`preset.${f.preset}`)} · ${f.placement}`;
}

/** A box that keeps the aspect ratio of W×H before its image arrives (no layout shift). */
export function aspectBox(w, hgt, child = null, extraClass = '') {
  return h('div', { class: `aspect ${extraClass}`, style: { aspectRatio: `${w} / ${hgt}` } }, child);
}

/**
 * Mark ``btn`` busy (disabled, aria-busy, and ``label`` as its text when given) until the
 * returned function is called with whether it may be pressed again.
 */
export function busyButton(btn, label = null) {
  const text = btn.textContent;
  btn.disabled = true;
  btn.setAttribute('aria-busy', 'true');
  if (label !== null) btn.textContent = label;
  return (enabled = true) => {
    btn.disabled = !enabled;
    btn.removeAttribute('aria-busy');
    btn.textContent = text;
  };
}

/** A button that shows it is busy while an async action runs; returns the button. */
export function actionButton(label, action, attrs = {}) {
  const btn = h('button', { type: 'button', ...attrs }, label);
  btn.addEventListener('click', async () => {
    if (btn.disabled) return;
    const done = busyButton(btn);
    try {
      await action(btn);
    } finally {
      done();
    }
  });
  return btn;
}

/** A count for people: "12,345" (en), "12 345" (ru); a dash when unknown. */
export function formatCount(n) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return '—';
  return new Intl.NumberFormat(getLang(), { maximumFractionDigits: 0 }).format(Number(n));
}

/** A share (0..1) as a percentage with `digits` decimals, e.g. "2.35%"; a dash when unknown. */
export function formatPercent(share, digits = 1) {
  if (share === null || share === undefined || Number.isNaN(Number(share))) return '—';
  return new Intl.NumberFormat(getLang(), {
    style: 'percent',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(Number(share));
}
