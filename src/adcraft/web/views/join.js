// Accept an invitation (#/join/<token>): choose a name and password, then be signed in.
// The token stays in the URL fragment, which browsers never send to a server.
import * as api from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { errorBox, field, setFieldError, showError } from '../ui.js';

const MIN = 10;

export default async function join(main, route, ctx) {
  const token = route.args[0] || '';
  let info;
  try {
    info = await api.post('/auth/invitation', { token }, { auth: false });
  } catch (err) {
    main.append(h('h1', {}, t('title.join')), errorBox(err.status === 404 || err.status === 422 ? { title: t('error.status.404'), detail: t('join.bad') } : err));
    return;
  }
  const name = h('input', { type: 'text', name: 'name', autocomplete: 'name', maxlength: 100 });
  const password = h('input', { type: 'password', name: 'new-password', autocomplete: 'new-password', required: true, minlength: MIN });
  const slot = h('div', { class: 'slot' });
  const button = h('button', { type: 'submit', class: 'primary' }, t('join.submit'));
  const form = h(
    'form',
    { class: 'card narrow', novalidate: true },
    h('h1', {}, t('join.title', { team: info.tenant_name })),
    h('p', {}, t('join.intro', { role: t(`role.${info.role}`), email: info.email })),
    slot,
    field(t('join.name'), name),
    field(t('join.password'), password, t('join.passwordHint')),
    h('div', { class: 'row' }, button),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    setFieldError(password, '');
    slot.replaceChildren();
    if (password.value.length < MIN) {
      setFieldError(password, t('join.short'));
      password.focus();
      return;
    }
    button.disabled = true;
    try {
      const me = await api.post('/auth/accept', { token, name: name.value.trim(), password: password.value }, { auth: false });
      ctx.signedIn(me);
      ctx.announce(t('signin.welcome', { name: me.tenant_name }));
      ctx.navigate('#/new');
    } catch (err) {
      showError(slot, err);
    } finally {
      button.disabled = false;
    }
  });
  main.append(form);
  name.focus();
}
