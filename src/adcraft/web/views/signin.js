// Sign in with an API key; the key lives in sessionStorage (gone when the tab closes).
import * as api from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { field, note, setFieldError, showError } from '../ui.js';

export default function signin(main, route, ctx) {
  const input = h('input', {
    type: 'password',
    name: 'api-key',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
  });
  const slot = h('div', { class: 'slot' });
  const button = h('button', { type: 'submit', class: 'primary' }, t('signin.submit'));
  const form = h(
    'form',
    { class: 'card narrow', novalidate: true },
    h('h1', {}, t('signin.title')),
    h('p', {}, t('signin.intro')),
    route.query.get('expired') ? note(t('signin.expired'), 'warn') : null,
    slot,
    field(t('signin.key'), input, t('signin.keyHint')),
    h('div', { class: 'row' }, button),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const key = input.value.trim();
    setFieldError(input, '');
    slot.replaceChildren();
    if (!key) {
      setFieldError(input, t('signin.empty'));
      input.focus();
      return;
    }
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    try {
      const me = await api.get('/me', { key });
      api.setKey(key);
      ctx.signedIn(me);
      ctx.announce(t('signin.welcome', { name: me.tenant_name }));
      const next = route.query.get('next');
      ctx.navigate(next && next.startsWith('#/') && !next.startsWith('#/signin') ? next : '#/new');
    } catch (err) {
      if (err.status === 401) {
        setFieldError(input, t('signin.bad'));
        showError(slot, { title: t('signin.badTitle'), detail: t('signin.bad') });
        input.focus();
      } else {
        showError(slot, err);
      }
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  });
  main.append(form);
  input.focus();
}
