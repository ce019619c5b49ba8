// Campaign history: search past campaigns, open one to see its sets and best creatives.
import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import * as store from '../store.js';
import { aspectBox, errorBox, formatDate } from '../ui.js';
import { managePanel } from './campaignmanage.js';
import { creativeSearch } from './creativesearch.js';
import { sharePanel } from './sharepanel.js';
import { stepText } from './task.js';

async function campaignPage(main, id, ctx) {
  const top = h('div', { class: 'slot' });
  main.append(h('p', {}, h('a', { href: '#/campaigns' }, t('history.back'))), top);
  try {
    const [camp, tasks, best] = await Promise.all([
      api.get(`/campaigns/${encodeURIComponent(id)}`),
      api.get(`/tasks${api.qs({ campaign: id, limit: 100 })}`),
      api.get(`/creatives${api.qs({ campaign: id, top: 6 })}`),
    ]);
    const heading = h('h1', { class: 'user-text' }, camp.name);
    main.insertBefore(heading, main.firstChild);
    main.append(
      camp.archived_at ? h('p', {}, h('span', { class: 'badge' }, t('manage.archivedBadge'))) : null,
      camp.description ? h('p', { class: 'user-text' }, camp.description) : null,
      h('p', { class: 'hint' }, t('history.counts', { creatives: camp.creatives, tasks: camp.tasks }), ' · ', formatDate(camp.created_at)),
      h('h2', {}, t('history.best')),
      best.items.length
        ? h('div', { class: 'strip' }, best.items.map((c) => h('a', { href: `#/task/${c.task_id}`, class: 'strip-item' },
            aspectBox(c.width, c.height, h('img', { src: c.image_url, alt: `${c.copy.headline || ''} ${c.width}×${c.height}`, loading: 'lazy' })),
            h('span', {}, t('gallery.score', { score: Math.round(c.score) })))))
        : h('p', { class: 'hint' }, t('history.noCreatives')),
      h('h2', {}, t('history.sets')),
      h('ul', { class: 'list' }, tasks.items.filter((x) => x.kind === 'generate').map((x) => h(
        'li',
        {},
        h('a', { href: `#/task/${x.id}` }, formatDate(x.created_at)),
        ' ',
        h('span', { class: `badge ${x.status}` }, t(`status.${x.status}`)),
        ' ',
        h('span', { class: 'hint' }, t('history.setLine', { formats: (x.request.formats || []).join(', '), variants: x.request.variants, n: x.creatives })),
        x.status === 'running' ? h('span', { class: 'hint' }, ` — ${stepText(x.progress.step)}`) : null,
      ))),
      sharePanel({ campaignId: id }, ctx),
      managePanel(camp, heading, ctx),
    );
  } catch (err) {
    replace(top, errorBox(err));
  }
}

export default async function history(main, route, ctx) {
  if (route.args[0]) return campaignPage(main, route.args[0], ctx);
  const saved = store.load('history', { q: '', archived: false });
  const showArchived = h('input', { type: 'checkbox', id: 'history-archived', checked: saved.archived });
  const q = h('input', { type: 'search', id: 'history-q', value: saved.q, placeholder: t('history.searchPlaceholder') });
  const list = h('div', { 'aria-live': 'polite' });
  let offset = 0;
  const more = h('button', { type: 'button', hidden: true }, t('common.more'));

  async function load(reset) {
    if (reset) {
      offset = 0;
      replace(list, h('p', { class: 'hint' }, t('common.loading')));
    }
    store.save('history', { q: q.value, archived: showArchived.checked });
    try {
      const page = await api.get(`/campaigns${api.qs({ q: q.value.trim(), archived: showArchived.checked || '', limit: 30, offset })}`);
      if (reset) replace(list);
      if (!page.items.length && reset) {
        list.append(h('p', { class: 'hint' }, q.value.trim() ? t('history.noMatch') : t(showArchived.checked ? 'manage.noArchived' : 'history.empty')));
      }
      const ul = h('ul', { class: 'list campaigns' }, page.items.map((c) => h(
        'li',
        {},
        h('a', { href: `#/campaigns/${c.id}`, dir: 'auto' }, c.name),
        ' ',
        c.archived_at ? [h('span', { class: 'badge' }, t('manage.archivedBadge')), ' '] : null,
        h('span', { class: 'hint' }, `${formatDate(c.created_at)} · ${t('history.counts', { creatives: c.creatives, tasks: c.tasks })}`),
      )));
      list.append(ul);
      offset += page.items.length;
      more.hidden = offset >= page.total;
    } catch (err) {
      replace(list, errorBox(err));
    }
  }
  let debounce = null;
  q.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => load(true), 250);
  });
  more.addEventListener('click', () => load(false));
  showArchived.addEventListener('change', () => load(true));
  main.append(
    h('h1', {}, t('history.title')),
    h('form', { role: 'search', class: 'row', onsubmit: (ev) => { ev.preventDefault(); load(true); } },
      h('label', { for: q.id }, t('history.search')), q, h('button', { type: 'submit' }, t('history.search'))),
    h('p', { class: 'row' }, showArchived, h('label', { for: showArchived.id }, t('manage.showArchived'))),
    list,
    more,
    creativeSearch(),
  );
  await load(true);
  return () => clearTimeout(debounce);
}
