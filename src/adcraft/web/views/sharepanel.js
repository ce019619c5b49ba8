// "Share for review": a read-only, expiring link to a campaign or one generated set for people
// outside the team. Editors and admins create and revoke links; the link is shown once.
import * as api from '../api.js';
import { h, replace, uid } from '../dom.js';
import { t } from '../i18n.js';
import { actionButton, formatDate, note, showError } from '../ui.js';

const DAYS = [1, 7, 30];

/** The panel for `{ campaignId }` or `{ taskId }`; null for roles that cannot share. */
export function sharePanel(scope, ctx) {
  if (!ctx.can('edit')) return null;
  const query = scope.taskId ? { task: scope.taskId } : { campaign: scope.campaignId };
  const body = scope.taskId ? { task_id: scope.taskId } : { campaign_id: scope.campaignId };
  const headingId = uid('share-h');
  const days = h('select', { id: uid('share-days') }, DAYS.map((d) => h('option', { value: String(d), selected: d === 7 }, t('share.days', { n: d }))));
  const made = h('div', { class: 'slot', 'aria-live': 'polite' });
  const slot = h('div', { class: 'slot' });
  const active = h('ul', { class: 'list share-links' });

  async function refresh() {
    try {
      const links = await api.get(`/shares${api.qs(query)}`);
      replace(active, links.length ? links.map((l) => h('li', {},
        h('span', {}, t('share.activeLine', { by: l.created_by, date: formatDate(l.expires_at) })), ' ',
        actionButton(t('share.revoke'), async () => {
          try {
            await api.del(`/shares/${encodeURIComponent(l.id)}`);
            made.replaceChildren(note(t('share.revoked'), 'ok'));
            await refresh();
          } catch (err) {
            showError(slot, err);
          }
        }, { class: 'danger' }))) : h('li', { class: 'hint' }, t('share.none')));
    } catch (err) {
      showError(slot, err);
    }
  }

  const create = actionButton(t('share.create'), async () => {
    slot.replaceChildren();
    try {
      const link = await api.post('/shares', { ...body, expires_in_days: Number(days.value) });
      const url = h('input', { type: 'text', readonly: true, value: link.url, class: 'share-url', 'aria-label': t('share.url') });
      const copy = h('button', { type: 'button' }, t('share.copy'));
      copy.addEventListener('click', async () => {
        url.select();
        try {
          await navigator.clipboard.writeText(link.url);
          copy.textContent = t('share.copied');
        } catch {
          copy.textContent = t('share.copyByHand');
        }
      });
      replace(made, h('p', { role: 'status' }, t('share.made', { date: formatDate(link.expires_at) })), h('div', { class: 'row' }, url, copy));
      ctx.announce(t('share.made', { date: formatDate(link.expires_at) }));
      url.focus();
      url.select();
      await refresh();
    } catch (err) {
      showError(slot, err);
    }
  }, { class: 'primary' });

  refresh();
  return h('section', { class: 'card share-panel', 'aria-labelledby': headingId },
    h('h2', { id: headingId }, t('share.title')),
    h('p', { class: 'hint' }, t(scope.taskId ? 'share.introTask' : 'share.introCampaign')),
    h('div', { class: 'row' }, h('label', { for: days.id }, t('share.expires')), days, create),
    slot,
    made,
    h('h3', {}, t('share.active')),
    active);
}
