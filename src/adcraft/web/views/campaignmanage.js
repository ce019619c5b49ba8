// Managing one campaign (editors and admins): rename, archive or bring back, merge another
// campaign into it, delete it with its creatives. Destructive steps ask once, inline.
import * as api from '../api.js';
import { h, replace, uid } from '../dom.js';
import { t } from '../i18n.js';
import { actionButton, field, note, setFieldError, showError } from '../ui.js';

/** The panel for campaign `camp` (as GET /campaigns/{id}); null for roles that cannot edit.
 *  `heading` is the page's h1, renamed in place. */
export function managePanel(camp, heading, ctx) {
  if (!ctx.can('edit')) return null;
  const headingId = uid('manage-h');
  const slot = h('div', { class: 'slot', 'aria-live': 'polite' });
  const confirmSlot = h('div', { class: 'slot' });

  // --- rename ------------------------------------------------------------------------------
  const name = h('input', { type: 'text', value: camp.name, maxlength: 200, required: true });
  const rename = h('form', { class: 'row manage-rename', novalidate: true },
    field(t('manage.name'), name), h('button', { type: 'submit' }, t('manage.rename')));
  rename.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    setFieldError(name, '');
    if (!name.value.trim()) {
      setFieldError(name, t('manage.nameEmpty'));
      name.focus();
      return;
    }
    try {
      const out = await api.call('PATCH', `/campaigns/${encodeURIComponent(camp.id)}`, { json: { name: name.value.trim() } });
      camp.name = out.name;
      name.value = out.name;
      heading.textContent = out.name;
      replace(slot, note(t('manage.renamed', { name: out.name }), 'ok'));
    } catch (err) {
      showError(slot, err);
    }
  });

  // --- archive -----------------------------------------------------------------------------
  const archived = h('p', { class: 'hint' });
  const archive = actionButton('', async () => {
    try {
      const out = await api.call('PATCH', `/campaigns/${encodeURIComponent(camp.id)}`, { json: { archived: !camp.archived_at } });
      camp.archived_at = out.archived_at;
      showArchive();
      replace(slot, note(t(out.archived_at ? 'manage.archivedNow' : 'manage.unarchivedNow'), 'ok'));
    } catch (err) {
      showError(slot, err);
    }
  });
  function showArchive() {
    archive.textContent = t(camp.archived_at ? 'manage.unarchive' : 'manage.archive');
    archived.textContent = camp.archived_at ? t('manage.isArchived') : '';
  }
  showArchive();

  // --- merge -------------------------------------------------------------------------------
  const other = h('select', { id: uid('merge-from') }, h('option', { value: '' }, t('manage.mergePick')));
  api.get(`/campaigns${api.qs({ limit: 200 })}`).then((page) => {
    for (const c of page.items) if (c.id !== camp.id) other.append(h('option', { value: c.id, dir: 'auto' }, c.name));
  }, (err) => showError(slot, err));
  const merge = h('button', { type: 'button' }, t('manage.merge'));
  merge.addEventListener('click', () => {
    if (!other.value) {
      replace(slot, note(t('manage.mergePickFirst'), 'warn'));
      other.focus();
      return;
    }
    const from = other.selectedOptions[0].textContent;
    ask(t('manage.mergeConfirm', { from, to: camp.name }), t('manage.mergeYes'), async () => {
      await api.post(`/campaigns/${encodeURIComponent(camp.id)}/merge`, { source_id: other.value });
      ctx.announce(t('manage.merged', { from }));
      ctx.navigate(location.hash); // the page again, with the merged sets
    });
  });

  // --- delete ------------------------------------------------------------------------------
  const del = h('button', { type: 'button', class: 'danger' }, t('manage.delete'));
  del.addEventListener('click', () => {
    ask(t('manage.deleteConfirm', { name: camp.name, n: camp.creatives }), t('manage.deleteYes'), async () => {
      await api.del(`/campaigns/${encodeURIComponent(camp.id)}`);
      ctx.announce(t('manage.deleted', { name: camp.name }));
      ctx.navigate('#/campaigns');
    });
  });

  /** An inline "are you sure" with the consequence in words; focus goes to it. */
  function ask(question, yesLabel, action) {
    const text = h('p', { tabindex: '-1' }, question);
    const yes = actionButton(yesLabel, async () => {
      try {
        await action();
      } catch (err) {
        confirmSlot.replaceChildren();
        showError(slot, err);
      }
    }, { class: 'danger' });
    const no = h('button', { type: 'button', onclick: () => { confirmSlot.replaceChildren(); del.focus(); } }, t('manage.cancel'));
    replace(confirmSlot, h('div', { class: 'msg msg-warn', role: 'alertdialog', 'aria-label': question }, text, h('div', { class: 'row' }, yes, no)));
    slot.replaceChildren();
    text.focus();
  }

  return h('section', { class: 'card manage-panel', 'aria-labelledby': headingId },
    h('h2', { id: headingId }, t('manage.title')),
    rename,
    h('div', { class: 'row' }, archive, archived),
    h('div', { class: 'row' }, h('label', { for: other.id }, t('manage.mergeFrom')), other, merge),
    h('div', { class: 'row' }, del),
    confirmSlot,
    slot);
}
