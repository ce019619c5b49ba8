// Catalogue runs: the workspace's bulk runs (a product feed × formats × variants) with their
// progress, and one run's products with the reason each failed one failed. Pause, resume,
// cancel and retry-failed call the catalog API. The API has no event stream for runs, so the
// page polls while a run can still change and stops once it cannot.
import * as api from '../api.js';
import { h, replace, uid } from '../dom.js';
import { t } from '../i18n.js';
import { dataTable } from '../charts.js';
import { actionButton, errorBox, formatCount, formatDate, note, showError } from '../ui.js';

const BASE = '/catalog/runs';
const POLL_MS = 1500;
const PAGE = 200;
const MAX_ROWS = 5000; // the products endpoint's largest page
const ITEM_STATUSES = ['failed', 'pending', 'running', 'completed', 'cancelled'];

/** Whether a run can still change by itself: workers are on it, or (paused) still finishing
 * the products in hand. Completed and cancelled runs never change without an action. */
function isLive(run) {
  return run.status === 'running' || (run.status === 'paused' && run.progress.running > 0);
}

function when(seconds) {
  return seconds ? formatDate(new Date(seconds * 1000).toISOString()) : '';
}

function runBadge(status) {
  return h('span', { class: `badge run-${status}`, dataset: { status } }, t(`runs.status.${status}`));
}

/** The bar beside its "n of m products done" text, which is what screen readers read. */
function bar(p) {
  return h('progress', { max: Math.max(1, p.total), value: p.done, 'aria-hidden': 'true' });
}

/**
 * Call `tick` every POLL_MS while it answers true; `kick()` starts it again after it stopped
 * (an action made the run live again), `stop()` ends it for good (the page was left).
 */
function poller(tick) {
  let timer = null;
  let over = false;
  const schedule = () => {
    timer = setTimeout(async () => {
      let again = false;
      try {
        again = await tick();
      } finally {
        timer = null;
        if (again && !over) schedule();
      }
    }, POLL_MS);
  };
  return {
    kick() { if (!timer && !over) schedule(); },
    stop() { over = true; clearTimeout(timer); timer = null; },
  };
}

/** A poll that failed: said in words; 4xx ends polling (the run is gone or not ours). */
function pollFailed(slot, err) {
  replace(slot, errorBox(err));
  return !(err.status >= 400 && err.status < 500);
}

async function listPage(root) {
  const slot = h('div', { class: 'slot' });
  const problems = h('div', { class: 'slot' });
  root.append(h('h1', {}, t('runs.title')), h('p', { class: 'hint' }, t('runs.intro')), problems, slot);
  const draw = (runs) => {
    root.dataset.live = String(runs.some(isLive));
    if (!runs.length) {
      replace(slot, h('p', { class: 'hint' }, t('runs.empty')));
      return;
    }
    replace(slot, dataTable(
      t('runs.listCaption'),
      [
        { label: t('runs.run') },
        { label: t('runs.statusLabel') },
        { label: t('runs.progress') },
        { label: t('runs.count.failed'), numeric: true },
        { label: t('runs.created') },
      ],
      runs.map((r) => [
        h('a', { href: `#/runs/${encodeURIComponent(r.id)}` }, t('runs.runName', { id: r.id })),
        runBadge(r.status),
        h('span', { class: 'run-progress' }, bar(r.progress), ' ', t('runs.doneOf', { done: formatCount(r.progress.done), total: formatCount(r.progress.total) })),
        formatCount(r.progress.failed),
        when(r.created_at),
      ]),
      { id: 'runs-list' },
    ));
  };
  let runs;
  try {
    runs = await api.get(BASE);
  } catch (err) {
    replace(slot, errorBox(err));
    return null;
  }
  draw(runs);
  const poll = poller(async () => {
    try {
      runs = await api.get(BASE);
    } catch (err) {
      return pollFailed(problems, err);
    }
    problems.replaceChildren();
    draw(runs);
    return runs.some(isLive);
  });
  if (runs.some(isLive)) poll.kick();
  return () => poll.stop();
}

function productsTable(rows) {
  return dataTable(
    t('runs.productsCaption'),
    [
      { label: t('runs.product') },
      { label: t('runs.statusLabel') },
      { label: t('runs.attempts'), numeric: true },
      { label: t('runs.reason') },
    ],
    rows.map((i) => [
      i.product_id,
      h('span', {}, h('span', { class: `badge ${i.status}`, dataset: { status: i.status } }, t(`runs.item.${i.status}`)),
        i.reused ? [' ', h('span', { class: 'hint' }, t('runs.reused'))] : null),
      formatCount(i.attempts),
      i.error ? h('span', { class: 'run-error' }, i.error) : '',
    ]),
    { id: 'run-products' },
  );
}

async function detailPage(root, id, ctx) {
  const path = `${BASE}/${encodeURIComponent(id)}`;
  const top = h('div', { class: 'slot' });
  root.append(h('p', {}, h('a', { href: '#/runs' }, t('runs.back'))), top);
  let run;
  try {
    run = await api.get(path);
  } catch (err) {
    replace(top, h('h1', {}, t('runs.runName', { id })), errorBox(err));
    return null;
  }

  const status = h('dd', { id: 'run-status', tabindex: '-1' });
  const finished = h('dd', {});
  const stateHint = h('p', { class: 'hint' });
  const progress = h('div', { class: 'progress' });
  const counts = h('dl', { class: 'facts run-counts', id: 'run-counts' });
  const actions = h('div', { class: 'row run-actions' });
  const actionsSlot = h('div', { class: 'slot' });
  const problems = h('div', { class: 'slot' });
  const filter = h('select', { id: uid('run-filter') },
    h('option', { value: '' }, t('runs.filter.all')),
    ITEM_STATUSES.map((s) => h('option', { value: s }, t(`runs.item.${s}`))));
  const items = h('div', { class: 'slot' }, h('p', { class: 'hint' }, t('common.loading')));
  const more = h('button', { type: 'button', hidden: true }, t('common.more'));
  let shown = PAGE;
  let actionsKey = '';
  let countsKey = '';

  const loadItems = async () => {
    const limit = Math.min(shown + 1, MAX_ROWS);
    const rows = await api.get(`${path}/products${api.qs({ status: filter.value, limit })}`);
    replace(items, rows.length
      ? productsTable(rows.slice(0, shown))
      : h('p', { class: 'hint' }, filter.value ? t('runs.noneWith', { status: t(`runs.item.${filter.value}`) }) : t('runs.noProducts')));
    more.hidden = rows.length <= shown;
  };
  const reloadItems = async () => {
    try {
      await loadItems();
    } catch (err) {
      replace(items, errorBox(err));
    }
  };

  const act = (action) => actionButton(t(`runs.action.${action}`), async () => {
    actionsSlot.replaceChildren();
    try {
      const after = await api.post(`${path}/${action}`, {});
      await update(after);
      ctx.announce(t('runs.statusNow', { status: t(`runs.status.${after.status}`) }));
      status.focus({ preventScroll: true });
      if (isLive(after)) poll.kick();
    } catch (err) {
      showError(actionsSlot, err);
      // The run may have moved on since the buttons were drawn (finished, or changed in another
      // tab): show it as it is now, under the error that says why the action was refused.
      try {
        await update(await api.get(path));
      } catch (again) {
        replace(problems, errorBox(again));
      }
    }
  });

  const drawActions = () => {
    if (!ctx.can('edit')) {
      replace(actions, note(t('perm.readOnly', { role: ctx.roleName() })));
      return;
    }
    const list = [];
    if (run.status === 'running') list.push(act('pause'));
    // interrupted: the server that ran it stopped and did not resume it by itself.
    const stopped = run.status === 'paused' || run.status === 'interrupted';
    if (stopped) list.push(act('resume'));
    if (run.progress.failed > 0) list.push(act('retry'));
    if (run.status === 'running' || stopped) {
      const keep = h('button', { type: 'button', class: 'link' }, t('runs.keep'));
      const confirm = h('div', { class: 'row', hidden: true }, h('span', {}, t('runs.cancelConfirm')), act('cancel'), keep);
      const ask = h('button', { type: 'button' }, t('runs.cancelAsk'));
      ask.addEventListener('click', () => { ask.hidden = true; confirm.hidden = false; confirm.querySelector('button').focus(); });
      keep.addEventListener('click', () => { confirm.hidden = true; ask.hidden = false; ask.focus(); });
      list.push(ask, confirm);
    }
    replace(actions, list);
  };

  const show = (next) => {
    run = next;
    const p = run.progress;
    root.dataset.live = String(isLive(run));
    replace(status, runBadge(run.status));
    replace(finished, when(run.finished_at) || '—');
    stateHint.textContent = t(`runs.state.${run.status}`);
    replace(progress, bar(p), h('p', {}, t('runs.doneOf', { done: formatCount(p.done), total: formatCount(p.total) })));
    replace(counts, ['completed', 'failed', 'pending', 'running', 'cancelled', 'reused'].map((k) => [
      h('dt', {}, t(`runs.count.${k}`)), h('dd', { dataset: { count: k } }, formatCount(p[k])),
    ]));
    // Redraw the buttons only when what they offer changes: polling must not steal focus.
    const key = `${run.status}|${p.failed > 0}`;
    if (key !== actionsKey) {
      actionsKey = key;
      drawActions();
    }
  };

  // The product table first, then the counts and status: what the page shows at any moment
  // (and data-live="false" once a run has ended) describes one state of the run.
  const update = async (next) => {
    const key = JSON.stringify(next.progress);
    if (key !== countsKey) {
      countsKey = key;
      await reloadItems();
    }
    show(next);
  };

  const poll = poller(async () => {
    let next;
    try {
      next = await api.get(path);
    } catch (err) {
      return pollFailed(problems, err);
    }
    problems.replaceChildren();
    const before = run.status;
    await update(next);
    if (next.status !== before) ctx.announce(t('runs.statusNow', { status: t(`runs.status.${next.status}`) }));
    return isLive(next);
  });

  filter.addEventListener('change', () => { shown = PAGE; reloadItems(); });
  more.addEventListener('click', () => { shown = Math.min(shown + PAGE, MAX_ROWS - 1); reloadItems(); });

  replace(
    top,
    h('h1', {}, t('runs.runName', { id: run.id })),
    h('dl', { class: 'facts' },
      h('dt', {}, t('runs.statusLabel')), status,
      h('dt', {}, t('runs.created')), h('dd', {}, when(run.created_at)),
      h('dt', {}, t('runs.finished')), finished,
      h('dt', {}, t('runs.formats')), h('dd', {}, (run.spec.formats || []).join(', ')),
      h('dt', {}, t('runs.variants')), h('dd', {}, formatCount(run.spec.variants))),
    stateHint,
    progress,
    counts,
    actions,
    actionsSlot,
    problems,
    h('section', { 'aria-labelledby': 'run-products-title' },
      h('h2', { id: 'run-products-title' }, t('runs.products')),
      h('div', { class: 'field run-filter' }, h('label', { for: filter.id }, t('runs.filter')), filter),
      items,
      more),
  );
  await update(run);
  if (isLive(run)) poll.kick();
  return () => poll.stop();
}

export default async function runs(root, route, ctx) {
  if (route.args[0]) return detailPage(root, route.args[0], ctx);
  return listPage(root);
}
