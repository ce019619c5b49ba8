// Sign in: email and password (people), or an API key exchanged for the same session cookie.
// Nothing secret is kept by the page: the session cookie is HttpOnly.
import * as api from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { field, note, setFieldError, showError } from '../ui.js';

// The commands the key's help line names (never translated).
const COMMANDS = { serve: 'adcraft serve', create: 'adcraft tenant create NAME' };

/** A line whose {placeholders} are commands, each shown as code. */
function withCode(text, codes) {
  return text.split(/\{(\w+)\}/).map((part, i) => (i % 2 ? h('code', { dir: 'ltr' }, codes[part] ?? part) : part));
}

function busyWhile(button, work) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  return work().finally(() => {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  });
}

export default function signin(main, route, ctx) {
  const done = (me) => {
    ctx.signedIn(me);
    ctx.announce(t('signin.welcome', { name: me.tenant_name }));
    const next = route.query.get('next');
    ctx.navigate(next && next.startsWith('#/') && !next.startsWith('#/signin') && !next.startsWith('#/join') ? next : '#/new');
  };

  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true, spellcheck: 'false' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const slot = h('div', { class: 'slot' });
  const button = h('button', { type: 'submit', class: 'primary' }, t('signin.submit'));
  const form = h(
    'form',
    { class: 'card narrow', novalidate: true },
    h('h1', { id: 'signin-title' }, t('signin.title')),
    h('p', {}, t('signin.intro')),
    route.query.get('expired') ? note(t('signin.expired'), 'warn') : null,
    slot,
    field(t('signin.email'), email),
    field(t('signin.password'), password),
    h('div', { class: 'row' }, button),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    setFieldError(email, '');
    setFieldError(password, '');
    slot.replaceChildren();
    if (!email.value.trim() || !password.value) {
      const empty = !email.value.trim() ? email : password;
      setFieldError(empty, t('signin.needBoth'));
      empty.focus();
      return;
    }
    await busyWhile(button, async () => {
      try {
        done(await api.post('/auth/signin', { email: email.value.trim(), password: password.value }, { auth: false }));
      } catch (err) {
        if (err.status === 401) {
          setFieldError(password, t('signin.wrong'));
          showError(slot, { title: t('signin.badTitle'), detail: t('signin.wrong') });
          password.focus();
        } else {
          showError(slot, err);
        }
      }
    });
  });

  const key = h('input', { type: 'password', name: 'api-key', autocomplete: 'off', spellcheck: 'false', required: true });
  const keySlot = h('div', { class: 'slot' });
  const keyButton = h('button', { type: 'submit' }, t('signin.keySubmit'));
  const keyForm = h(
    'form',
    { class: 'card', novalidate: true },
    h('p', { class: 'hint' }, t('signin.keyIntro')),
    keySlot,
    field(t('signin.key'), key, withCode(t('signin.keyHelp'), COMMANDS)),
    h('div', { class: 'row' }, keyButton),
  );
  // Marketers sign in with their email: the key is for whoever sets adcraft up, so its form
  // waits behind a quiet line below (opened, the key field takes the focus).
  const keyBox = h('details', { class: 'signin-key' },
    h('summary', { id: 'signin-key-title' }, t('signin.keyTitle')), keyForm);
  keyBox.addEventListener('toggle', () => { if (keyBox.open) key.focus(); });
  keyForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const value = key.value.trim();
    setFieldError(key, '');
    keySlot.replaceChildren();
    if (!value) {
      setFieldError(key, t('signin.empty'));
      key.focus();
      return;
    }
    await busyWhile(keyButton, async () => {
      try {
        const me = await api.post('/auth/key-session', {}, { key: value });
        key.value = '';
        done(me);
      } catch (err) {
        if (err.status === 401) {
          setFieldError(key, t('signin.bad'));
          showError(keySlot, { title: t('signin.badTitle'), detail: t('signin.bad') });
          key.focus();
        } else {
          showError(keySlot, err);
        }
      }
    });
  });
  // Single sign-on, when the server has a provider: a plain link (the server redirects onward).
  const ssoBox = h('div', { class: 'row' });
  const reason = route.query.get('sso');
  if (reason) slot.append(note(t(`signin.ssoError.${reason}`, {}, t('signin.ssoError.failed')), 'warn'));
  form.append(ssoBox);
  api.get('/auth/sso', { auth: false }).then((sso) => {
    if (!sso.enabled) return;
    ssoBox.append(h('span', { class: 'hint' }, t('signin.or')),
      h('a', { class: 'button', href: `${api.BASE}/auth/sso/start` }, t('signin.sso', { name: sso.name })));
  }).catch(() => { /* no single sign-on offered: the password form is enough */ });
  main.append(form, keyBox);
  email.focus();
}
