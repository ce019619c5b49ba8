// One creative full size, its copy beside it (length/limit per field), inline edits that make a
// new version of the variant in every size, regenerate text or image, history and a way back.
import * as api from '../api.js';
import { h, replace, textDir } from '../dom.js';
import { t } from '../i18n.js';
import { can, roleName } from '../perms.js';
import { followTask } from '../sse.js';
import * as store from '../store.js';
import { actionButton, aspectBox, counter, errorBox, formatDate, formatLabel, note, setFieldError } from '../ui.js';
import { cardFocus, downloadImage, downloadZip, findCardControl, injectionWarning, reasonsOf } from './gallery.js';
import { layoutEditor } from './layoutedit.js';
import { mockup } from './mockup.js';

const LONG = new Set(['body', 'primary_text', 'description', 'long_headline', 'ad_text', 'post_text', 'intro_text']);

/**
 * The sizes where an edit would not appear as typed: each with the text it would show, and an
 * input to give that size a text of its own. Returns { focus(), perSize() }.
 */
function drawPreview(box, pv, formats) {
  const inputs = [];
  const rows = pv.sizes.filter((sz) => sz.fields.some((f) => f.status !== 'fits')).map((sz) => {
    const label = `${formatLabel(sz.format, formats)} ${sz.width}×${sz.height}`;
    const byName = new Map();
    for (const f of sz.fields) if (f.status !== 'fits') byName.set(f.name, [...(byName.get(f.name) || []), f]);
    return h('li', { dataset: { format: sz.format } }, h('strong', { dir: 'auto' }, label), [...byName.entries()].map(([name, list]) => {
      const fieldName = t(`field.${name}`, {}, name);
      if (list.every((f) => f.status === 'not_shown')) return h('div', { class: 'hint' }, t('detail.preview.notShown', { field: fieldName }));
      const shortened = list.find((f) => f.status === 'shortened');
      const limit = Math.min(...list.filter((f) => f.limit).map((f) => f.limit));
      const id = `size-${sz.format}-${name}`;
      const input = h('input', { type: 'text', id, value: shortened.text, dir: textDir(pv.language, shortened.text) });
      const cnt = counter(input, limit);
      inputs.push({ format: sz.format, name, input, limit, proposed: shortened.text, counter: cnt });
      return h('div', { class: 'field' },
        h('label', { for: id }, t('detail.preview.shortened', { field: fieldName, where: t(`detail.preview.where.${shortened.where}`), limit })),
        input, cnt.el);
    }));
  });
  const heading = h('h4', { tabindex: '-1' }, t('detail.preview.title', { n: pv.changed }));
  replace(box, heading, h('p', { class: 'hint' }, t('detail.preview.hint')), h('ul', { class: 'preview-sizes' }, rows));
  return {
    focus: () => heading.focus(),
    perSize() {
      const out = {};
      for (const i of inputs) {
        const text = i.input.value.trim();
        if (!text) continue;
        out[i.format] = { ...(out[i.format] || {}), [i.name]: text };
      }
      return out;
    },
  };
}

/** Open the dialog for creative `c`; `onChanged()` is called after a new current version. */
export function openDetail(c, { formats, onChanged }) {
  let creative = c;
  let follower = null;
  // Focus goes back to what opened the dialog when it closes; when the gallery was drawn again
  // meanwhile (a new version), to the same control of the creative's card as drawn now.
  const opener = document.activeElement;
  const openerPlace = cardFocus(opener);
  const dialog = h('dialog', { class: 'detail', 'aria-labelledby': 'detail-title' });
  const close = () => dialog.close();
  dialog.addEventListener('close', () => {
    if (follower) follower.stop();
    dialog.remove();
    const back = opener && opener.isConnected ? opener : findCardControl(openerPlace);
    if (back) back.focus();
  });
  document.body.append(dialog);

  const slot = h('div', { class: 'slot', 'aria-live': 'polite' });
  const imageCol = h('div', { class: 'detail-image' });
  const copyCol = h('div', { class: 'detail-copy' });
  const versionsBox = h('div', { class: 'versions' });
  const reviewBox = h('section', { class: 'review', 'aria-labelledby': 'review-title' });
  const title = h('h2', { id: 'detail-title' });
  dialog.append(
    h('div', { class: 'detail-head' }, title, h('button', { type: 'button', class: 'link', onclick: close }, t('action.close'))),
    slot,
    h('div', { class: 'detail-body' }, imageCol, h('div', {}, copyCol, reviewBox, versionsBox)),
  );

  const draftName = () => `edit.${creative.id}`;
  // While a change is on its way every working button is off; after it, each is as its own
  // state says (Save: only while the edit differs from what is saved).
  let working = false;
  let settle = () => {};
  const busy = (on) => {
    working = on;
    for (const b of dialog.querySelectorAll('button[data-work]')) b.disabled = on;
    if (!on) settle();
  };

  /** Make a new version; progress and the outcome are said in `where` (the top slot by default). */
  async function runVersion(body, message, where = slot) {
    busy(true);
    replace(where, note(message));
    try {
      const task = await api.post(`/creatives/${creative.id}/versions`, body);
      await new Promise((resolve, reject) => {
        follower = followTask(task.id, {
          onTask(tk) {
            if (tk.status === 'completed') resolve(tk);
            else if (tk.status === 'failed') reject({ title: t('detail.renderFailed'), detail: tk.error ? tk.error.detail : '' });
            else replace(where, note(`${message} ${tk.progress.done}/${tk.progress.total || '?'}`));
          },
          onError: reject,
        });
      });
      store.clear(draftName());
      creative = await api.get(`/creatives/${creative.id}`);
      await onChanged();
      draw();
      replace(slot, note(t('detail.newVersion', { n: creative.version }), 'ok'));
    } catch (err) {
      replace(where, errorBox(err));
      showFieldErrors(err);
    } finally {
      busy(false);
    }
  }

  // A refused edit (a banned word, an instruction) names its field: show the reason beside it.
  function showFieldErrors(err) {
    const errors = err && err.body && Array.isArray(err.body.errors) ? err.body.errors : [];
    for (const e of errors) {
      const loc = Array.isArray(e.loc) ? e.loc : [];
      if (loc[loc.length - 2] !== 'copy') continue;
      const input = dialog.querySelector(`#copy-${CSS.escape(String(loc[loc.length - 1]))}`);
      if (input) setFieldError(input, e.msg);
    }
  }

  function drawImage() {
    const label = `${formatLabel(creative.format, formats)} · ${creative.width}×${creative.height}`;
    title.textContent = t('detail.title', { variant: creative.variant, label });
    const { reasons, warnings } = reasonsOf(creative, formats);
    replace(layoutBox); // a new version closes the layout editor and the preview
    replace(mockBox);
    replace(
      imageCol,
      aspectBox(creative.width, creative.height, h('img', { src: creative.image_url, alt: t('gallery.alt', { label, headline: creative.copy.headline || '' }) }), 'full'),
      h('p', { class: 'row' },
        h('span', { class: 'score' }, t('gallery.score', { score: Math.round(creative.score) })),
        h('span', {}, t('gallery.version', { n: creative.version })),
        h('a', { href: creative.image_url, target: '_blank', rel: 'noopener' }, t('detail.openFull'))),
      h('ul', { class: 'reasons all' }, reasons.map((r) => h('li', {}, r)), warnings.map((r) => h('li', { class: 'warn' }, r))),
      injectionWarning([creative]),
      h('div', { class: 'row' },
        actionButton(t('download.image'), () => downloadImage(creative).catch((e) => replace(slot, errorBox(e)))),
        actionButton(t('download.variant'), () => downloadZip(creative.task_id, creative.variant).catch((e) => replace(slot, errorBox(e)))),
        h('button', { type: 'button', 'aria-expanded': 'false', dataset: { opens: 'mockup' }, onclick: (ev) => toggleMockup(ev.currentTarget) }, t('mock.open')),
        adjustable() ? h('button', { type: 'button', 'aria-expanded': 'false', dataset: { opens: 'layout' }, onclick: (ev) => toggleLayout(ev.currentTarget) }, t('layout.open')) : null),
      mockBox,
      layoutBox,
    );
  }

  // Where it runs: the creative under the platform's own UI, in a feed or in a page.
  const mockBox = h('div');
  function toggleMockup(opener) {
    const open = opener.getAttribute('aria-expanded') !== 'true';
    opener.setAttribute('aria-expanded', String(open));
    const fmt = (formats || []).find((f) => f.id === creative.format);
    replace(mockBox, open ? mockup(creative, fmt) : null);
  }

  // One size's layout by hand (editors only; a logo format has nothing to move).
  const layoutBox = h('div');
  const adjustable = () => can('edit') && creative.template !== 'logo' && creative.origin !== 'uploaded';
  function toggleLayout(opener) {
    const open = opener.getAttribute('aria-expanded') !== 'true';
    opener.setAttribute('aria-expanded', String(open));
    if (!open) {
      replace(layoutBox);
      return;
    }
    const said = h('div', { class: 'slot', 'aria-live': 'polite' });
    replace(layoutBox, layoutEditor(creative, {
      message: said,
      onSave: (placement) => runVersion({ action: 'place', placement }, t('layout.rendering'), said),
    }));
  }

  function drawCopy() {
    const saved = store.load(draftName(), {});
    // Fields are addressed by name: a "headline" on the image and in the platform text is one
    // field for the API, so it gets one input (an edit changes both).
    const platform = creative.platform_text || {};
    const fields = [
      ...Object.keys(creative.copy).map((k) => ({ name: k, value: creative.copy[k], where: k in platform ? 'both' : 'image' })),
      ...Object.keys(platform).filter((k) => !(k in creative.copy)).map((k) => ({ name: k, value: platform[k], where: 'platform' })),
    ];
    const controls = [];
    // One direction for every field, from the brief's language (or the copy's letters).
    const dir = textDir(creative.language, ...fields.map((f) => f.value));
    const save = h('button', { type: 'submit', class: 'primary', dataset: { work: '1' } }, t('detail.save'));
    const form = h('form', { class: 'copy-form', novalidate: true });
    const check = () => {
      // Only edited fields must fit (as the server checks): a generated text already over a
      // limit is flagged by its counter but does not block fixing another field.
      const fits = controls.map((c) => c.counter.update());
      const ok = controls.every((c, i) => fits[i] || c.input.value === c.original);
      const changed = controls.some((c) => c.input.value !== c.original);
      save.disabled = working || !ok || !changed;
      save.title = ok ? '' : t('detail.overLimit');
      return ok && changed;
    };
    settle = check;
    for (const f of fields) {
      const limit = creative.copy_limits[f.name];
      const id = `copy-${f.name}`;
      const input = h(LONG.has(f.name) ? 'textarea' : 'input', { id, name: f.name, rows: 2, type: 'text', dir, 'aria-describedby': `${id}-count ${id}-err` });
      input.value = saved[f.name] ?? f.value;
      const cnt = counter(input, limit);
      cnt.el.id = `${id}-count`;
      input.addEventListener('input', () => {
        setFieldError(input, '');
        store.save(draftName(), Object.fromEntries(controls.map((c) => [c.name, c.input.value])));
        check();
      });
      controls.push({ name: f.name, input, original: f.value, counter: cnt });
      form.append(h('div', { class: 'field' },
        h('label', { for: id }, t(`field.${f.name}`, {}, f.name),
          f.where === 'image' ? null : h('span', { class: 'hint' }, ` (${t(f.where === 'both' ? 'detail.bothText' : 'detail.platformText')})`)),
        input, cnt.el, h('div', { class: 'field-error', id: `${id}-err`, role: 'alert' })));
    }
    // The edit as every size will show it; set once checked, cleared by any further typing.
    let preview = null;
    const previewBox = h('div', { class: 'edit-preview', 'aria-live': 'polite' });
    const edits = () => {
      const copy = {};
      for (const c of controls) if (c.input.value !== c.original) copy[c.name] = c.input.value;
      return copy;
    };
    for (const c of controls) c.input.addEventListener('input', () => { preview = null; replace(previewBox); save.textContent = t('detail.save'); });
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      // One save at a time: a second press (or Enter) while one is on its way makes no version.
      if (working || !check()) return;
      const copy = edits();
      if (!preview) {
        busy(true);
        try {
          const pv = await api.post(`/creatives/${creative.id}/edit-preview`, { copy });
          if (pv.changed) {
            preview = drawPreview(previewBox, pv, formats);
            save.textContent = t('detail.saveChecked');
            preview.focus();
            return;
          }
        } catch (err) {
          replace(previewBox, errorBox(err));
          return;
        } finally {
          busy(false);
          check();
        }
      }
      const perSize = preview ? preview.perSize() : {};
      runVersion({ action: 'edit', copy, copy_by_format: perSize }, t('detail.rendering'));
    });
    form.append(previewBox, h('div', { class: 'row' }, save,
      h('button', { type: 'button', class: 'subtle', onclick: () => { store.clear(draftName()); drawCopy(); } }, t('detail.reset'))));
    check();
    if (!can('edit')) {
      // Reviewers and viewers read the copy; only editors (and admins) change it.
      for (const c of controls) c.input.readOnly = true;
      replace(copyCol, h('h3', {}, t('detail.copy')), note(t('perm.readOnly', { role: roleName() })), form);
      form.querySelector('.row').hidden = true;
      return;
    }
    replace(
      copyCol,
      h('h3', {}, t('detail.copy')),
      h('p', { class: 'hint' }, t('detail.copyHint')),
      form,
      h('div', { class: 'row regen' },
        h('button', { type: 'button', dataset: { work: '1' }, onclick: () => runVersion({ action: 'regenerate_text' }, t('detail.newText')) }, t('detail.regenText')),
        h('button', { type: 'button', dataset: { work: '1' }, onclick: () => runVersion({ action: 'regenerate_image' }, t('detail.newLook')) }, t('detail.regenImage'))),
    );
  }

  async function drawVersions() {
    replace(versionsBox, h('h3', {}, t('detail.history')), h('p', { class: 'hint' }, t('common.loading')));
    try {
      const versions = await api.get(`/creatives/${creative.id}/versions`);
      replace(versionsBox, h('h3', {}, t('detail.history')), h('ol', { class: 'version-list' }, versions.map((v) => h(
        'li',
        { class: v.current ? 'current' : '' },
        h('img', { src: v.image_url, alt: '', width: 48, height: Math.round(48 * creative.height / creative.width) }),
        h('span', {}, t('detail.versionLine', { n: v.number, action: t(`versionAction.${v.action}`, {}, v.action), score: Math.round(v.score) })),
        h('span', { class: 'hint' }, formatDate(v.created_at)),
        v.current
          ? h('strong', {}, t('detail.current'))
          : !can('edit') ? null : h('button', {
              type: 'button',
              dataset: { work: '1' },
              onclick: async () => {
                busy(true);
                try {
                  creative = await api.post(`/creatives/${creative.id}/restore`, { version: v.number });
                  replace(slot, note(t('detail.restored', { n: v.number }), 'ok'));
                  await onChanged();
                  draw();
                } catch (err) {
                  replace(slot, errorBox(err));
                } finally {
                  busy(false);
                }
              },
            }, t('detail.restore', { n: v.number })),
      ))));
    } catch (err) {
      replace(versionsBox, errorBox(err));
    }
  }

  // Review: the state of the current version, the moves it allows, comments and activity.
  const MOVES = {
    draft: ['in_review', 'approved'],
    in_review: ['approved', 'changes_requested'],
    changes_requested: ['in_review'],
    approved: ['in_review'],
    exported: ['in_review'],
  };
  async function drawReview(message = null) {
    const head = h('h3', { id: 'review-title' }, t('review.title'));
    try {
      const review = await api.get(`/creatives/${creative.id}/review`);
      const status = h('div', { class: 'slot', 'aria-live': 'polite' }, message);
      const move = (state) => h('button', {
        type: 'button',
        class: state === 'approved' ? 'primary' : '',
        onclick: async () => {
          try {
            await api.post(`/creatives/${creative.id}/review`, { state, version: creative.version });
            await onChanged();
            drawReview(note(t('review.moved', { state: t(`review.state.${state}`) }), 'ok'));
          } catch (err) {
            replace(status, errorBox(err));
          }
        },
      }, t(`review.to.${state}`));
      const text = h('textarea', { id: 'review-comment', rows: 2, maxlength: 5000 });
      const comment = h('form', { class: 'comment-form', novalidate: true },
        h('label', { for: text.id }, t('review.comment')), text,
        h('button', { type: 'submit' }, t('review.addComment')));
      comment.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        if (!text.value.trim()) return;
        try {
          await api.post(`/creatives/${creative.id}/comments`, { text: text.value });
          drawReview(note(t('review.commented'), 'ok'));
        } catch (err) {
          replace(status, errorBox(err));
        }
      });
      const shown = review.activity.filter((a) => ['review', 'comment', 'edit', 'regenerate', 'download'].includes(a.kind));
      replace(reviewBox, head,
        h('p', {}, h('span', { class: `review-state ${review.state}` }, t(`review.state.${review.state}`)),
          ' ', h('span', { class: 'hint' }, t('review.forVersion', { n: review.version }))),
        // Approving or sending back is a reviewer's move; submitting an editor's.
        h('div', { class: 'row' }, MOVES[review.state].filter((m) => can(['approved', 'changes_requested'].includes(m) ? 'approve' : 'submit')).map(move)),
        status,
        can('comment') ? comment : null,
        shown.length
          ? h('ol', { class: 'activity' }, shown.slice(-20).reverse().map((a) => h('li', {},
            h('span', {}, t(`review.activity.${a.kind}`, { state: a.state ? t(`review.state.${a.state}`) : '', field: a.field || '', n: a.version || '' })),
            a.text ? h('q', { dir: 'auto' }, a.text) : null,
            h('span', { class: 'hint' }, ` — ${a.by || t('review.someone')}, ${formatDate(a.created_at)}`))))
          : null);
    } catch (err) {
      replace(reviewBox, head, errorBox(err));
    }
  }

  function draw() {
    drawImage();
    drawCopy();
    drawReview();
    drawVersions();
  }
  draw();
  dialog.showModal();
  return dialog;
}
