// New creative: product, offer, language, formats, image, brand kit, variants -> one task.
import * as api from '../api.js';
import { h, replace, textDir, uid } from '../dom.js';
import { ltr, t } from '../i18n.js';
import * as store from '../store.js';
import { aspectBox, busyButton, counter, errorBox, field, formatLabel, note, setFieldError, showError } from '../ui.js';
import { formatPicker } from './formatpick.js';
import { sayWarnings } from './gallery.js';
import { imagePicker } from './imagepick.js';

export const LANGUAGES = ['en', 'ru', 'de', 'fr', 'es', 'it', 'pt', 'pl', 'tr', 'ar', 'he', 'zh', 'ja'];
const LIMITS = { name: 200, description: 5000, offer: 2000, cta: 100 };
const MAX_SEED = 2 ** 31 - 1;
const FALLBACK = {
  productMode: 'new',
  productId: '',
  name: '',
  description: '',
  points: '',
  price: '',
  regularPrice: '',
  currency: 'USD',
  // What a recurring price is paid for ('' a one-off price): sent as the price's period.
  pricePeriod: '',
  // How many periods a recurring price commits to ('' none): "12" for a 12-month contract.
  priceMinTerm: '',
  priceSource: '',
  offer: '',
  cta: '',
  language: 'en',
  formats: ['meta_feed_square', 'iab_medium_rectangle'],
  extraFormats: '',
  imageSource: 'upload',
  image: null,
  imageDescription: '',
  sceneBackground: false,
  sceneText: '',
  bankQuery: '',
  brandKitId: '',
  variants: 2,
  campaignId: '',
  campaignName: '',
  // The look: styles ticked (none: the workspace's defaults), image file format, seed ('' = 0).
  styles: [],
  imageFormat: 'jpeg',
  seed: '',
  idemKey: '',
  idemSig: '',
  // What was typed for each product ('new' or 'p:<catalogue id>'), so switching products
  // never carries one product's offer, language, photo or brand kit over to another.
  byProduct: {},
};

/** The fields that belong to one product's brief. */
const PER_PRODUCT = [
  'offer', 'cta', 'language', 'imageSource', 'image', 'imageDescription', 'brandKitId',
  'price', 'regularPrice', 'currency', 'pricePeriod', 'priceMinTerm', 'priceSource',
];
export const PERIODS = ['day', 'night', 'week', 'month', 'year'];

/** A typed amount as a number ("19,99" and "19.99" alike); NaN when it is not one. */
export function amount(text) {
  const v = String(text ?? '').trim().replace(/\s/g, '').replace(',', '.');
  return /^\d+(\.\d{1,2})?$/.test(v) ? Number(v) : NaN;
}

/** The start of a text for a hint: whole words up to about `limit` characters, then "…". */
export function excerpt(text, limit) {
  const s = String(text || '').trim();
  if (s.length <= limit) return s;
  const cut = s.slice(0, limit + 1);
  const end = Math.max(cut.lastIndexOf(' '), cut.lastIndexOf('\u3000'));
  // Scripts without spaces (Chinese, Japanese) are cut at the limit itself.
  return `${(end > limit / 2 ? cut.slice(0, end) : s.slice(0, limit)).replace(/[\s,.;:!?、，。]+$/u, '')}…`;
}

/** Whether something was typed in a field (spaces alone are nothing). */
const typed = (v) => String(v ?? '').trim() !== '';

/** "179 EUR (regular 239 EUR)": a brief's prices in a sentence of the form's notes (each amount
 * with its currency kept left to right in a Hebrew sentence). */
function priceText(d) {
  if (!typed(d.price)) return '';
  const regular = typed(d.regularPrice) ? ` ${t('new.regularShort', { value: ltr(`${d.regularPrice} ${d.currency}`) })}` : '';
  const period = d.pricePeriod ? ` ${t('new.periodShort', { period: t(`new.period.${d.pricePeriod}`) })}` : '';
  const term = d.pricePeriod && typed(d.priceMinTerm) ? ` ${t('new.termShort', { n: String(d.priceMinTerm).trim() })}` : '';
  return `${ltr(`${d.price} ${d.currency}`)}${period}${term}${regular}`;
}

/** A style's name for people (a style the app has no name for keeps the server's). */
function styleName(name) {
  return t(`style.${name}`, {}, name);
}

function languageName(code) {
  try {
    return new Intl.DisplayNames([document.documentElement.lang || 'en'], { type: 'language' }).of(code);
  } catch {
    return code;
  }
}

/** Bind a control to a draft key, saving on every keystroke. */
function bind(control, draft, key, persist, cast = (v) => v) {
  control.value = draft[key] ?? '';
  control.addEventListener('input', () => {
    draft[key] = cast(control.value);
    persist();
  });
  return control;
}

/** A catalogue product's prices as the form's fields show them. */
export function priceFields(p) {
  return {
    price: p.price ? String(p.price.amount) : '',
    regularPrice: p.regular_price ? String(p.regular_price.amount) : '',
    currency: (p.price || p.regular_price || {}).currency || 'USD',
    pricePeriod: (p.price && p.price.period) || '',
    priceMinTerm: p.price && p.price.min_term ? String(p.price.min_term) : '',
  };
}

/** The prices a brief's fields hold, to compare with a product's (see priceSource). */
const pricesOf = (d) => JSON.stringify([d.price, d.regularPrice, d.currency, d.pricePeriod, d.priceMinTerm]
  .map((v) => String(v ?? '').trim()));

/** A typed minimum term as a whole number of periods (1 to 1200); NaN when it is not one. */
export function minTerm(text) {
  const v = String(text ?? '').trim();
  return /^\d{1,4}$/.test(v) && Number(v) >= 1 && Number(v) <= 1200 ? Number(v) : NaN;
}

/** A typed price as the brief's price object, with its period when it recurs and, for the
 * price itself, the minimum term it commits to (said beside the price on every creative). */
function priceOf(d, text, { withTerm = false } = {}) {
  const out = { amount: amount(text), currency: d.currency };
  if (d.pricePeriod) out.period = d.pricePeriod;
  if (withTerm && d.pricePeriod && typed(d.priceMinTerm)) out.min_term = minTerm(d.priceMinTerm);
  return out;
}

/** The brief fields a catalogue product implies: its own offer, language, prices and photo. */
function fieldsOf(p, kits) {
  const prices = priceFields(p);
  return {
    ...prices,
    // The product's prices these fields were filled from: when the catalogue's differ later,
    // the fields are filled again (a draft never sends a price the catalogue has changed).
    priceSource: pricesOf(prices),
    offer: (p.offers || [])[0] || '',
    cta: '',
    language: p.language || 'en',
    imageSource: p.image_url ? 'catalog' : 'none',
    image: null,
    imageDescription: '',
    // A tenant with one brand kit means it for every product; with several, none is guessed.
    brandKitId: kits.length === 1 ? kits[0].id : '',
  };
}

export default async function newCreative(main, route, ctx) {
  const draft = store.load('new', FALLBACK);
  if (!draft.idemKey) draft.idemKey = store.newKey();
  // Every change of the draft goes through here, so a style preview of an older brief is
  // noticed at once (see previewStale below).
  let onDraftChange = () => {};
  const persist = () => {
    store.save('new', draft);
    onDraftChange();
  };
  persist();

  const top = h('div', { class: 'slot' });
  const startOver = h('button', { type: 'button', class: 'subtle' }, t('new.startOver'));
  startOver.addEventListener('click', () => {
    store.clear('new');
    store.save('briefNote', { text: t('new.startedOver') });
    ctx.navigate('#/new');
  });
  main.append(h('div', { class: 'title-row' }, h('h1', {}, t('new.title')), startOver), top);
  let formats = [];
  let products = [];
  let kits = [];
  let campaigns = [];
  let caps = {};
  try {
    [formats, products, kits, campaigns, caps] = await Promise.all([
      ctx.formats(),
      api.get('/products?limit=500').then((p) => p.items),
      api.get('/brand-kits'),
      api.get('/campaigns?limit=100').then((p) => p.items),
      // Older servers have no /capabilities: fall back to safe defaults.
      api.get('/capabilities').catch(() => ({})),
    ]);
  } catch (err) {
    showError(top, err, [h('button', { type: 'button', onclick: () => ctx.navigate('#/new') }, t('action.retry'))]);
    return null;
  }
  const product = () => (draft.productMode === 'catalog' ? products.find((p) => p.id === draft.productId) || null : null);
  const picked = product();
  if (picked && draft.priceSource !== pricesOf(priceFields(picked))) {
    // The catalogue's prices changed since this draft was filled (or it predates the fields):
    // filled again before any field is drawn, so a stale price is never shown or sent.
    Object.assign(draft, priceFields(picked), { priceSource: pricesOf(priceFields(picked)) });
    persist();
    top.append(note(t('new.pricesRefreshed', { product: picked.name, price: priceText(draft) || t('new.change.empty') }), 'info'));
  }

  // --- product ---------------------------------------------------------------------------
  const productBox = h('div');
  const modeName = uid('pm');
  const name = bind(h('input', { type: 'text', maxlength: LIMITS.name, autocomplete: 'off' }), draft, 'name', persist);
  const description = bind(h('textarea', { rows: 3, maxlength: LIMITS.description }), draft, 'description', persist);
  const points = bind(h('textarea', { rows: 3 }), draft, 'points', persist);
  const price = bind(h('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off' }), draft, 'price', persist);
  const regularPrice = bind(h('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off' }), draft, 'regularPrice', persist);
  const currency = bind(h('input', { type: 'text', maxlength: 3, autocomplete: 'off' }), draft, 'currency', persist,
    (v) => v.toUpperCase());
  const pricePeriod = bind(h('select', {},
    h('option', { value: '' }, t('new.period.none')),
    PERIODS.map((v) => h('option', { value: v }, t(`new.period.${v}`)))), draft, 'pricePeriod', persist);
  const priceMinTerm = bind(h('input', { type: 'text', inputmode: 'numeric', maxlength: 4, autocomplete: 'off' }),
    draft, 'priceMinTerm', persist);
  const productSelect = h('select', {}, h('option', { value: '' }, t('new.pickProduct')),
    products.map((p) => h('option', { value: p.id, dir: 'auto' }, `${p.name} (${p.sku})`)));
  productSelect.value = draft.productId;
  const importSlot = h('div', { class: 'slot', 'aria-live': 'polite' });
  const importInput = h('input', { type: 'file', accept: '.json,application/json,image/*', multiple: true, id: uid('imp') });
  importInput.addEventListener('change', async () => {
    const files = [...(importInput.files || [])];
    const json = files.find((f) => f.name.toLowerCase().endsWith('.json'));
    if (!json) {
      importSlot.replaceChildren(errorBox({ title: t('import.failed'), detail: t('import.needJson') }));
      return;
    }
    const form = new FormData();
    form.append('file', json, json.name);
    for (const f of files) if (f !== json) form.append('images', f, f.name);
    importSlot.replaceChildren(h('p', { class: 'hint' }, t('common.loading')));
    try {
      const res = await api.call('POST', '/products/import', { form });
      draft.productMode = 'catalog';
      persist();
      ctx.announce(t('import.done', { created: res.created, updated: res.updated }));
      store.save('importNote', { text: t('import.done', { created: res.created, updated: res.updated }), warnings: sayWarnings(res.warnings, res.warning_notes) });
      ctx.navigate('#/new');
    } catch (err) {
      importSlot.replaceChildren(errorBox(err));
    } finally {
      importInput.value = '';
    }
  });
  const imported = store.load('importNote', { text: '', warnings: [] });
  if (imported.text) {
    importSlot.append(note(imported.text, 'ok'), ...imported.warnings.map((w) => note(w, 'warn')));
    store.clear('importNote');
  }
  const slotKey = () => (draft.productMode === 'catalog' ? `p:${draft.productId}` : 'new');
  /** Switch the brief to another product: keep what was typed for the old one, fill the new. */
  function switchProduct(change) {
    const before = Object.fromEntries(PER_PRODUCT.map((k) => [k, draft[k]]));
    draft.byProduct[slotKey()] = before;
    change();
    const p = product();
    const saved = draft.byProduct[slotKey()];
    const next = saved || (p ? fieldsOf(p, kits) : Object.fromEntries(PER_PRODUCT.map((k) => [k, FALLBACK[k]])));
    Object.assign(draft, next);
    persist();
    const changed = describeChanges(before, draft);
    if (changed.length) {
      const subject = p ? p.name : t('new.product.new');
      store.save('briefNote', { text: t(saved ? 'new.restored' : 'new.filled', { product: subject, fields: changed.join(', ') }) });
    }
    ctx.navigate('#/new');
  }
  function describeChanges(before, after) {
    const out = [];
    if ((before.offer || '') !== (after.offer || '')) out.push(t('new.change.offer', { value: after.offer || t('new.change.empty') }));
    if (before.language !== after.language) out.push(t('new.change.language', { value: languageName(after.language) }));
    if ((before.cta || '') !== (after.cta || '')) out.push(t('new.change.cta', { value: after.cta || t('new.change.empty') }));
    if (before.imageSource !== after.imageSource || (before.image?.id || '') !== (after.image?.id || '')) {
      out.push(t('new.change.image', { value: t(`new.change.image.${after.imageSource}`) }));
    }
    if (pricesOf(before) !== pricesOf(after)) {
      out.push(t('new.change.price', { value: priceText(after) || t('new.change.empty') }));
    }
    if ((before.brandKitId || '') !== (after.brandKitId || '')) {
      const kit = kits.find((k) => k.id === after.brandKitId);
      out.push(t('new.change.kit', { value: kit ? kit.name : t('new.noKit') }));
    }
    return out;
  }
  const briefNote = store.load('briefNote', { text: '' });
  if (briefNote.text) {
    top.append(note(briefNote.text, 'info'));
    store.clear('briefNote');
  }
  productSelect.addEventListener('change', () => {
    switchProduct(() => { draft.productId = productSelect.value; });
  });

  function drawProduct() {
    const radios = ['catalog', 'new'].map((mode) => {
      const id = uid('pm');
      const r = h('input', { type: 'radio', name: modeName, id, value: mode, checked: draft.productMode === mode });
      r.addEventListener('change', () => {
        switchProduct(() => { draft.productMode = mode; });
      });
      return h('span', { class: 'radio' }, r, h('label', { for: id }, t(`new.product.${mode}`)));
    });
    const p = product();
    const prices = h('div', { class: 'cols' },
      field(t('new.price'), price, t('new.priceHint')),
      field(t('new.regularPrice'), regularPrice, t('new.regularPriceHint')),
      field(t('new.currency'), currency, t('new.currencyHint')),
      field(t('new.pricePeriod'), pricePeriod, t('new.pricePeriodHint')),
      field(t('new.priceMinTerm'), priceMinTerm, t('new.priceMinTermHint')));
    replace(
      productBox,
      h('div', { class: 'radios', role: 'radiogroup', 'aria-label': t('new.product.legend') }, radios),
      draft.productMode === 'catalog'
        ? [
            products.length
              ? field(t('new.product.choose'), productSelect, p ? h('span', { dir: 'auto' }, excerpt(p.description, 160)) : null)
              : h('p', { class: 'hint' }, t('new.product.empty')),
            p ? [prices, h('p', { class: 'hint' }, t('new.catalogPriceHint'))] : null,
            h('div', { class: 'field' }, h('label', { for: importInput.id }, t('import.label')), importInput,
              h('div', { class: 'hint' }, t('import.hint'))),
            importSlot,
          ]
        : [
            field(t('new.product.name'), name, null, counter(name, LIMITS.name).el),
            field(t('new.product.description'), description),
            field(t('new.product.points'), points, t('new.product.pointsHint')),
            prices,
          ],
    );
  }

  // --- offer and language ------------------------------------------------------------------
  const offer = bind(h('textarea', { rows: 2, maxlength: LIMITS.offer }), draft, 'offer', persist);
  const cta = bind(h('input', { type: 'text', maxlength: LIMITS.cta }), draft, 'cta', persist);
  const languages = LANGUAGES.includes(draft.language) ? LANGUAGES : [...LANGUAGES, draft.language];
  const language = h('select', {}, languages.map((c) => h('option', { value: c }, `${languageName(c)} (${c})`)));
  bind(language, draft, 'language', persist);
  // Brief fields are typed in the ad's language: right to left for Hebrew, Arabic, Persian, Urdu.
  const briefFields = [name, description, points, offer, cta];
  const setDir = () => { for (const el of briefFields) el.dir = textDir(draft.language); };
  setDir();
  language.addEventListener('change', () => { draft.language = language.value; persist(); setDir(); });

  // --- formats, image, brand kit, variants, campaign ---------------------------------------
  const selected = new Set(draft.formats);
  const kitSelect = h('select', {}, h('option', { value: '' }, t('new.noKit')), kits.map((k) => h('option', { value: k.id, dir: 'auto' }, k.name)));
  kitSelect.value = draft.brandKitId;
  const logoOk = () => Boolean(kits.find((k) => k.id === draft.brandKitId && k.logo_asset_id));
  const picker = formatPicker(formats, selected, () => {
    draft.formats = [...selected];
    persist();
    updateSummary();
  }, { logoOk });
  kitSelect.addEventListener('change', () => {
    draft.brandKitId = kitSelect.value;
    if (!logoOk()) for (const f of formats) if (f.kind === 'logo') selected.delete(f.id);
    draft.formats = [...selected];
    persist();
    picker.refresh();
  });
  const extra = bind(h('input', { type: 'text', placeholder: '1:1, 300x250' }), draft, 'extraFormats', persist);
  const images = imagePicker(draft, persist, product, caps);
  const imageDescription = bind(h('textarea', { rows: 2, maxlength: 2000 }), draft, 'imageDescription', persist);
  // Before the upload control: the description becomes the photo's caption when it is uploaded.
  images.el.insertBefore(field(t('image.description'), imageDescription, t('image.descriptionHint')), images.el.children[1]);
  const maxVariants = Number(caps.max_variants) || 12;
  const variants = h('input', { type: 'number', min: 1, max: maxVariants, step: 1, inputmode: 'numeric' });
  bind(variants, draft, 'variants', persist, (v) => Number(v));
  const campaignSelect = h('select', {}, h('option', { value: '' }, t('new.newCampaign')),
    campaigns.map((c) => h('option', { value: c.id, dir: 'auto' }, c.name)));
  campaignSelect.value = draft.campaignId;
  const campaignName = bind(h('input', { type: 'text', maxlength: 200 }), draft, 'campaignName', persist);
  const campaignNameField = field(t('new.campaignName'), campaignName, t('new.campaignNameHint'));
  campaignSelect.addEventListener('change', () => {
    draft.campaignId = campaignSelect.value;
    persist();
    campaignNameField.hidden = Boolean(draft.campaignId);
  });
  campaignNameField.hidden = Boolean(draft.campaignId);

  const summary = h('p', { class: 'summary', 'aria-live': 'polite' });
  const allFormats = () => [...selected, ...draft.extraFormats.split(',').map((s) => s.trim()).filter(Boolean)];
  function updateSummary() {
    const n = allFormats().length;
    summary.textContent = t('new.summary', { images: n * (Number(draft.variants) || 0), variants: draft.variants || 0, formats: n });
  }
  variants.addEventListener('input', updateSummary);
  extra.addEventListener('input', updateSummary);
  // --- look: styles, image format, seed, and a preview of each style ----------------------
  const styleNames = Array.isArray(caps.styles) ? caps.styles : [];
  draft.styles = (draft.styles || []).filter((s) => styleNames.includes(s));
  const styleBoxes = styleNames.map((name) => {
    const box = h('input', { type: 'checkbox', id: uid('st'), value: name, checked: draft.styles.includes(name) });
    box.addEventListener('change', () => {
      // Kept in the server's order, which is the order variants take them.
      draft.styles = styleNames.filter((n) => styleBoxes.find((s) => s.name === n).box.checked);
      persist();
    });
    return { name, box, el: h('div', { class: 'check' }, box, h('label', { for: box.id }, styleName(name))) };
  });
  const imageFormats = Array.isArray(caps.image_formats) && caps.image_formats.length ? caps.image_formats : ['jpeg'];
  if (!imageFormats.includes(draft.imageFormat)) draft.imageFormat = imageFormats[0];
  const imageFormat = h('select', {}, imageFormats.map((f) => h('option', { value: f }, f.toUpperCase())));
  bind(imageFormat, draft, 'imageFormat', persist);
  const seed = bind(h('input', { type: 'text', inputmode: 'numeric', autocomplete: 'off', maxlength: 10 }), draft, 'seed', persist);
  const previewButton = h('button', { type: 'button', class: 'preview-styles' }, t('preview.button'));
  const previewError = h('div', { class: 'slot' });
  const previewBox = h('div', { class: 'slot style-previews', 'aria-live': 'polite' });
  const lookFieldset = h('fieldset', { class: 'look' }, h('legend', {}, t('preview.legend')),
    styleBoxes.length
      ? h('fieldset', { class: 'styles' }, h('legend', {}, t('preview.styles')),
          h('p', { class: 'hint' }, t('preview.stylesHint')),
          h('div', { class: 'checks' }, styleBoxes.map((s) => s.el)))
      : null,
    h('div', { class: 'cols' },
      field(t('preview.imageFormat'), imageFormat, t('preview.imageFormatHint')),
      field(t('preview.seed'), seed, t('preview.seedHint'))),
    h('div', { class: 'row' }, previewButton, h('span', { class: 'hint' }, t('preview.buttonHint'))),
    previewError,
    previewBox);

  const submit = h('button', { type: 'submit', class: 'primary big' }, t('new.generate'));
  const formError = h('div', { class: 'slot' });

  const form = h(
    'form',
    { class: 'brief', novalidate: true },
    formError,
    h('fieldset', {}, h('legend', {}, t('new.product.legend')), productBox),
    h('fieldset', {}, h('legend', {}, t('new.offerLegend')),
      field(t('new.offer'), offer, t('new.offerHint'), counter(offer, LIMITS.offer).el),
      product() && (product().offers || []).length > 1
        ? note(t('new.alsoOffers', { offers: product().offers.slice(1).join(' · ') }), 'info')
        : null,
      h('div', { class: 'cols' }, field(t('new.cta'), cta, t('new.ctaHint')), field(t('new.language'), language))),
    h('fieldset', {}, h('legend', {}, t('formats.legend')), picker.el,
      field(t('formats.extra'), extra, t('formats.extraHint'))),
    images.el,
    h('fieldset', {}, h('legend', {}, t('new.settingsLegend')),
      h('div', { class: 'cols' },
        field(t('new.brandKit'), kitSelect, null, h('a', { href: '#/brand-kits', class: 'hint' }, t('new.manageKits'))),
        field(t('new.variants'), variants, t('new.variantsHint', { max: maxVariants })),
        field(t('new.campaign'), campaignSelect)),
      campaignNameField),
    lookFieldset,
    h('div', { class: 'submit-row' }, summary, submit),
  );
  drawProduct();
  if (!ctx.can('edit')) {
    // Reviewers and viewers may look at the form but not generate (the server refuses it too).
    submit.disabled = true;
    previewButton.disabled = true;
    formError.append(note(t('perm.readOnly', { role: ctx.roleName() })));
  }
  updateSummary();

  function validate() {
    const problems = [];
    for (const c of [name, productSelect, variants, extra, price, regularPrice, currency, pricePeriod, priceMinTerm, seed]) setFieldError(c, '');
    if (draft.productMode === 'new' && !draft.name.trim()) problems.push([name, t('new.err.name')]);
    if (draft.productMode === 'new' || product()) {
      // The server would refuse these too; said here, beside the field, before anything is sent.
      const p = amount(draft.price);
      const r = amount(draft.regularPrice);
      if (typed(draft.price) && Number.isNaN(p)) problems.push([price, t('new.err.price')]);
      if (typed(draft.regularPrice) && Number.isNaN(r)) problems.push([regularPrice, t('new.err.price')]);
      else if (typed(draft.regularPrice) && !typed(draft.price)) problems.push([price, t('new.err.priceForRegular')]);
      else if (!Number.isNaN(r) && !Number.isNaN(p) && r <= p) problems.push([regularPrice, t('new.err.regularPrice')]);
      if (draft.pricePeriod && !typed(draft.price)) problems.push([pricePeriod, t('new.err.periodForPrice')]);
      if (typed(draft.priceMinTerm) && Number.isNaN(minTerm(draft.priceMinTerm))) {
        problems.push([priceMinTerm, t('new.err.minTerm')]);
      } else if (typed(draft.priceMinTerm) && !draft.pricePeriod) {
        problems.push([priceMinTerm, t('new.err.termForPeriod')]);
      }
      if ((typed(draft.price) || typed(draft.regularPrice)) && !/^[A-Z]{3}$/.test(draft.currency || '')) {
        problems.push([currency, t('new.err.currency')]);
      }
    }
    if (draft.productMode === 'catalog' && !draft.productId) problems.push([productSelect, t('new.err.product')]);
    const v = Number(draft.variants);
    if (!Number.isInteger(v) || v < 1 || v > maxVariants) problems.push([variants, t('new.err.variants', { max: maxVariants })]);
    if (!allFormats().length) problems.push([extra, t('new.err.formats')]);
    if (typed(draft.seed) && !(/^\d{1,10}$/.test(String(draft.seed).trim()) && Number(draft.seed) <= MAX_SEED)) {
      problems.push([seed, t('preview.err.seed', { max: MAX_SEED })]);
    }
    if ((draft.imageSource === 'upload' || draft.imageSource === 'bank') && !draft.image) {
      problems.push([null, t('new.err.image')]);
    }
    for (const [control, msg] of problems) if (control) setFieldError(control, msg);
    return problems;
  }

  function body() {
    const brief = {};
    if (draft.productMode === 'new') {
      brief.product_name = draft.name.trim();
      if (draft.description.trim()) brief.description = draft.description.trim();
      const pts = draft.points.split('\n').map((s) => s.trim()).filter(Boolean);
      if (pts.length) brief.selling_points = pts;
      if (typed(draft.price)) brief.price = priceOf(draft, draft.price, { withTerm: true });
      if (typed(draft.regularPrice)) brief.regular_price = priceOf(draft, draft.regularPrice);
    }
    const p = product();
    if (p && pricesOf(draft) !== pricesOf(priceFields(p))) {
      // Changed for this brief: sent, and an emptied field as null, which drops the
      // catalogue's price (what the form shows is what is made).
      brief.price = typed(draft.price) ? priceOf(draft, draft.price, { withTerm: true }) : null;
      brief.regular_price = typed(draft.regularPrice) ? priceOf(draft, draft.regularPrice) : null;
    }
    // A catalogue brief sends its offer even when emptied: what the form shows is what is made.
    if (draft.offer.trim() || draft.productMode === 'catalog') brief.offer = draft.offer.trim();
    if (draft.cta.trim()) brief.cta = draft.cta.trim();
    brief.language = draft.language;
    const out = { brief, formats: allFormats(), variants: Number(draft.variants) };
    if (draft.productMode === 'catalog') out.product_id = draft.productId;
    if ((draft.imageSource === 'upload' || draft.imageSource === 'bank') && draft.image) {
      // A bank picture is named by bank and id (the server copies it into the set); an upload
      // is already an asset of the workspace.
      if (draft.image.bank) {
        out.image_source = 'bank';
        out.bank_image = { bank: draft.image.bank, id: draft.image.id };
      } else {
        out.image_asset_id = draft.image.id;
      }
    }
    if (draft.imageSource === 'generate') {
      out.image_source = 'generate';
      if (draft.imageDescription.trim()) out.image_description = draft.imageDescription.trim();
    }
    if (draft.sceneBackground && draft.imageSource !== 'none') {
      out.background = 'scene';
      if ((draft.sceneText || '').trim()) out.scene = draft.sceneText.trim();
    }
    if (draft.brandKitId) out.brand_kit_id = draft.brandKitId;
    // The look chosen (and previewed): none ticked leaves the styles to the workspace's defaults.
    if (draft.styles.length) out.styles = [...draft.styles];
    out.image_format = draft.imageFormat;
    if (typed(draft.seed)) out.seed = Number(String(draft.seed).trim());
    if (draft.campaignId) out.campaign_id = draft.campaignId;
    else if (draft.campaignName.trim()) out.campaign_name = draft.campaignName.trim();
    return out;
  }

  // --- style preview ------------------------------------------------------------------------
  /** What a preview of ``payload`` depends on: the request without the campaign (which
   * changes no image). */
  const sigOf = ({ campaign_id: _c, campaign_name: _n, ...rest }) => JSON.stringify(rest);
  const previewSig = () => sigOf(body());
  let shownSig = null; // the brief of the previews on screen, or null
  let pending = null; // the preview being made: { sig, ctl }, or null
  function showStale() {
    shownSig = null;
    previewBox.classList.add('stale');
    previewBox.replaceChildren(note(t('preview.stale'), 'info'));
  }
  function previewStale() {
    // The brief changed: a preview being made is of the older brief, so it is not waited
    // for, and images on screen go with a note saying why, so a look of an older brief is
    // never taken for this one.
    if (pending === null && shownSig === null) return;
    const sig = previewSig();
    if (pending !== null && pending.sig !== sig) pending.ctl.abort();
    else if (pending === null && shownSig !== sig) showStale();
  }
  onDraftChange = previewStale;
  form.addEventListener('input', previewStale);
  form.addEventListener('change', previewStale);

  function showPreviews(res) {
    previewBox.classList.remove('stale');
    replace(previewBox,
      h('p', { class: 'hint' }, t('preview.shown', {
        format: formatLabel(res.format, formats),
        size: ltr(`${res.width}×${res.height}`),
      })),
      sayWarnings(res.warnings, res.warning_notes).map((w) => note(w, 'warn')),
      h('ul', { class: 'grid style-preview-list' }, res.images.map((img) => h('li', { class: 'style-preview', dataset: { style: img.style } },
        h('figure', {},
          aspectBox(img.width, img.height, h('img', { src: img.url, alt: t('preview.alt', { style: styleName(img.style) }), loading: 'lazy' })),
          h('figcaption', {}, styleName(img.style)))))));
  }

  previewButton.addEventListener('click', async () => {
    if (pending !== null) return;
    previewError.replaceChildren();
    const problems = validate();
    if (problems.length) {
      showError(previewError, { title: t('preview.err.title'), detail: problems.map((p) => p[1]).join(' ') });
      return;
    }
    const payload = body();
    pending = { sig: sigOf(payload), ctl: new AbortController() };
    const done = busyButton(previewButton, t('preview.loading'));
    try {
      const res = await api.post('/generate/preview', payload, { signal: pending.ctl.signal });
      shownSig = pending.sig;
      showPreviews(res);
    } catch (err) {
      if (err && err.name === 'AbortError') {
        showStale(); // the brief changed while its images were made
      } else {
        shownSig = null;
        previewBox.replaceChildren();
        showError(previewError, err, [h('button', { type: 'button', onclick: () => previewButton.click() }, t('action.retry'))]);
      }
    } finally {
      pending = null;
      done(ctx.can('edit'));
    }
  });

  let busy = false;
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (busy) return; // a double click sends one request (and the key makes a retry safe too)
    formError.replaceChildren();
    const problems = validate();
    if (problems.length) {
      showError(formError, { title: t('new.err.title'), detail: problems.map((p) => p[1]).join(' ') });
      return;
    }
    busy = true;
    const done = busyButton(submit, t('new.sending'));
    try {
      // Same brief again (a retry after a dropped connection) -> same key -> the same task.
      const payload = body();
      const sig = JSON.stringify(payload);
      if (draft.idemSig !== sig) {
        draft.idemKey = store.newKey();
        draft.idemSig = sig;
        persist();
      }
      const task = await api.call('POST', '/generate', { json: payload, headers: { 'Idempotency-Key': draft.idemKey } });
      draft.idemSig = ''; // pressing Generate again later is a deliberate new set
      persist();
      ctx.navigate(`#/task/${task.id}`);
    } catch (err) {
      showError(formError, err, [h('button', { type: 'button', onclick: () => form.requestSubmit() }, t('action.retry'))]);
    } finally {
      busy = false;
      done();
    }
  });
  main.append(form);
  return null;
}
