// People of the workspace, for admins: invite with a role (a link shown once), change a role,
// remove someone, withdraw an invitation. Every change is in the server's audit log.
import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { errorBox, field, formatDate, note, setFieldError, showError } from '../ui.js';

const ROLES = ['admin', 'editor', 'reviewer', 'viewer'];

function roleSelect(value, label) {
  const select = h('select', { 'aria-label': label },
    ROLES.map((r) => h('option', { value: r, title: t(`role.help.${r}`) }, t(`role.${r}`))));
  select.value = value;
  return select;
}

export default async function team(main, route, ctx) {
  const status = h('div', { class: 'slot', 'aria-live': 'polite' });
  const people = h('div');
  const pending = h('div');
  const inviteBox = h('div', { class: 'slot' });
  main.append(
    h('h1', {}, t('team.title')),
    h('p', { class: 'hint' }, t('team.intro')),
    status,
  );

  async function load() {
    let data;
    try {
      data = await api.get('/users');
    } catch (err) {
      replace(people, errorBox(err));
      return;
    }
    const me = ctx.state.me || {};
    const rows = data.users.map((u) => {
      const select = roleSelect(u.role, t('team.roleOf', { email: u.email }));
      select.addEventListener('change', async () => {
        try {
          await api.call('PATCH', `/users/${encodeURIComponent(u.id)}`, { json: { role: select.value } });
          replace(status, note(t('team.roleChanged', { email: u.email, role: t(`role.${select.value}`) }), 'ok'));
          load();
        } catch (err) {
          select.value = u.role;
          showError(status, err);
        }
      });
      const remove = h('button', {
        type: 'button',
        class: 'danger',
        'aria-label': t('team.removeOf', { email: u.email }),
        onclick: async () => {
          if (!window.confirm(t('team.confirmRemove', { email: u.email }))) return;
          try {
            await api.del(`/users/${encodeURIComponent(u.id)}`);
            replace(status, note(t('team.removed', { email: u.email }), 'ok'));
            load();
          } catch (err) {
            showError(status, err);
          }
        },
      }, t('team.remove'));
      return h('tr', { dataset: { email: u.email } },
        h('td', {}, u.name || '—', u.id === me.user_id ? h('span', { class: 'hint' }, ` ${t('team.you')}`) : null),
        h('td', {}, h('bdi', {}, u.email)),
        h('td', {}, select),
        h('td', {}, remove));
    });
    replace(people, h('h2', {}, t('team.people')), rows.length
      ? h('table', { class: 'team' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('team.name')), h('th', { scope: 'col' }, t('team.email')),
          h('th', { scope: 'col' }, t('team.role')), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('team.remove'))))),
        h('tbody', {}, rows))
      : h('p', { class: 'hint' }, t('team.none')));
    replace(pending, data.invitations.length ? [
      h('h2', {}, t('team.pending')),
      h('ul', { class: 'pending' }, data.invitations.map((i) => h('li', {},
        t('team.pendingLine', { email: i.email, role: t(`role.${i.role}`), until: formatDate(i.expires_at) }), ' ',
        h('button', {
          type: 'button',
          class: 'link',
          'aria-label': t('team.cancelOf', { email: i.email }),
          onclick: async () => {
            try {
              await api.del(`/invitations/${encodeURIComponent(i.id)}`);
              load();
            } catch (err) {
              showError(status, err);
            }
          },
        }, t('team.cancel'))))),
    ] : null);
  }

  const email = h('input', { type: 'email', name: 'invite-email', autocomplete: 'off', required: true });
  const role = roleSelect('editor', t('team.role'));
  role.removeAttribute('aria-label');
  const submit = h('button', { type: 'submit', class: 'primary' }, t('team.inviteSubmit'));
  const form = h('form', { class: 'card', novalidate: true },
    h('h2', {}, t('team.invite')),
    field(t('team.email'), email),
    field(t('team.role'), role),
    h('div', { class: 'row' }, submit),
    inviteBox);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    setFieldError(email, '');
    if (!email.value.trim()) {
      setFieldError(email, t('team.inviteEmpty'));
      email.focus();
      return;
    }
    submit.disabled = true;
    try {
      const inv = await api.post('/invitations', { email: email.value.trim(), role: role.value });
      const link = new URL(inv.link, location.origin).href;
      const out = h('input', { type: 'text', readonly: true, value: link, class: 'invite-link', 'aria-label': t('team.invited', { email: inv.email }) });
      replace(inviteBox, note(t('team.invited', { email: inv.email }), 'ok'), out,
        h('button', {
          type: 'button',
          onclick: async () => {
            try {
              await navigator.clipboard.writeText(link);
              ctx.announce(t('team.copied'));
            } catch {
              out.select();
            }
          },
        }, t('team.copyLink')));
      email.value = '';
      out.focus();
      out.select();
      load();
    } catch (err) {
      if (err.status === 422 || err.status === 409) setFieldError(email, err.detail);
      showError(inviteBox, err);
    } finally {
      submit.disabled = false;
    }
  });
  // API keys are for machines (CI, scripts): issued here, shown once, revoked here.
  const keysBox = h('div');
  const keyName = h('input', { type: 'text', name: 'key-name', maxlength: 200, autocomplete: 'off' });
  const keyOut = h('div', { class: 'slot' });
  const keyForm = h('form', { class: 'card', novalidate: true },
    h('h2', {}, t('keys.issue')), h('p', { class: 'hint' }, t('keys.intro')),
    field(t('keys.name'), keyName), h('div', { class: 'row' }, h('button', { type: 'submit' }, t('keys.issueSubmit'))), keyOut);
  keyForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const made = await api.post('/keys', { name: keyName.value.trim() || 'default' });
      const out = h('input', { type: 'text', readonly: true, value: made.key, class: 'new-key', 'aria-label': t('keys.shownOnce') });
      replace(keyOut, note(t('keys.shownOnce'), 'ok'), out);
      keyName.value = '';
      out.focus();
      out.select();
      loadKeys();
    } catch (err) {
      showError(keyOut, err);
    }
  });
  async function loadKeys() {
    let list;
    try {
      list = await api.get('/keys');
    } catch (err) {
      replace(keysBox, errorBox(err));
      return;
    }
    replace(keysBox, h('h2', {}, t('keys.title')), h('table', { class: 'team keys' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('keys.name')), h('th', { scope: 'col' }, t('keys.prefix')),
        h('th', { scope: 'col' }, t('keys.state')), h('th', { scope: 'col' }, t('keys.created')),
        h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('keys.revoke'))))),
      h('tbody', {}, list.map((k) => h('tr', { dataset: { prefix: k.prefix } },
        h('td', {}, h('bdi', {}, k.name)), h('td', {}, h('code', {}, `adc_${k.prefix}_…`)), h('td', {}, t(`keys.state.${k.state}`)),
        h('td', {}, formatDate(k.created_at)),
        h('td', {}, ['active', 'expiring'].includes(k.state) ? h('button', {
          type: 'button',
          class: 'danger',
          'aria-label': t('keys.revokeOf', { prefix: k.prefix }),
          onclick: async () => {
            if (!window.confirm(t('keys.confirmRevoke', { prefix: k.prefix }))) return;
            try {
              await api.post(`/keys/${encodeURIComponent(k.prefix)}/revoke`, {});
              replace(status, note(t('keys.revoked', { prefix: k.prefix }), 'ok'));
              loadKeys();
            } catch (err) {
              showError(status, err);
            }
          },
        }, t('keys.revoke')) : null))))));
  }
  main.append(h('div', { class: 'split' }, h('div', {}, people, pending), form),
    h('div', { class: 'split' }, keysBox, keyForm));
  await Promise.all([load(), loadKeys()]);
}
