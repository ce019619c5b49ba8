// The shell: sign-in state (a session cookie; /me says who and what they may do), hash routes
// (back/forward work), language, banners.
import * as api from './api.js';
import { h, replace } from './dom.js';
import { LANGS, applyStatic, getLang, setLang, t } from './i18n.js';
import { errorBox } from './ui.js';
import { can, roleName, setMe } from './perms.js';
import signin from './views/signin.js';
import newCreative from './views/new.js';
import taskView from './views/task.js';
import history from './views/history.js';
import brandKits from './views/brandkits.js';
import bank from './views/bank.js';
import analytics from './views/analytics.js';
import experiments from './views/experiments.js';
import runs from './views/runs.js';
import settings from './views/settings.js';
import team from './views/team.js';
import join from './views/join.js';
import shared from './views/shared.js';

const ROUTES = {
  signin: { view: signin, public: true },
  new: { view: newCreative },
  task: { view: taskView },
  campaigns: { view: history },
  'brand-kits': { view: brandKits },
  bank: { view: bank },
  analytics: { view: analytics },
  experiments: { view: experiments },
  runs: { view: runs },
  settings: { view: settings },
  team: { view: team, perm: 'manage' },
  join: { view: join, public: true },
  shared: { view: shared, public: true },
};

const state = { me: null, formats: null };
let cleanup = null;
let firstRender = true;
let renders = 0;

/** What every view gets: shared state and helpers. */
export const ctx = {
  state,
  navigate(hash) {
    if (location.hash === hash) render();
    else location.hash = hash;
  },
  announce(text) {
    const el = document.getElementById('announce');
    el.textContent = '';
    setTimeout(() => { el.textContent = text; }, 30);
  },
  /** The format list, fetched once per sign-in. */
  async formats() {
    if (!state.formats) state.formats = await api.get('/formats');
    return state.formats;
  },
  signedIn(me) {
    state.me = me;
    state.formats = null;
    setMe(me);
    showWho();
  },
  /** Whether the signed-in role grants a permission (see perms.js). */
  can,
  roleName,
};

function parse() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { name: parts[0] || 'new', args: parts.slice(1), query: new URLSearchParams(query) };
}

function showWho() {
  const signed = Boolean(state.me);
  document.getElementById('nav').hidden = !signed;
  document.getElementById('signout').hidden = !signed;
  const tenant = document.getElementById('tenant');
  tenant.hidden = !signed;
  tenant.textContent = signed ? t('nav.tenant', { name: state.me.tenant_name }) : '';
  const who = document.getElementById('who');
  if (who) {
    who.hidden = !signed;
    who.textContent = signed ? t('nav.who', { name: state.me.user_name || state.me.tenant_name, role: roleName() }) : '';
  }
  // Links to pages the role cannot use are not offered (the server refuses them anyway).
  for (const a of document.querySelectorAll('#nav a[data-perm]')) a.hidden = !signed || !can(a.dataset.perm);
}

function signedOut() {
  state.me = null;
  state.formats = null;
  setMe(null);
  showWho();
}

function banner(content) {
  replace(document.getElementById('banner'), content);
}

async function render() {
  if (cleanup) {
    try { cleanup(); } catch { /* a view's teardown must not block navigation */ }
    cleanup = null;
  }
  banner();
  const route = parse();
  const entry = ROUTES[route.name];
  const main = document.getElementById('main');
  if (!entry) {
    replace(main, h('h1', {}, t('notFound.title')), h('p', {}, h('a', { href: '#/new' }, t('notFound.back'))));
    return;
  }
  if (!entry.public && !state.me) {
    try {
      ctx.signedIn(await api.get('/me', { auth: false }));
    } catch (err) {
      if (err.status === 401) {
        // Not signed in (or the session ended while the tab was closed): no "expired" warning.
        location.replace(`#/signin?next=${encodeURIComponent(location.hash || '#/new')}`);
        return;
      }
      replace(main, errorBox(err, [h('button', { type: 'button', onclick: () => render() }, t('action.retry'))]));
      return;
    }
  }
  if (entry.perm && !can(entry.perm)) {
    replace(main, h('h1', {}, t(`title.${route.name}`)), errorBox({ title: t('error.status.403'), detail: t('perm.readOnly', { role: roleName() }) }));
    return;
  }
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.route === route.name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  // Each render gets its own root: a slow view that finishes after the user moved on writes
  // into a detached element instead of mixing into the next page.
  const root = h('div', { class: 'view' });
  replace(main, root);
  const seq = ++renders;
  document.title = `${t(`title.${route.name}`)} · adcraft`;
  const teardown = (await entry.view(root, route, ctx)) || null;
  if (seq !== renders) {
    if (teardown) teardown();
    return;
  }
  cleanup = teardown;
  if (!firstRender) {
    const heading = main.querySelector('h1');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: true });
    }
  }
  firstRender = false;
}

function setupLanguage() {
  const select = document.getElementById('lang');
  replace(select, Object.entries(LANGS).map(([code, name]) => h('option', { value: code, lang: code }, name)));
  select.value = getLang();
  select.addEventListener('change', () => {
    setLang(select.value);
    applyStatic(document);
    showWho();
    render(); // views redraw from their saved drafts, so nothing typed is lost
  });
}

api.onUnauthorized(() => {
  signedOut();
  if (parse().name !== 'signin') {
    location.replace(`#/signin?expired=1&next=${encodeURIComponent(location.hash)}`);
  }
});

document.getElementById('signout').addEventListener('click', async () => {
  try {
    await api.post('/auth/signout', {}, { auth: false });
  } catch {
    /* the cookie is cleared by the server; a dead server must not keep the page signed in */
  }
  signedOut();
  location.hash = '#/signin';
});

window.addEventListener('hashchange', render);
setupLanguage();
applyStatic(document);
render();
