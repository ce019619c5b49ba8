// Ranked results: grouped by variant or by format, each image in a box of its true aspect ratio
// (reserved before the image arrives, so nothing jumps while results stream in).
import * as api from '../api.js';
import { h, replace, saveBlob } from '../dom.js';
import { getLang, STRINGS, t } from '../i18n.js';
import { can } from '../perms.js';
import * as store from '../store.js';
import { actionButton, aspectBox, errorBox, formatLabel, sizeOf } from '../ui.js';
import { openCompare } from './compare.js';

const KEY_METRICS = ['min_contrast', 'text_share', 'whitespace_balance', 'product_exposure', 'overlap', 'overflow', 'truncated_fields', 'dropped_fields', 'missing_facts'];

/**
 * A warning box listing the brief's sentences removed as prompt injection (none when clean):
 * shown above the download buttons so nobody downloads without having seen it.
 */
export function injectionWarning(creatives) {
  const seen = new Map();
  for (const c of creatives || []) {
    for (const i of c.injections || []) seen.set(`${i.field}\u0000${i.sentence}`, i);
  }
  if (!seen.size) return null;
  return h('div', { class: 'msg msg-warn injection-warning', role: 'alert' },
    h('strong', {}, t('injection.title')),
    h('p', {}, t('injection.detail')),
    h('ul', {}, [...seen.values()].map((i) => h('li', { dir: 'auto' }, t('injection.item', { field: i.field, sentence: i.sentence })))));
}

/** One score reason's numbers written as the UI's language writes them. */
function reasonParams(params) {
  const lang = getLang();
  const out = {};
  for (const [name, v] of Object.entries(params || {})) {
    if (typeof v !== 'number') out[name] = String(v);
    else if (name === 'share') out[name] = v.toLocaleString(lang, { style: 'percent', maximumFractionDigits: 0 });
    else if (name === 'ctr') out[name] = v.toLocaleString(lang, { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 });
    else if (name === 'ratio' || name === 'target') {
      out[name] = `${v.toLocaleString(lang, { minimumFractionDigits: name === 'ratio' ? 1 : 0, maximumFractionDigits: 1 })}:1`;
    } else if (name === 'delta') out[name] = `${v < 0 ? '\u2212' : '+'}${Math.abs(v).toLocaleString(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    else out[name] = Math.round(v).toLocaleString(lang);
  }
  return out;
}

/** A score reason from the API ({code, text, points, params}) in the UI's language; one the app
 * has no words for (code "other", or a code newer than the app) as the server wrote it. */
export function sayReason(r) {
  if (!(`reason.${r.code}` in STRINGS.en)) return r.text;
  const said = t(`reason.${r.code}`, reasonParams(r.params));
  if (r.points === null || r.points === undefined) return said;
  const pts = `${r.points < 0 ? '\u2212' : '+'}${Math.abs(Math.round(r.points)).toLocaleString(getLang())}`;
  return t('reason.withPoints', { reason: said, points: pts });
}

const NOT_PUBLISHABLE = 'not publishable: ';
const PERIODS = ['day', 'night', 'week', 'month', 'year'];
const GAPS = [['gap_code', 'code'], ['gap_deadline', 'deadline'], ['gap_qualifier', 'qualifier'], ['gap_after_trial', 'afterTrial']];

/** A copy field's name in the UI's language; "platform:<name>" is the platform's text field. */
function fieldName(name) {
  if (name.startsWith('platform:')) {
    const own = name.slice(9);
    return t('note.platformField', { field: t(`field.${own}`, {}, own) });
  }
  return t(`field.${name}`, {}, name);
}

/** A brief field a set-level note names ("offer", "offer 2", "selling point 1"). */
function briefLabel(label) {
  if (label === 'offer') return t('note.label.offer');
  if (label === 'description') return t('note.label.description');
  let m = /^offer (\d+)$/.exec(label);
  if (m) return t('note.label.offerN', { n: m[1] });
  m = /^selling point (\d+)$/.exec(label);
  return m ? t('note.label.point', { n: m[1] }) : label;
}

/** The values of a note as the UI's language writes them (the ad's own words stay as written). */
function noteParams(params, formats) {
  const lang = getLang();
  const out = {};
  for (const [name, v] of Object.entries(params || {})) {
    out[name] = typeof v === 'number' ? v.toLocaleString(lang, { maximumFractionDigits: name === 'percent' ? 0 : 2 }) : String(v);
  }
  if (typeof out.field === 'string') out.field = fieldName(out.field);
  if (typeof out.fields === 'string') out.fields = out.fields.split(', ').map(fieldName).join(', ');
  if (typeof out.format === 'string') out.format = formatLabel(out.format, formats);
  if (typeof out.label === 'string') out.label = briefLabel(out.label);
  if (typeof out.source === 'string' && 'phrase' in out) out.source = briefLabel(out.source); // a brief field
  if (PERIODS.includes(out.period)) out.period = t(`note.period.${out.period}`);
  const gaps = GAPS.filter(([p]) => typeof out[p] === 'string');
  if (gaps.length) out.missing = gaps.map(([p, kind]) => t(`note.gap.${kind}`, { part: out[p] })).join(', ');
  return out;
}

/** A warning or not-publishable reason from the API ({code, text, params, blocks}) in the UI's
 * language; one the app has no words for (code "other", or a code newer than the app) as the
 * server wrote it. `inWarnings`: said among the warnings, where a blocking one says so. */
export function sayNote(n, formats = null, inWarnings = false) {
  const known = `note.${n.code}` in STRINGS.en;
  const plain = n.blocks ? n.text.slice(NOT_PUBLISHABLE.length) : n.text;
  const said = known ? t(`note.${n.code}`, noteParams(n.params, formats)) : plain;
  if (!n.blocks || !inWarnings) return said;
  return known ? t('note.blocks', { reason: said }) : n.text;
}

/** Set-level warnings (of a preview, an import, a run, an experiment) in the UI's language: each
 * by its code where the server gave codes (`notes`), else as the server wrote it. `names`: values
 * to show instead of the server's ids (e.g. an experiment's arm names by arm id). */
export function sayWarnings(warnings, notes, names = {}) {
  if (!Array.isArray(notes) || notes.length !== (warnings || []).length) return warnings || [];
  return notes.map((n) => {
    const params = { ...(n.params || {}) };
    for (const [k, v] of Object.entries(params)) if (typeof v === 'string' && names[k] && names[k][v]) params[k] = names[k][v];
    return sayNote({ ...n, params });
  });
}

/** Score reasons ("good alignment (+8)") and the other warnings, in the UI's language. */
export function reasonsOf(c, formats = null) {
  const reasons = (c.score_reasons || []).map(sayReason);
  const warnings = [];
  for (const w of c.warnings || []) {
    if (w.startsWith('score: ')) {
      if (!c.score_reasons) reasons.push(w.slice(7)); // a server from before reason codes
    } else if (!c.warning_notes) warnings.push(w); // a server from before warning codes
  }
  for (const n of c.warning_notes || []) warnings.push(sayNote(n, formats, true));
  return { reasons, warnings };
}

/** Why a creative may not be published, each reason in the UI's language. */
export function publishableReasons(c, formats = null) {
  if (c.publishable_notes) return c.publishable_notes.map((n) => sayNote(n, formats));
  return c.publishable_reasons || [];
}

function metricValue(name, v) {
  if (name === 'min_contrast') return `${v.toFixed(1)}:1`;
  if (/share|balance|exposure|sharpness|utility|validity/.test(name)) return `${Math.round(v * 100)}%`;
  return Number.isInteger(v) ? String(v) : v.toFixed(3);
}

function metricsList(metrics) {
  const names = Object.keys(metrics || {});
  names.sort((a, b) => (KEY_METRICS.includes(a) ? KEY_METRICS.indexOf(a) : 99) - (KEY_METRICS.includes(b) ? KEY_METRICS.indexOf(b) : 99));
  return h('dl', { class: 'metrics' }, names.map((n) => [
    h('dt', {}, t(`metric.${n}`, {}, n)),
    h('dd', {}, metricValue(n, metrics[n])),
  ]));
}

/** Download one image and record it as feedback. */
export async function downloadImage(c) {
  const res = await api.call('GET', `/creatives/${c.id}/image?download=true`, { as: 'response' });
  saveBlob(await res.blob(), api.fileNameOf(res, c.file_name));
  api.post('/feedback', { creative_id: c.id, kind: 'download', version: c.version }).catch(() => {});
}

/** Download the set (or one variant, or only its shortlist) as a ZIP named for the ad platforms. */
export async function downloadZip(taskId, variant = null, shortlistedOnly = false) {
  const query = api.qs({ variant, shortlisted_only: shortlistedOnly ? 'true' : '' });
  const res = await api.call('GET', `/tasks/${taskId}/download.zip${query}`, { as: 'response' });
  saveBlob(await res.blob(), api.fileNameOf(res, `adcraft-${taskId.slice(0, 8)}.zip`));
}

export async function downloadCsv(taskId) {
  const res = await api.call('GET', `/tasks/${taskId}/copy.csv`, { as: 'response' });
  saveBlob(await res.blob(), api.fileNameOf(res, `adcraft-${taskId.slice(0, 8)}-copy.csv`));
}

/**
 * Byte-identical creatives shown once: the best-ranked one, listing the other formats it serves.
 * Its star is on when any of them is shortlisted (its toggle sets them all).
 */
export function collapseDuplicates(ranked) {
  const seen = new Map();
  const out = [];
  for (const c of ranked) {
    const twin = c.image_sha256 ? seen.get(c.image_sha256) : null;
    if (twin) {
      twin.alsoServes.push(c);
      twin.shortlisted = Boolean(twin.shortlisted || c.shortlisted);
      continue;
    }
    const entry = { ...c, alsoServes: [] };
    if (c.image_sha256) seen.set(c.image_sha256, entry);
    out.push(entry);
  }
  return out;
}

/** Where focus is in a card, as something that survives a redraw: {id, kind} or null. */
export function cardFocus(el) {
  const card = el && el.closest ? el.closest('article.creative') : null;
  const kind = el && el.dataset ? el.dataset.opener : null;
  return card && kind ? { id: card.dataset.id, kind } : null;
}

/** The control `where` (from cardFocus) names in the cards drawn now, or null. */
export function findCardControl(where, root = document) {
  if (!where) return null;
  return root.querySelector(`article.creative[data-id="${CSS.escape(where.id)}"] [data-opener="${CSS.escape(where.kind)}"]`);
}

/** Visible badges for what a marketer must know before publishing a creative. */
export function flags(c, formats = null) {
  const out = [];
  if ((c.shortened || []).length) out.push(t('gallery.flag.shortened', { fields: c.shortened.map((n) => t(`field.${n}`, {}, n)).join(', ') }));
  else if ((c.metrics || {}).truncated_fields > 0) out.push(t('gallery.flag.truncated'));
  if ((c.metrics || {}).missing_facts > 0) out.push(t('gallery.flag.missingFacts'));
  if (c.publishable === false) {
    out.unshift(t('gallery.flag.notPublishable', { reasons: publishableReasons(c, formats).join('; ') }));
  }
  if (!out.length) return null;
  return h('ul', { class: 'flags' }, out.map((text) => h('li', { class: 'flag', dir: 'auto' }, text)));
}

const TOP_CHOICES = ['6', '12', 'all'];

/** An image box of the creative's true aspect ratio; in a uniform (square) frame if asked. */
function thumbBox(w, hh, child, uniform, extra = '') {
  const box = aspectBox(w, hh, child, extra);
  // In the ranked grid every card has the same frame, so cards can arrive in rank order
  // without moving each other (the box keeps its true aspect ratio inside the frame).
  if (uniform) box.style.width = `${Math.min(100, (100 * w) / hh)}%`;
  return box;
}

/** A rate as a percentage with two decimals, written as the UI's language writes numbers. */
function percent(rate) {
  return (100 * rate).toLocaleString(getLang(), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/**
 * The card's shortlist star and Compare checkbox. `picks.toggle(c)` marks or unmarks the
 * creative for the team; `picks.compare` holds the ids picked for comparing (two at most).
 */
function pickRow(c, picks) {
  const on = Boolean(c.shortlisted);
  const star = h('button', {
    type: 'button',
    class: 'star',
    'aria-pressed': String(on),
    dataset: { opener: 'star' },
    // Viewers see the mark but cannot change it (the server refuses them anyway).
    disabled: !can('comment'),
    onclick: () => picks.toggle(c),
  }, h('span', { class: 'star-mark', 'aria-hidden': 'true' }, on ? '\u2605' : '\u2606'), ' ', t('shortlist.toggle'));
  const chosen = picks.compare.includes(c.id);
  const box = h('input', {
    type: 'checkbox',
    checked: chosen,
    disabled: !chosen && picks.compare.length >= 2,
    dataset: { opener: 'compare-pick' },
  });
  box.addEventListener('change', () => picks.pick(c, box.checked));
  return h('div', { class: 'row pick' }, star, h('label', { class: 'inline compare-pick' }, box, t('compare.pick')));
}

function card(c, rank, total, formats, onOpen, onError, uniform = false, picks = null) {
  const { w, h: hh } = { w: c.width, h: c.height };
  const { reasons, warnings } = reasonsOf(c, formats);
  const label = `${formatLabel(c.format, formats)} ${c.width}×${c.height}`;
  return h(
    'article',
    { class: 'creative', dataset: { id: c.id, format: c.format, variant: String(c.variant) } },
    h(
      'button',
      { type: 'button', class: 'thumb', dataset: { opener: 'thumb' }, onclick: () => onOpen(c), 'aria-label': t('gallery.open', { label, variant: c.variant }) },
      thumbBox(w, hh, h('img', { src: c.image_url, alt: t('gallery.alt', { label, headline: c.copy.headline || '' }), decoding: 'async' }), uniform),
    ),
    h(
      'div',
      { class: 'meta' },
      h(
        'div',
        { class: 'line1' },
        h('span', { class: `rank${rank === 1 ? ' best' : ''}`, title: t(c.predictedCtr == null ? 'gallery.rankTitle' : 'gallery.rankTitleModel') }, t('gallery.rank', { rank, total })),
        c.predictedCtr == null
          ? h('span', { class: 'score' }, t('gallery.score', { score: Math.round(c.score) }))
          : h('span', { class: 'score predicted' }, t('gallery.predicted', { ctr: percent(c.predictedCtr) })),
        c.version > 1 ? h('span', { class: 'ver' }, t('gallery.version', { n: c.version })) : null,
        c.review_state && c.review_state !== 'draft'
          ? h('span', { class: `review-state ${c.review_state}` }, t(`review.state.${c.review_state}`))
          : null,
      ),
      h('div', { class: 'fmt' }, label),
      h('div', { class: 'flags-slot' }, flags(c, formats),
        (c.alsoServes || []).length
          ? h('div', { class: 'fmt also' }, t('gallery.alsoServes', {
            formats: c.alsoServes.map((d) => `${formatLabel(d.format, formats)} ${d.width}×${d.height}`).join(', '),
          }))
          : null),
      h('ul', { class: 'reasons' }, reasons.slice(0, 2).map((r) => h('li', {}, r))),
      h(
        'details',
        {},
        h('summary', {}, t('gallery.why')),
        h('ul', { class: 'reasons all' }, reasons.map((r) => h('li', {}, r)), warnings.map((r) => h('li', { class: 'warn' }, r))),
        metricsList(c.metrics),
      ),
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'button', dataset: { opener: 'edit' }, onclick: () => onOpen(c) }, t('gallery.edit')),
        actionButton(t('download.image'), () => downloadImage(c).catch(onError), { class: 'subtle' }),
      ),
      picks ? pickRow(c, picks) : null,
    ),
  );
}

function placeholder(w, hh, label, uniform = false) {
  return h(
    'article',
    { class: 'creative pending', 'aria-hidden': 'true' },
    h('div', { class: 'thumb' }, thumbBox(w, hh, null, uniform, 'skeleton')),
    h('div', { class: 'meta' }, h('div', { class: 'line1' }, '\u00a0'), h('div', { class: 'fmt' }, label), h('div', { class: 'flags-slot' }), h('ul', { class: 'reasons' }, h('li', {}, '\u00a0'), h('li', {}, '\u00a0')),
      h('div', { class: 'details-ph' }, '\u00a0'), h('div', { class: 'row' }, h('span', { class: 'btn-ph' }, '\u00a0')),
      h('div', { class: 'row pick' }, h('span', { class: 'btn-ph' }, '\u00a0'))),
  );
}

/** The set as the tenant's latest CTR model ranks it now (a model trained after the set was
 * made ranks it too); unchanged, with no model, when there is none or it cannot be read. */
async function byModel(items, taskId) {
  let ranking;
  try {
    ranking = await api.get(`/ctr/ranking${api.qs({ task: taskId })}`);
  } catch {
    return { items, model: null };
  }
  if (!ranking.model_version) return { items, model: null };
  const seen = new Map(ranking.items.map((r) => [r.creative_id, r]));
  if (!items.every((c) => seen.has(c.id))) return { items, model: null };
  return {
    model: ranking.model_version,
    items: items.map((c) => ({ ...c, modelRank: seen.get(c.id).rank, predictedCtr: seen.get(c.id).predicted_ctr })),
  };
}

/** The gallery of one generate task, drawn into `root`. */
export function gallery(root, task, formats, onOpen) {
  let items = null;
  let model = null; // the CTR model version that ranks the set, when the tenant has trained one
  const view = store.load('gallery', { group: 'rank', top: '12', platform: '', variant: '', dedupe: true, shortlisted: false });
  let group = view.group;
  const saveView = () => store.save('gallery', { ...view, group });
  const slot = h('div', { class: 'slot' });
  const toolbar = h('div', { class: 'toolbar' });
  const body = h('div', { class: 'groups', 'aria-live': 'off' });
  root.append(slot, toolbar, body);
  const onError = (err) => {
    replace(slot, errorBox(err));
    slot.firstChild.focus();
  };

  // The shortlist is the team's (stored on the server); the two picked for comparing are this
  // tab's own (kept across a reload or a change of language) and dropped when the set is
  // fetched again without them.
  const compareKey = `compare.${task.id}`;
  let compare = store.load(compareKey, { ids: [] }).ids.slice(0, 2);
  let rankOf = new Map();
  const picks = {
    get compare() { return compare; },
    async toggle(c) {
      // A card that stands for identical images marks every one of them: the shortlist, and
      // its ZIP, then hold each format the picture serves, not only the best-ranked one.
      const on = !c.shortlisted;
      const done = new Map();
      try {
        for (const x of [c, ...(c.alsoServes || [])]) {
          done.set(x.id, (await api.put(`/creatives/${x.id}/shortlist`, { shortlisted: on })).shortlisted);
        }
      } catch (err) {
        onError(err);
      } finally {
        // What the server took is shown, even when a later one was refused.
        if (done.size) {
          items = items.map((x) => (done.has(x.id) ? { ...x, shortlisted: done.get(x.id) } : x));
          draw();
        }
      }
    },
    pick(c, on) {
      compare = on ? [...compare.filter((id) => id !== c.id), c.id].slice(-2) : compare.filter((id) => id !== c.id);
      store.save(compareKey, { ids: compare });
      // Only what depends on the picks changes: no card is drawn again under the pointer.
      for (const box of body.querySelectorAll('input[data-opener="compare-pick"]')) {
        box.disabled = !box.checked && compare.length >= 2;
      }
      drawCompareBar();
    },
  };
  const compareBar = h('div', { class: 'row compare-bar', role: 'group', 'aria-label': t('compare.pick') });
  function drawCompareBar() {
    const ready = compare.length === 2 && items;
    replace(compareBar,
      h('button', {
        type: 'button',
        dataset: { opener: 'compare' },
        disabled: !ready,
        onclick: () => {
          const [a, b] = compare.map((id) => items.find((x) => x.id === id));
          openCompare(a, b, { formats, rankOf, total: items.length });
        },
      }, t('compare.open', { n: compare.length })),
      h('span', { class: 'hint' }, t('compare.hint')));
  }

  const requested = task.request.formats || [];
  const nVariants = Number(task.request.variants) || 1;

  function drawToolbar() {
    const radios = ['rank', 'variant', 'format'].map((g) => h('button', {
      type: 'button',
      class: 'chip',
      'aria-pressed': String(group === g),
      onclick: () => { group = g; saveView(); draw(); },
    }, t(`gallery.by.${g}`)));
    const anyShortlisted = (items || []).some((c) => c.shortlisted);
    drawCompareBar();
    replace(
      toolbar,
      injectionWarning(items),
      h('div', { class: 'row', role: 'group', 'aria-label': t('gallery.groupBy') }, h('span', { class: 'hint' }, t('gallery.groupBy')), radios),
      // Drawn disabled while the set is made, so the gallery does not jump down when it ends.
      group === 'rank' ? triageControls(items || []) : null,
      h('div', { class: 'row' },
        actionButton(t('download.zip'), () => downloadZip(task.id).catch(onError), { class: 'primary', disabled: !items }),
        actionButton(t('shortlist.downloadZip'), () => downloadZip(task.id, null, true).catch(onError), { disabled: !anyShortlisted }),
        actionButton(t('download.csv'), () => downloadCsv(task.id).catch(onError), { disabled: !items })),
      compareBar,
    );
  }

  function drawPlaceholders() {
    if (group === 'rank') {
      const all = Array.from({ length: nVariants }, () => requested).flat();
      replace(body, h('section', { class: 'group', dataset: { group: 'rank' } },
        h('div', { class: 'group-head' }, h('h3', {}, t('gallery.rankedPending'))),
        h('div', { class: 'grid ranked' }, all.map((f) => {
          const sz = sizeOf(f, formats);
          return placeholder(sz.w, sz.h, formatLabel(f, formats), true);
        }))));
      return;
    }
    replace(body, Array.from({ length: nVariants }, (_, i) => h(
      'section',
      { class: 'group' },
      h('h3', {}, t('gallery.variant', { n: i + 1 })),
      h('div', { class: 'grid' }, requested.map((f) => {
        const s = sizeOf(f, formats);
        return placeholder(s.w, s.h, formatLabel(f, formats));
      })),
    )));
  }

  /** Top-N, platform, variant and duplicate filters of the ranked view (disabled until the
   * set is made). */
  function triageControls(list) {
    const disabled = !list.length;
    const select = (label, key, options) => {
      const el = h('select', { 'aria-label': label, disabled }, options.map(([v, text]) => h('option', { value: v }, text)));
      el.value = view[key];
      el.addEventListener('change', () => { view[key] = el.value; saveView(); draw(); });
      return h('label', { class: 'inline' }, h('span', { class: 'hint' }, label), el);
    };
    const platforms = [...new Set(list.map((c) => c.platform))].sort();
    const variants = [...new Set(list.map((c) => c.variant))].sort((a, b) => a - b);
    const dedupe = h('input', { type: 'checkbox', checked: view.dedupe, disabled });
    dedupe.addEventListener('change', () => { view.dedupe = dedupe.checked; saveView(); draw(); });
    const onlyShortlisted = h('input', { type: 'checkbox', checked: view.shortlisted, disabled, dataset: { filter: 'shortlisted' } });
    onlyShortlisted.addEventListener('change', () => { view.shortlisted = onlyShortlisted.checked; saveView(); draw(); });
    return h('div', { class: 'row triage' },
      select(t('gallery.show'), 'top', TOP_CHOICES.map((n) => [n, n === 'all' ? t('gallery.showAll') : t('gallery.top', { n })])),
      select(t('gallery.platform'), 'platform', [['', t('gallery.allPlatforms')], ...platforms.map((p) => [p, p])]),
      select(t('gallery.variantFilter'), 'variant', [['', t('gallery.allVariants')], ...variants.map((v) => [String(v), t('gallery.variant', { n: v })])]),
      h('label', { class: 'inline' }, dedupe, t('gallery.hideDuplicates')),
      h('label', { class: 'inline' }, onlyShortlisted, t('shortlist.filter')));
  }

  /** The ranked view: one grid, best first, filtered. */
  function drawRanked(ranked, total) {
    let shown = ranked;
    if (view.platform) shown = shown.filter((c) => c.platform === view.platform);
    if (view.variant) shown = shown.filter((c) => String(c.variant) === view.variant);
    if (view.shortlisted) shown = shown.filter((c) => c.shortlisted);
    if (view.dedupe) shown = collapseDuplicates(shown);
    const matching = shown.length;
    if (view.top !== 'all') shown = shown.slice(0, Number(view.top));
    replace(body, h(
      'section',
      { class: 'group', dataset: { group: 'rank' } },
      h('div', { class: 'group-head' }, h('h3', {}, t('gallery.rankedTitle', { shown: shown.length, total: matching })),
        model ? h('p', { class: 'hint by-model' }, t('gallery.byModel', { version: model })) : null),
      view.shortlisted && !matching ? h('p', { class: 'hint empty-shortlist' }, t('shortlist.empty')) : null,
      h('div', { class: 'grid ranked' }, shown.map((c) => card(c, rankOf.get(c.id), total, formats, (x) => onOpen(x, items), onError, true, picks))),
    ));
  }

  // A redraw (a new version, a filter) replaces the cards: focus on a card's control moves to
  // the same control of the card as drawn again, so a keyboard user keeps their place.
  function draw() {
    const focused = body.contains(document.activeElement) ? cardFocus(document.activeElement) : null;
    const cards = () => [...body.querySelectorAll('article.creative:not(.pending)')];
    const at = focused ? cards().findIndex((el) => el.dataset.id === focused.id) : -1;
    drawCards();
    let again = findCardControl(focused, body);
    if (!again && focused && at >= 0) {
      // The card left the view (taken off the shortlist under "Shortlisted only"): the same
      // control of the card now in its place, or of the last one, rather than nowhere.
      const now = cards();
      const next = now[Math.min(at, now.length - 1)];
      again = next ? findCardControl({ id: next.dataset.id, kind: focused.kind }, body) : null;
      if (!again && view.shortlisted) again = toolbar.querySelector('[data-filter="shortlisted"]');
    }
    if (again && again !== document.activeElement) again.focus({ preventScroll: true });
  }

  function drawCards() {
    drawToolbar();
    if (!items) {
      drawPlaceholders();
      return;
    }
    // A creative that fails the publishability check never ranks above one that passes; then
    // the tenant's CTR model decides where it has one, else the quality score.
    const ranked = [...items].sort((a, b) => Number(b.publishable !== false) - Number(a.publishable !== false)
      || (model ? a.modelRank - b.modelRank : b.score - a.score));
    rankOf = new Map(ranked.map((c, i) => [c.id, i + 1]));
    const total = ranked.length;
    if (group === 'rank') {
      drawRanked(ranked, total);
      return;
    }
    const keyOf = group === 'variant' ? (c) => c.variant : (c) => c.format;
    const groups = new Map();
    for (const c of ranked) {
      if (!groups.has(keyOf(c))) groups.set(keyOf(c), []);
      groups.get(keyOf(c)).push(c);
    }
    // Best group first; inside a variant keep the requested format order (stable box sizes).
    const order = requested.length ? requested : [...new Set(items.map((c) => c.format))];
    const pos = (c) => {
      const i = order.findIndex((f) => f === c.format || sizeOf(f, formats).w === c.width && sizeOf(f, formats).h === c.height);
      return i < 0 ? 99 : i;
    };
    replace(body, [...groups.entries()].map(([k, list]) => {
      if (group === 'variant') list.sort((a, b) => pos(a) - pos(b));
      const best = Math.max(...list.map((c) => c.score));
      const title = group === 'variant'
        ? t('gallery.variantBest', { n: k, score: Math.round(best) })
        : `${formatLabel(k, formats)} · ${list[0].width}×${list[0].height}`;
      return h(
        'section',
        { class: 'group', dataset: { group: String(k) } },
        h('div', { class: 'group-head' }, h('h3', {}, title),
          group === 'variant'
            ? actionButton(t('download.variant'), () => downloadZip(task.id, k).catch(onError), { class: 'subtle' })
            : null),
        h('div', { class: 'grid' }, list.map((c) => card(c, rankOf.get(c.id), total, formats, (x) => onOpen(x, items), onError, false, picks))),
      );
    }));
  }

  draw();
  return {
    /** Fetch the set (again, e.g. after a new version) and draw it. */
    async load() {
      try {
        const page = await api.get(`/creatives${api.qs({ task: task.id, limit: 200 })}`);
        ({ items, model } = await byModel(page.items, task.id));
        compare = compare.filter((id) => items.some((c) => c.id === id));
        slot.replaceChildren();
        draw();
        return items;
      } catch (err) {
        onError(err);
        return null;
      }
    },
    items: () => items,
  };
}
