// Brand kits: colors, fonts (upload), logo, tone words and banned words, used by the generator.
import * as api from '../api.js';
import { h, replace, uid } from '../dom.js';
import { t } from '../i18n.js';
import { can, roleName } from '../perms.js';
import * as store from '../store.js';
import { errorBox, field, note, setFieldError, showError } from '../ui.js';

const EMPTY = { editing: '', name: '', colors: ['#1a73e8'], tone: '', banned: '', logo: null, heading: null, body: null };
const words = (s) => s.split(',').map((w) => w.trim()).filter(Boolean);

function kitCard(k, onEdit, onDelete) {
  return h('li', { class: 'kit card' },
    h('div', { class: 'kit-head' }, k.logo_url ? h('img', { src: k.logo_url, alt: t('kits.logoOf', { name: k.name }), class: 'logo' }) : null, h('h3', {}, h('bdi', {}, k.name))),
    h('div', { class: 'swatches' }, k.colors.map((c) => h('span', { class: 'swatch', style: { background: c }, title: c, role: 'img', 'aria-label': c }))),
    k.tone_words.length ? h('p', {}, h('strong', {}, t('kits.tone')), ' ', k.tone_words.join(', ')) : null,
    k.banned_words.length ? h('p', {}, h('strong', {}, t('kits.banned')), ' ', k.banned_words.join(', ')) : null,
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
    const name = h('input', { type: 'text', maxlength: 200, value: draft.name, required: true });
    name.addEventListener('input', () => { draft.name = name.value; persist(); });
    const tone = h('input', { type: 'text', value: draft.tone });
    tone.addEventListener('input', () => { draft.tone = tone.value; persist(); });
    const banned = h('input', { type: 'text', value: draft.banned });
    banned.addEventListener('input', () => { draft.banned = banned.value; persist(); });
    const colors = h('ul', { class: 'colors' }, draft.colors.map((c, i) => {
      const picker = h('input', { type: 'color', value: c, 'aria-label': t('kits.colorN', { n: i + 1 }) });
      const hex = h('input', { type: 'text', value: c, size: 8, pattern: '#[0-9a-fA-F]{6}', 'aria-label': t('kits.hexN', { n: i + 1 }) });
      picker.addEventListener('input', () => { draft.colors[i] = picker.value; hex.value = picker.value; persist(); });
      hex.addEventListener('input', () => {
        draft.colors[i] = hex.value.trim();
        if (/^#[0-9a-fA-F]{6}$/.test(hex.value.trim())) picker.value = hex.value.trim();
        persist();
      });
      return h('li', { class: 'row' }, picker, hex,
        h('button', { type: 'button', class: 'link', onclick: () => { draft.colors.splice(i, 1); persist(); drawForm(); } }, t('kits.removeColor', { n: i + 1 })));
    }));
    const slot = h('div', { class: 'slot' });
    const save = h('button', { type: 'submit', class: 'primary' }, draft.editing ? t('kits.update') : t('kits.create'));
    const form = h('form', { class: 'card', novalidate: true },
      h('h2', {}, draft.editing ? t('kits.editTitle') : t('kits.newTitle')),
      slot,
      field(t('kits.name'), name),
      h('fieldset', {}, h('legend', {}, t('kits.colors')), colors,
        draft.colors.length < 12 ? h('button', { type: 'button', onclick: () => { draft.colors.push('#000000'); persist(); drawForm(); } }, t('kits.addColor')) : null),
      field(t('kits.tone'), tone, t('kits.wordsHint')),
      field(t('kits.banned'), banned, t('kits.bannedHint')),
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
      const bad = draft.colors.find((c) => !/^#[0-9a-fA-F]{6}$/.test(c));
      if (bad !== undefined) {
        showError(slot, { title: t('kits.badColorTitle'), detail: t('kits.badColor', { c: bad }) });
        return;
      }
      const body = {
        name: draft.name.trim(), colors: draft.colors, tone_words: words(draft.tone), banned_words: words(draft.banned),
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
