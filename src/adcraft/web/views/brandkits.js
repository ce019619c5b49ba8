// Brand kits: colors, fonts (upload), logo, tone words, banned words and whether a deal must show
// its deadline, used by the generator.
import * as api from '../api.js';
import { h, replace, uid } from '../dom.js';
import { t } from '../i18n.js';
import { can, roleName } from '../perms.js';
import * as store from '../store.js';
import { errorBox, field, note, setFieldError, showError } from '../ui.js';

const EMPTY = { editing: '', name: '', colors: ['#1a73e8'], tone: '', banned: '', deadline: false, logo: null, heading: null, body: null };
let probe = null;
// Not a colour of its own: they take one from where they are used.
const KEYWORDS = new Set(['currentcolor', 'inherit', 'initial', 'unset', 'revert', 'revert-layer']);

/**
 * A colour typed in any CSS notation (#rgb, #rrggbb, hex without #, rgb(), hsl(), a colour name)
 * read by the browser's own CSS parser, as {hex: '#rrggbb'} or, when it cannot be a brand
 * colour, {hex: null, transparent: true|false}. The server accepts the same notations and answers
 * the same #rrggbb, so the colour shown is the one saved.
 */
export function toHex(value) {
  let text = String(value || '').trim().toLowerCase();
  if (!text) return { hex: null, transparent: false };
  if (/^([0-9a-f]{3}|[0-9a-f]{6})$/.test(text) && !CSS.supports('color', text)) text = `#${text}`;
  if (KEYWORDS.has(text) || !CSS.supports('color', text)) return { hex: null, transparent: false };
  if (!probe) probe = document.createElement('canvas').getContext('2d');
  // A value the canvas ignores leaves what was there: read it after two different starts.
  probe.fillStyle = '#000000';
  probe.fillStyle = text;
  const out = String(probe.fillStyle);
  probe.fillStyle = '#ffffff';
  probe.fillStyle = text;
  if (String(probe.fillStyle) !== out) return { hex: null, transparent: false };
  if (/^#[0-9a-f]{6}$/.test(out)) return { hex: out };
  return { hex: null, transparent: /^rgba\(/.test(out) };
}

/** What is wrong with a typed colour, in the page's language ('' when nothing). */
function colorError(typed, found) {
  if (found.hex) return '';
  return found.transparent ? t('kits.colorOpaque', { c: String(typed).trim() }) : t('kits.badColor', { c: String(typed).trim() });
}

const words = (s) => s.split(',').map((w) => w.trim()).filter(Boolean);

function kitCard(k, onEdit, onDelete) {
  return h('li', { class: 'kit card' },
    h('div', { class: 'kit-head' }, k.logo_url ? h('img', { src: k.logo_url, alt: t('kits.logoOf', { name: k.name }), class: 'logo' }) : null, h('h3', {}, h('bdi', {}, k.name))),
    h('div', { class: 'swatches' }, k.colors.map((c) => h('span', { class: 'swatch', style: { background: c }, title: c, role: 'img', 'aria-label': c }))),
    k.tone_words.length ? h('p', {}, h('strong', {}, t('kits.tone')), ' ', k.tone_words.join(', ')) : null,
    k.banned_words.length ? h('p', {}, h('strong', {}, t('kits.banned')), ' ', k.banned_words.join(', ')) : null,
    k.deadline_required ? h('p', {}, t('kits.deadlineOn')) : null,
    h('p', { class: 'hint' }, [k.heading_font_asset_id ? t('kits.hasHeading') : null, k.body_font_asset_id ? t('kits.hasBody') : null].filter(Boolean).join(' · ')),
    can('edit') ? h('div', { class: 'row' },
      h('button', { type: 'button', onclick: () => onEdit(k) }, t('action.edit')),
      h('button', { type: 'button', class: 'danger', onclick: () => onDelete(k) }, t('action.delete'))) : null);
}

export default async function brandKits(main, route, ctx) {
  const draft = store.load('kit', EMPTY);
  const persist = () => store.save('kit', draft);
  const top = h('div', { class: 'slot' });
  const listEl = h('ul', { class: 'kits' });
  const formBox = h('div');
  main.append(h('h1', {}, t('kits.title')), h('p', { class: 'hint' }, t('kits.intro')), top, h('div', { class: 'split' }, listEl, formBox));

  async function loadList() {
    try {
      const kits = await api.get('/brand-kits');
      replace(listEl, kits.length ? kits.map((k) => kitCard(k, edit, remove)) : h('li', { class: 'hint' }, t('kits.empty')));
    } catch (err) {
      replace(listEl, h('li', {}, errorBox(err)));
    }
  }

  function edit(k) {
    Object.assign(draft, {
      editing: k.id, name: k.name, colors: [...k.colors], tone: k.tone_words.join(', '), banned: k.banned_words.join(', '),
      deadline: Boolean(k.deadline_required),
      logo: k.logo_asset_id ? { id: k.logo_asset_id, url: k.logo_url, name: t('kits.currentLogo') } : null,
      heading: k.heading_font_asset_id ? { id: k.heading_font_asset_id, name: t('kits.currentFont') } : null,
      body: k.body_font_asset_id ? { id: k.body_font_asset_id, name: t('kits.currentFont') } : null,
    });
    persist();
    drawForm();
    formBox.querySelector('input').focus();
  }

  async function remove(k) {
    if (!window.confirm(t('kits.confirmDelete', { name: k.name }))) return;
    try {
      await api.del(`/brand-kits/${k.id}`);
      if (draft.editing === k.id) Object.assign(draft, structuredClone(EMPTY));
      persist();
      ctx.announce(t('kits.deleted', { name: k.name }));
      drawForm();
      loadList();
    } catch (err) {
      showError(top, err);
    }
  }

  function fileField(label, key, kind, accept) {
    const input = h('input', { type: 'file', accept, id: uid('kf') });
    const slot = h('div', { class: 'slot' });
    const current = draft[key]
      ? h('p', { class: 'row' }, draft[key].url ? h('img', { src: draft[key].url, alt: '', class: 'logo' }) : null, draft[key].name,
          h('button', { type: 'button', class: 'link', onclick: () => { draft[key] = null; persist(); drawForm(); } }, t('image.remove')))
      : null;
    input.addEventListener('change', async () => {
      const file = input.files && input.files[0];
      if (!file) return;
      replace(slot, h('p', { class: 'hint' }, t('common.uploading')));
      try {
        const a = await api.uploadAsset(file, kind);
        draft[key] = { id: a.id, url: kind === 'font' ? null : a.url, name: a.filename || file.name };
        persist();
        drawForm();
      } catch (err) {
        replace(slot, errorBox(err));
        input.value = '';
      }
    });
    return h('div', {}, field(label, input), current, slot);
  }

  function drawForm() {
    const colorHintId = uid('kch');
    const name = h('input', { type: 'text', maxlength: 200, value: draft.name, required: true });
    name.addEventListener('input', () => { draft.name = name.value; persist(); });
    const tone = h('input', { type: 'text', value: draft.tone });
    tone.addEventListener('input', () => { draft.tone = tone.value; persist(); });
    const banned = h('input', { type: 'text', value: draft.banned });
    banned.addEventListener('input', () => { draft.banned = banned.value; persist(); });
    // Legal review in some markets wants a time-limited deal shown with its end date or not at all.
    const deadline = h('input', { type: 'checkbox', id: uid('kd'), checked: Boolean(draft.deadline) });
    const deadlineHintId = `${deadline.id}-hint`;
    deadline.setAttribute('aria-describedby', deadlineHintId);
    deadline.addEventListener('change', () => { draft.deadline = deadline.checked; persist(); });
    const hexInputs = [];
    const colors = h('ul', { class: 'colors' }, draft.colors.map((c, i) => {
      const start = toHex(c);
      const picker = h('input', { type: 'color', value: start.hex || '#000000', 'aria-label': t('kits.colorN', { n: i + 1 }) });
      const hex = h('input', { type: 'text', value: c, size: 18, id: uid('kc'), spellcheck: 'false', autocomplete: 'off', 'aria-label': t('kits.hexN', { n: i + 1 }) });
      const err = h('div', { class: 'field-error', id: `${hex.id}-err`, role: 'alert' });
      hex.setAttribute('aria-describedby', `${colorHintId} ${hex.id}-err`);
      hexInputs.push(hex);
      picker.addEventListener('input', () => { draft.colors[i] = picker.value; hex.value = picker.value; setFieldError(hex, ''); persist(); });
      hex.addEventListener('input', () => {
        // The message was about the text before; it goes while typing, not on leaving the field,
        // so the Save button below never moves under a pointer pressing it (a click whose
        // press and release land on different spots is no click).
        setFieldError(hex, '');
        draft.colors[i] = hex.value.trim();
        const found = toHex(hex.value);
        if (found.hex) picker.value = found.hex;
        persist();
      });
      // Once typed (on leaving the field), the colour is shown as it will be saved.
      hex.addEventListener('change', () => {
        const found = toHex(hex.value);
        if (!found.hex) {
          setFieldError(hex, colorError(hex.value, found));
          return;
        }
        hex.value = found.hex;
        picker.value = found.hex;
        draft.colors[i] = found.hex;
        persist();
      });
      return h('li', {},
        h('div', { class: 'row' }, picker, hex,
          h('button', { type: 'button', class: 'link', onclick: () => { draft.colors.splice(i, 1); persist(); drawForm(); } }, t('kits.removeColor', { n: i + 1 }))),
        err);
    }));
    const slot = h('div', { class: 'slot' });
    const save = h('button', { type: 'submit', class: 'primary' }, draft.editing ? t('kits.update') : t('kits.create'));
    const form = h('form', { class: 'card', novalidate: true },
      h('h2', {}, draft.editing ? t('kits.editTitle') : t('kits.newTitle')),
      slot,
      field(t('kits.name'), name),
      h('fieldset', {}, h('legend', {}, t('kits.colors')), h('p', { class: 'hint', id: colorHintId }, t('kits.colorHint')), colors,
        draft.colors.length < 12 ? h('button', { type: 'button', onclick: () => { draft.colors.push('#000000'); persist(); drawForm(); } }, t('kits.addColor')) : null),
      field(t('kits.tone'), tone, t('kits.wordsHint')),
      field(t('kits.banned'), banned, t('kits.bannedHint')),
      h('div', { class: 'field' },
        h('div', { class: 'check' }, deadline, h('label', { for: deadline.id }, t('kits.deadline'))),
        h('div', { class: 'hint', id: deadlineHintId }, t('kits.deadlineHint'))),
      fileField(t('kits.logo'), 'logo', 'logo', 'image/*'),
      fileField(t('kits.headingFont'), 'heading', 'font', '.ttf,.otf,font/ttf,font/otf'),
      fileField(t('kits.bodyFont'), 'body', 'font', '.ttf,.otf,font/ttf,font/otf'),
      h('div', { class: 'row' }, save,
        h('button', { type: 'button', class: 'subtle', onclick: () => { Object.assign(draft, structuredClone(EMPTY)); persist(); drawForm(); } }, t('kits.clear'))));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      setFieldError(name, '');
      if (!draft.name.trim()) {
        setFieldError(name, t('kits.needName'));
        name.focus();
        return;
      }
      // Colours go as the server stores them (#rrggbb); one the browser cannot read is said
      // beside its field in the page's language and nothing is sent.
      const found = draft.colors.map((c) => toHex(c));
      const bad = found.findIndex((f) => !f.hex);
      hexInputs.forEach((input, i) => setFieldError(input, colorError(draft.colors[i], found[i])));
      if (bad >= 0) {
        showError(slot, { title: t('kits.badColorTitle'), detail: colorError(draft.colors[bad], found[bad]) });
        hexInputs[bad].focus();
        return;
      }
      draft.colors = found.map((f) => f.hex);
      hexInputs.forEach((input, i) => { input.value = draft.colors[i]; });
      persist();
      const body = {
        name: draft.name.trim(), colors: draft.colors, tone_words: words(draft.tone), banned_words: words(draft.banned),
        deadline_required: Boolean(draft.deadline),
        logo_asset_id: draft.logo ? draft.logo.id : null,
        heading_font_asset_id: draft.heading ? draft.heading.id : null,
        body_font_asset_id: draft.body ? draft.body.id : null,
      };
      save.disabled = true;
      try {
        if (draft.editing) await api.put(`/brand-kits/${draft.editing}`, body);
        else await api.post('/brand-kits', body);
        Object.assign(draft, structuredClone(EMPTY));
        persist();
        drawForm();
        replace(formBox.querySelector('.slot'), note(t('kits.saved', { name: body.name }), 'ok'));
        loadList();
      } catch (err) {
        // The server's word on a colour goes beside that colour's field too.
        for (const e of (err && err.body && Array.isArray(err.body.errors) ? err.body.errors : [])) {
          const [where, what, index] = e.loc || [];
          if (where === 'body' && what === 'colors' && hexInputs[Number(index)]) setFieldError(hexInputs[Number(index)], e.msg);
        }
        showError(slot, err);
      } finally {
        save.disabled = false;
      }
    });
    replace(formBox, can('edit') ? form : note(t('perm.readOnly', { role: roleName() })));
  }

  drawForm();
  await loadList();
  return null;
}
