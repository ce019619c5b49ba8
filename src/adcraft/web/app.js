// The shell: sign-in state, hash routes (back/forward work), language, banners.
import * as api from './api.js';
import { h, replace } from './dom.js';
import { LANGS, applyStatic, getLang, setLang, t } from './i18n.js';
import { errorBox } from './ui.js';
import signin from './views/signin.js';
import newCreative from './views/new.js';
import taskView from './views/task.js';
import history from './views/history.js';
import brandKits from './views/brandkits.js';
import bank from './views/bank.js';
import analytics from './views/analytics.js';
import experiments from './views/experiments.js';
import settings from './views/settings.js';

const ROUTES = {
  signin: { view: signin, public: true },
  new: { view: newCreative },
  task: { view: taskView },
  campaigns: { view: history },
  'brand-kits': { view: brandKits },
  bank: { view: bank },
  analytics: { view: analytics },
  experiments: { view: experiments },
  settings: { view: settings },
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
    showWho();
  },
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
  if (!entry.public && !api.getKey()) {
    location.replace(`#/signin?next=${encodeURIComponent(location.hash || '#/new')}`);
    return;
  }
  if (!entry.public && !state.me) {
    try {
      ctx.signedIn(await api.get('/me'));
    } catch (err) {
      if (err.status === 401) return; // onUnauthorized moves to sign-in
      replace(main, errorBox(err, [h('button', { type: 'button', onclick: () => render() }, t('action.retry'))]));
      return;
    }
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
  replace(select, Object.entries(LANGS).map(([code, name]) => h('option', { value: code }, name)));
  select.value = getLang();
  select.addEventListener('change', () => {
    setLang(select.value);
    applyStatic(document);
    showWho();
    render(); // views redraw from their saved drafts, so nothing typed is lost
  });
}

api.onUnauthorized(() => {
  api.setKey('');
  state.me = null;
  showWho();
  if (parse().name !== 'signin') {
    location.replace(`#/signin?expired=1&next=${encodeURIComponent(location.hash)}`);
  }
});

document.getElementById('signout').addEventListener('click', () => {
  api.setKey('');
  state.me = null;
  state.formats = null;
  showWho();
  location.hash = '#/signin';
});

window.addEventListener('hashchange', render);
setupLanguage();
applyStatic(document);
render();
