// The image bank: pictures found by meaning (a query in any language), picked for the brief,
// added with a caption (the quality gate says why it refuses one), re-captioned and deleted.
// The shared demo bank is shown beside the tenant's own pictures, read-only.
import * as api from '../api.js';
import { h, replace, uid } from '../dom.js';
import { t } from '../i18n.js';
import * as store from '../store.js';
import { aspectBox, errorBox, field, note, setFieldError, showError } from '../ui.js';
import { findPictures, scoreText, useForBrief } from './bankfind.js';
import { looksLikeImage } from './imagepick.js';

/** PATCH is only used here; the API module's shortcuts cover the other verbs. */
const patch = (path, json) => api.call('PATCH', path, { json });
const imagePath = (image) => `/bank/images/${encodeURIComponent(image.id)}`;
const PAGE = 48;

export default async function bank(main, route, ctx) {
  const saved = store.load('bank', { q: '', caption: '', keywords: '' });
  const q = h('input', { type: 'search', id: 'bank-q', value: saved.q, placeholder: t('bank.searchPlaceholder'), autocomplete: 'off' });
  const status = h('div', { class: 'slot', 'aria-live': 'polite' });
  const results = h('div', { class: 'bank-results' });
  const view = main;
  let loads = 0;

  /** One picture: thumbnail, caption, score when searched, and what may be done with it. */
  function card(item, threshold) {
    const { image } = item;
    const captionId = uid('cap');
    const caption = h('p', { class: 'bank-caption', id: captionId }, image.caption);
    const slot = h('div', { class: 'slot', 'aria-live': 'polite' });
    const actions = h('div', { class: 'row' });
    const li = h('li', { class: 'bank-card', dataset: { id: image.id, bank: image.bank } });
    const use = h('button', { type: 'button', class: 'primary', 'aria-describedby': captionId }, t('bank.use'));
    use.addEventListener('click', () => {
      useForBrief(image);
      ctx.navigate('#/new');
    });
    const drawActions = () => {
      replace(actions, use, image.editable ? [
        h('button', { type: 'button', 'aria-describedby': captionId, onclick: edit }, t('bank.edit')),
        h('button', { type: 'button', class: 'danger', 'aria-describedby': captionId, onclick: confirmDelete }, t('action.delete')),
      ] : null);
    };

    function edit() {
      const text = h('textarea', { rows: 3, maxlength: 2000 });
      text.value = image.caption;
      const save = h('button', { type: 'submit', class: 'primary' }, t('bank.saveCaption'));
      const form = h('form', { class: 'bank-edit', novalidate: true },
        field(t('bank.caption'), text),
        h('div', { class: 'row' }, save, h('button', { type: 'button', onclick: () => { form.remove(); caption.hidden = false; drawActions(); } }, t('bank.cancel'))));
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        setFieldError(text, '');
        if (!text.value.trim()) {
          setFieldError(text, t('bank.captionEmpty'));
          text.focus();
          return;
        }
        save.disabled = true;
        try {
          const fresh = await patch(imagePath(image), { caption: text.value.trim() });
          Object.assign(image, fresh);
          caption.textContent = image.caption;
          form.remove();
          caption.hidden = false;
          drawActions();
          replace(slot, note(t('bank.captionSaved'), 'ok'));
        } catch (err) {
          showError(slot, err);
        } finally {
          save.disabled = false;
        }
      });
      caption.hidden = true;
      replace(actions);
      slot.replaceChildren();
      caption.after(form);
      text.focus();
    }

    function confirmDelete() {
      const yes = h('button', { type: 'button', class: 'danger' }, t('bank.deleteYes'));
      const no = h('button', { type: 'button', onclick: () => { drawActions(); slot.replaceChildren(); } }, t('bank.keep'));
      yes.addEventListener('click', async () => {
        yes.disabled = true;
        try {
          await api.del(imagePath(image));
          li.remove();
          replace(status, note(t('bank.deleted', { caption: image.caption }), 'ok'));
        } catch (err) {
          yes.disabled = false;
          showError(slot, err);
        }
      });
      replace(actions, h('span', {}, t('bank.deleteAsk')), yes, no);
      no.focus();
    }

    drawActions();
    const score = scoreText(item, threshold);
    replace(li,
      h('figure', {},
        aspectBox(image.width || 1, image.height || 1, h('img', { src: image.url, alt: image.caption, loading: 'lazy' })),
        h('figcaption', {},
          caption,
          h('span', { class: 'hint' }, `${image.width}×${image.height}`),
          image.bank === 'demo' ? h('span', { class: 'badge' }, t('bank.demoBadge')) : null,
          score ? h('span', { class: `bank-score${item.matches ? ' ok' : ''}` }, score) : null)),
      actions, slot);
    return li;
  }

  /** A list of cards with a "Show more" button while the bank has more (listing mode). */
  function listing(which, first) {
    const list = h('ul', { class: 'bank-grid big bank-cards', role: 'list' }, first.items.map((image) => card({ image })));
    const headingId = uid('bank-list');
    const heading = h('h3', { id: headingId }, t(which === 'own' ? 'bank.ownTitle' : 'bank.demoTitle', { n: first.total }));
    const more = h('button', { type: 'button', hidden: first.items.length >= first.total, 'aria-describedby': headingId }, t('common.more'));
    let shown = first.items.length;
    more.addEventListener('click', async () => {
      more.disabled = true;
      try {
        const page = await api.get(`/bank/images${api.qs({ bank: which, limit: PAGE, offset: shown })}`);
        list.append(...page.items.map((image) => card({ image })));
        shown += page.items.length;
        more.hidden = shown >= page.total || !page.items.length;
      } catch (err) {
        showError(status, err);
      } finally {
        more.disabled = false;
      }
    });
    return h('section', { class: 'bank-list', 'aria-labelledby': headingId }, heading, list, more);
  }

  async function load() {
    const seq = ++loads;
    const query = q.value.trim();
    store.save('bank', { ...store.load('bank', saved), q: q.value });
    view.removeAttribute('data-loaded');
    try {
      let message = null;
      if (query) {
        const found = await findPictures(query, 48);
        if (seq !== loads) return; // a newer query is on its way: its answer is the one to show
        replace(results, h('ul', { class: 'bank-grid big bank-cards', role: 'list' }, found.items.map((item) => card(item, found.threshold))));
        if (found.note) message = note(found.note, found.items.length ? 'warn' : 'info');
        else if (!found.items.length) message = note(t('bank.noMatchHere'));
        else message = note(t('bank.found', { n: found.items.length }));
      } else {
        // No query: the workspace's pictures, then the shared demo bank, each a page at a time.
        const [own, demo] = await Promise.all([
          api.get(`/bank/images${api.qs({ bank: 'own', limit: PAGE })}`),
          api.get(`/bank/images${api.qs({ bank: 'demo', limit: PAGE })}`).catch((err) => {
            if (err.status === 404) return null; // this server has no demo bank
            throw err;
          }),
        ]);
        if (seq !== loads) return;
        replace(results, listing('own', own), demo && demo.total ? listing('demo', demo) : null);
        if (!own.total) message = note(t('bank.empty'));
      }
      replace(status, message);
      view.dataset.loaded = String(seq);
    } catch (err) {
      if (seq !== loads) return;
      replace(results);
      replace(status, errorBox(err));
      view.dataset.loaded = String(seq);
    }
  }

  // --- adding a picture ------------------------------------------------------------------
  const file = h('input', { type: 'file', accept: 'image/*', required: true });
  const caption = h('textarea', { rows: 2, maxlength: 2000 });
  caption.value = saved.caption;
  const keywords = h('input', { type: 'text', maxlength: 2000, value: saved.keywords });
  const remember = () => store.save('bank', { q: q.value, caption: caption.value, keywords: keywords.value });
  caption.addEventListener('input', remember);
  keywords.addEventListener('input', remember);
  const addSlot = h('div', { class: 'slot', 'aria-live': 'polite' });
  const add = h('button', { type: 'submit', class: 'primary' }, t('bank.add'));
  const form = h('form', { class: 'card bank-add', novalidate: true, 'aria-labelledby': 'bank-add-h' },
    h('h2', { id: 'bank-add-h' }, t('bank.addTitle')),
    field(t('bank.file'), file, t('image.uploadHint')),
    field(t('bank.caption'), caption, t('bank.captionHint')),
    field(t('bank.keywords'), keywords, t('bank.keywordsHint')),
    addSlot,
    h('div', { class: 'row' }, add));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    addSlot.replaceChildren();
    setFieldError(file, '');
    setFieldError(caption, '');
    const picked = file.files && file.files[0];
    if (!picked) {
      setFieldError(file, t('bank.pickFile'));
      file.focus();
      return;
    }
    if (!looksLikeImage(picked)) {
      setFieldError(file, t('image.notImage', { name: picked.name }));
      file.focus();
      return;
    }
    // An empty caption is the server's to refuse: one with a captioner writes it instead.
    const body = new FormData();
    body.append('file', picked, picked.name);
    if (caption.value.trim()) body.append('caption', caption.value.trim());
    if (keywords.value.trim()) body.append('keywords', keywords.value.trim());
    add.disabled = true;
    add.setAttribute('aria-busy', 'true');
    try {
      const image = await api.call('POST', '/bank/images', { form: body });
      file.value = '';
      caption.value = '';
      keywords.value = '';
      remember();
      replace(addSlot, note(t('bank.added', { caption: image.caption }), 'ok'));
      await load();
    } catch (err) {
      // The quality gate's reason (too small, blurred, mostly text) is the error's detail.
      showError(addSlot, err.status === 422 && err.detail ? { title: t('bank.refused'), detail: err.detail } : err);
    } finally {
      add.disabled = false;
      add.removeAttribute('aria-busy');
    }
  });

  let debounce = null;
  q.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = setTimeout(load, 300);
  });
  main.append(
    h('h1', {}, t('bank.title')),
    h('p', { class: 'hint' }, t('bank.intro')),
    h('div', { class: 'split' },
      h('section', { 'aria-labelledby': 'bank-found-h' },
        h('h2', { id: 'bank-found-h', class: 'sr-only' }, t('bank.pictures')),
        h('form', { role: 'search', class: 'row', onsubmit: (ev) => { ev.preventDefault(); clearTimeout(debounce); load(); } },
          h('label', { for: q.id }, t('bank.searchLabel')), q, h('button', { type: 'submit' }, t('bank.search'))),
        status, results),
      form),
  );
  await load();
  return () => clearTimeout(debounce);
}
