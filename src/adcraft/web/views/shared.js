// A review link opened by someone outside the team (#/shared/<token>): the creatives read-only,
// and a comment form under each. No sign-in; the token stays in the URL fragment, which browsers
// never send, and goes to the server in request bodies only. Everything shown is text nodes.
import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import * as store from '../store.js';
import { aspectBox, errorBox, field, formatDate, setFieldError, showError } from '../ui.js';

const NAME_KEY = 'shared.name';

function closed(main, err) {
  // 410: the link expired; 404 (or a malformed token, 422): unknown or revoked.
  const expired = err.status === 410;
  const known = expired || err.status === 404 || err.status === 422;
  main.append(
    h('h1', {}, known ? t(expired ? 'shared.expiredTitle' : 'shared.goneTitle') : t('title.shared')),
    known
      ? h('div', { class: 'msg msg-error', role: 'alert' }, h('p', {}, t(expired ? 'shared.expired' : 'shared.gone')))
      : errorBox(err, [h('button', { type: 'button', onclick: () => location.reload() }, t('action.retry'))]),
  );
}

function commentItem(c) {
  return h('li', {}, h('strong', { dir: 'auto' }, c.name), ' ', h('span', { class: 'hint' }, formatDate(c.created_at)), h('p', { class: 'comment-text' }, c.text));
}

export default async function shared(main, route) {
  const token = route.args[0] || '';
  let page;
  try {
    page = await api.post('/shared/open', { token }, { auth: false });
  } catch (err) {
    closed(main, err);
    return;
  }
  const saved = store.load(NAME_KEY, { name: '' });
  const name = h('input', { type: 'text', name: 'name', autocomplete: 'name', maxlength: page.max_name, value: saved.name, required: true });
  const nameField = field(t('shared.name'), name, t('shared.nameHint'));
  const list = h('div', { class: 'shared-list' });

  function card(c) {
    const comments = h('ul', { class: 'list comments', 'aria-live': 'polite' }, c.comments.map(commentItem));
    const text = h('textarea', { name: 'comment', rows: 3, maxlength: page.max_comment, required: true });
    const slot = h('div', { class: 'slot' });
    const send = h('button', { type: 'submit' }, t('shared.send'));
    const headline = c.copy.headline || '';
    const form = h('form', { class: 'shared-comment', novalidate: true },
      field(t('shared.comment'), text, t('shared.commentHint', { n: page.max_comment })), slot, h('div', { class: 'row' }, send));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      slot.replaceChildren();
      setFieldError(name, '');
      setFieldError(text, '');
      if (!name.value.trim()) {
        setFieldError(name, t('shared.needName'));
        name.focus();
        return;
      }
      if (!text.value.trim()) {
        setFieldError(text, t('shared.needText'));
        text.focus();
        return;
      }
      send.disabled = true;
      try {
        const made = await api.post('/shared/comments', { token, creative_id: c.id, name: name.value.trim(), text: text.value }, { auth: false });
        store.save(NAME_KEY, { name: made.name });
        comments.append(commentItem(made));
        text.value = '';
        slot.replaceChildren(h('p', { class: 'msg msg-ok', role: 'status' }, t('shared.sent')));
      } catch (err) {
        showError(slot, err.status === 410 ? { title: t('shared.expiredTitle'), detail: t('shared.expired') } : err);
      } finally {
        send.disabled = false;
      }
    });
    return h('article', { class: 'card shared-creative', 'aria-label': `${headline} ${c.width}×${c.height}` },
      aspectBox(c.width, c.height, h('img', { src: c.image_url, alt: `${headline} ${c.width}×${c.height}`, loading: 'lazy' })),
      h('p', { class: 'hint' }, `${c.platform} · ${c.width}×${c.height}`),
      h('dl', { class: 'copy' }, Object.entries(c.copy).map(([k, v]) => [h('dt', {}, t(`field.${k}`, {}, k)), h('dd', {}, v)])),
      h('h3', {}, t('shared.comments')),
      comments,
      form);
  }

  replace(list, page.creatives.length ? page.creatives.map(card) : h('p', { class: 'hint' }, t('shared.empty')));
  main.append(
    h('h1', {}, t('shared.title', { name: page.title })),
    h('p', { class: 'hint' }, t('shared.intro', { date: formatDate(page.expires_at) })),
    h('div', { class: 'card narrow' }, nameField),
    list,
  );
}
