// A generate task: live progress from the event stream, then the ranked gallery.
import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { followTask } from '../sse.js';
import { errorBox, formatSeconds, showError } from '../ui.js';
import { openDetail } from './detail.js';
import { gallery, sayWarnings } from './gallery.js';
import { sharePanel } from './sharepanel.js';

const STEPS = [
  [/^queued$/, 'step.queued'],
  [/^starting$/, 'step.starting'],
  [/^reading product image$/, 'step.reading'],
  [/^rendering (.+)$/, 'step.rendering'],
  [/^rendered variant (\d+)$/, 'step.renderedVariant'],
  [/^writing files$/, 'step.writing'],
  [/^saving files$/, 'step.saving'],
  [/^done$/, 'step.done'],
  [/^failed$/, 'step.failed'],
];

/** What the server said of the whole set (a price left off every creative, a copywriter that
 * fell back, …), in the UI's language; null when nothing. Removed injections are left to the
 * gallery's own box, which lists each sentence, and what a card of ``creatives`` already says
 * to that card: the set's warnings repeat every creative's, and a box of them appearing above
 * the finished gallery pushed every card down. */
export function setWarnings(tk, creatives = []) {
  const notes = tk.warning_notes || [];
  const warnings = tk.warnings || [];
  const carded = new Set(creatives.flatMap((c) => c.warnings || []));
  const injection = (i) => (notes.length === warnings.length ? notes[i].code === 'injection_removed' : warnings[i].startsWith('injection: '));
  const said = sayWarnings(warnings, notes).filter((_, i) => !injection(i) && !carded.has(warnings[i]));
  if (!said.length) return null;
  return h('div', { class: 'msg msg-warn set-warnings', role: 'note' },
    h('strong', {}, t('task.setWarnings')),
    h('ul', {}, said.map((w) => h('li', { dir: 'auto' }, w))));
}

/** The server's step name in the user's language (unknown steps shown as sent). */
export function stepText(step) {
  for (const [re, key] of STEPS) {
    const m = re.exec(step || '');
    if (m) return t(key, { x: m[1] || '' });
  }
  return step || '';
}

export default async function taskView(main, route, ctx) {
  const id = route.args[0] || '';
  const heading = h('h1', {}, t('task.title'));
  const sub = h('p', { class: 'hint' });
  const top = h('div', { class: 'slot' });
  main.append(heading, sub, top);
  let task;
  let formats;
  try {
    [task, formats] = await Promise.all([api.get(`/tasks/${encodeURIComponent(id)}`), ctx.formats()]);
  } catch (err) {
    showError(top, err, [
      h('button', { type: 'button', onclick: () => ctx.navigate(location.hash) }, t('action.retry')),
      h('a', { href: '#/new', class: 'button' }, t('task.backToBrief')),
    ]);
    return null;
  }
  api.get(`/campaigns/${task.campaign_id}`).then(
    (c) => replace(sub, t('task.campaign'), ' ', h('a', { href: `#/campaigns/${c.id}`, dir: 'auto' }, c.name)),
    () => {},
  );

  // --- progress ------------------------------------------------------------------------
  const badge = h('span', { class: 'badge' });
  const step = h('span', { class: 'step' });
  const bar = h('progress', { max: 1, value: 0, 'aria-label': t('task.progress') });
  const counts = h('span', {});
  const sep = h('span', { 'aria-hidden': 'true' });
  const elapsed = h('span', {});
  const conn = h('p', { class: 'conn', 'aria-live': 'polite' });
  const failure = h('div', { class: 'slot' });
  const progress = h('section', { class: 'progress card', 'aria-labelledby': 'progress-h' },
    h('h2', { id: 'progress-h', class: 'sr-only' }, t('task.progress')),
    h('p', { class: 'status-line', role: 'status' }, badge, ' ', step),
    bar,
    h('p', { class: 'hint' }, counts, sep, elapsed),
    conn, failure);
  const aboutSet = h('div', { class: 'slot' });
  const results = h('section', { class: 'results', 'aria-labelledby': 'results-h' }, h('h2', { id: 'results-h' }, t('task.results')), aboutSet);
  main.append(progress, results);
  const share = sharePanel({ taskId: task.id }, ctx);
  if (share) main.append(share);

  const started = Date.now() - Math.max(0, Date.now() - Date.parse(task.created_at));
  let timer = null;
  const tick = () => {
    if (task.status === 'completed' || task.status === 'failed') {
      const total = (task.queue_wait_s || 0) + (task.duration_s || 0);
      elapsed.textContent = t('task.took', { time: formatSeconds(total) });
    } else {
      elapsed.textContent = t('task.elapsed', { time: formatSeconds((Date.now() - started) / 1000) });
    }
  };

  const set = gallery(results, task, formats, (c) => openDetail(c, { formats, onChanged: () => set.load() }));

  let follower = null;
  function update(tk) {
    task = tk;
    badge.textContent = t(`status.${tk.status}`);
    badge.className = `badge ${tk.status}`;
    step.textContent = stepText(tk.progress.step);
    bar.max = Math.max(1, tk.progress.total);
    bar.value = tk.status === 'completed' ? bar.max : tk.progress.done;
    if (tk.status === 'completed') counts.textContent = t('task.made', { n: tk.creatives });
    else if (tk.progress.total) counts.textContent = t('task.counts', { done: tk.progress.done, total: tk.progress.total });
    else counts.textContent = tk.status === 'failed' ? '' : t('task.waiting');
    sep.textContent = counts.textContent ? ' · ' : '';
    tick();
    if (tk.status === 'completed') {
      clearInterval(timer);
      conn.textContent = '';
      set.load().then((items) => {
        replace(aboutSet, setWarnings(tk, items || []));
        if (items) ctx.announce(t('task.ready', { n: items.length }));
      });
    } else if (tk.status === 'failed') {
      clearInterval(timer);
      conn.textContent = '';
      const retry = h('button', { type: 'button', class: 'primary' }, t('task.retry'));
      retry.addEventListener('click', async () => {
        retry.disabled = true;
        try {
          const again = await api.post(`/tasks/${tk.id}/retry`, {});
          ctx.navigate(`#/task/${again.id}`);
        } catch (err) {
          showError(failure, err, [retry]);
        } finally {
          retry.disabled = false;
        }
      });
      showError(
        failure,
        { title: t('task.failed'), detail: tk.error ? `${tk.error.title}: ${tk.error.detail}` : t('error.server') },
        [retry, h('a', { href: '#/new', class: 'button' }, t('task.backToBrief'))],
      );
      results.hidden = true;
    }
  }
  update(task);
  if (task.status !== 'completed' && task.status !== 'failed') {
    timer = setInterval(tick, 1000);
    follower = followTask(task.id, {
      onTask: update,
      onConnection(state, attempt) {
        if (state === 'open') conn.textContent = t('task.live');
        else if (state === 'reconnecting') conn.textContent = t('task.reconnecting', { n: attempt });
      },
      onError(err) {
        replace(failure, errorBox(err));
      },
    });
  }
  return () => {
    if (follower) follower.stop();
    clearInterval(timer);
    for (const d of document.querySelectorAll('dialog.detail')) d.close();
  };
}
