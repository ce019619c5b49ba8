// "Find creatives": search every campaign's creatives by words of the copy, product, language,
// format and review state (GET /creatives?q=…); results link to their set.
import * as api from '../api.js';
import { h, replace, uid } from '../dom.js';
import { t } from '../i18n.js';
import * as store from '../store.js';
import { aspectBox, errorBox } from '../ui.js';

const STATES = ['draft', 'in_review', 'changes_requested', 'approved', 'exported'];

export function creativeSearch() {
  const saved = store.load('creativeSearch', { q: '', product: '', language: '', format: '', state: '' });
  const input = (key, attrs = {}) => h('input', { type: 'text', id: uid(`cs-${key}`), value: saved[key], ...attrs });
  const q = input('q', { type: 'search' });
  const product = input('product');
  const language = input('language', { size: 6, maxlength: 16 });
  const format = input('format', { size: 14, maxlength: 100 });
  const state = h('select', { id: uid('cs-state') }, h('option', { value: '' }, t('find.anyState')),
    STATES.map((s) => h('option', { value: s, selected: saved.state === s }, t(`review.state.${s}`))));
  const results = h('div', { 'aria-live': 'polite' });
  const headingId = uid('find-h');
  const pair = (label, control) => h('span', { class: 'find-field' }, h('label', { for: control.id }, label), ' ', control);

  async function search() {
    const params = { q: q.value.trim(), product: product.value.trim(), language: language.value.trim(), format: format.value.trim(), state: state.value };
    store.save('creativeSearch', params);
    if (!Object.values(params).some(Boolean)) {
      replace(results, h('p', { class: 'hint' }, t('find.needSomething')));
      return;
    }
    replace(results, h('p', { class: 'hint' }, t('common.loading')));
    try {
      const page = await api.get(`/creatives${api.qs({ ...params, limit: 48 })}`);
      replace(results,
        h('p', { class: 'hint', role: 'status' }, t('find.count', { n: page.total })),
        page.items.length ? h('div', { class: 'strip' }, page.items.map((c) => h('a', { href: `#/task/${c.task_id}`, class: 'strip-item found-creative' },
          aspectBox(c.width, c.height, h('img', { src: c.image_url, alt: `${c.copy.headline || ''} ${c.width}×${c.height}`, loading: 'lazy' })),
          h('span', {}, `${c.copy.headline || ''} · ${t(`review.state.${c.review_state}`)}`)))) : null);
    } catch (err) {
      replace(results, errorBox(err));
    }
  }
  const form = h('form', { role: 'search', 'aria-label': t('find.title'), class: 'row find-form', onsubmit: (ev) => { ev.preventDefault(); search(); } },
    pair(t('find.words'), q), pair(t('find.product'), product), pair(t('find.language'), language),
    pair(t('find.format'), format), pair(t('find.state'), state), h('button', { type: 'submit' }, t('find.submit')));
  return h('section', { class: 'find', 'aria-labelledby': headingId }, h('h2', { id: headingId }, t('find.title')), form, results);
}
