// The image bank: the tenant's product photos, searchable by caption, with new ones added here.
import * as api from '../api.js';
import { bytes, h, replace } from '../dom.js';
import { t } from '../i18n.js';
import * as store from '../store.js';
import { aspectBox, errorBox, field, note } from '../ui.js';
import { looksLikeImage } from './imagepick.js';

export default async function bank(main) {
  const saved = store.load('bank', { q: '', caption: '' });
  const q = h('input', { type: 'search', id: 'bank-q', value: saved.q, placeholder: t('bank.searchPlaceholder') });
  const grid = h('div', { class: 'bank-grid big', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', hidden: true }, t('common.more'));
  let offset = 0;

  async function load(reset) {
    if (reset) offset = 0;
    store.save('bank', { ...saved, q: q.value });
    try {
      const page = await api.get(`/assets${api.qs({ kind: 'image', q: q.value.trim(), limit: 48, offset })}`);
      if (reset) replace(grid);
      if (reset && !page.items.length) grid.append(h('p', { class: 'hint' }, q.value.trim() ? t('bank.noMatch') : t('bank.empty')));
      for (const a of page.items) {
        grid.append(h('figure', { class: 'bank-item' },
          aspectBox(a.width || 1, a.height || 1, h('img', { src: a.url, alt: a.caption || a.filename, loading: 'lazy' })),
          h('figcaption', {}, a.caption || h('span', { class: 'hint' }, t('bank.noCaption')),
            h('span', { class: 'hint' }, ` ${a.width}×${a.height} · ${bytes(a.bytes)}`))));
      }
      offset += page.items.length;
      more.hidden = offset >= page.total;
    } catch (err) {
      replace(grid, errorBox(err));
    }
  }

  const file = h('input', { type: 'file', accept: 'image/*', multiple: true, required: true });
  const caption = h('input', { type: 'text', maxlength: 2000, value: saved.caption });
  caption.addEventListener('input', () => store.save('bank', { ...saved, q: q.value, caption: caption.value }));
  const addSlot = h('div', { class: 'slot', 'aria-live': 'polite' });
  const add = h('button', { type: 'submit', class: 'primary' }, t('bank.add'));
  const form = h('form', { class: 'card', novalidate: true },
    h('h2', {}, t('bank.addTitle')),
    field(t('bank.file'), file, t('image.uploadHint')),
    field(t('bank.caption'), caption, t('bank.captionHint')),
    addSlot,
    h('div', { class: 'row' }, add));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const files = [...(file.files || [])];
    if (!files.length) {
      replace(addSlot, errorBox({ title: t('bank.addFailed'), detail: t('bank.pickFile') }));
      return;
    }
    add.disabled = true;
    const failed = [];
    for (const f of files) {
      if (!looksLikeImage(f)) {
        failed.push(errorBox({ title: t('image.notImageTitle'), detail: t('image.notImage', { name: f.name }) }));
        continue;
      }
      try {
        await api.uploadAsset(f, 'image', caption.value.trim());
      } catch (err) {
        failed.push(errorBox(err));
      }
    }
    add.disabled = false;
    replace(addSlot, failed.length ? failed : note(t('bank.added', { n: files.length }), 'ok'));
    if (!failed.length) {
      file.value = '';
      caption.value = '';
      store.save('bank', { q: q.value, caption: '' });
    }
    load(true);
  });

  let debounce = null;
  q.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => load(true), 250);
  });
  more.addEventListener('click', () => load(false));
  main.append(
    h('h1', {}, t('bank.title')),
    h('p', { class: 'hint' }, t('bank.intro')),
    h('div', { class: 'split' },
      h('div', {},
        h('form', { role: 'search', class: 'row', onsubmit: (ev) => { ev.preventDefault(); load(true); } },
          h('label', { for: q.id }, t('bank.search')), q, h('button', { type: 'submit' }, t('bank.search'))),
        grid, more),
      form),
  );
  await load(true);
  return () => clearTimeout(debounce);
}
