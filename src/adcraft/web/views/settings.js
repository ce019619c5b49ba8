// Settings → Copy model: the workspace's own OpenAI-compatible endpoint (the key is write-only:
// the page only ever learns whether one is saved), default background remover and styles.
// Saving makes the server call the endpoint for real; its refusal is shown in words.
import * as api from '../api.js';
import { h, replace, uid } from '../dom.js';
import { t } from '../i18n.js';
import { field, note, setFieldError, showError } from '../ui.js';

export default async function settings(main) {
  const top = h('div', { class: 'slot' });
  main.append(h('h1', {}, t('settings.title')), top);
  let current;
  try {
    current = await api.get('/settings/providers');
  } catch (err) {
    showError(top, err);
    return null;
  }

  const baseUrl = h('input', { type: 'url', maxlength: 500, autocomplete: 'off', spellcheck: false, placeholder: 'https://api.example.com/v1' });
  const model = h('input', { type: 'text', maxlength: 200, autocomplete: 'off', spellcheck: false });
  // Write-only: never filled from the server (which never sends it); empty keeps the saved key.
  const key = h('input', { type: 'password', maxlength: 500, autocomplete: 'new-password', spellcheck: false });
  const keyState = h('p', { class: 'key-state', id: uid('ks'), 'aria-live': 'polite' });
  const removeKey = h('input', { type: 'checkbox', id: uid('rk') });
  const removeKeyRow = h('div', { class: 'check' }, removeKey, h('label', { for: removeKey.id }, t('settings.keyRemove')));
  const remover = h('select', {}, h('option', { value: '' }, t('settings.removerServer')),
    current.removers.map((name) => h('option', { value: name }, name)));
  const styleBoxes = current.styles.map((name) => {
    const box = h('input', { type: 'checkbox', id: uid('st'), value: name });
    return { name, box, el: h('div', { class: 'check' }, box, h('label', { for: box.id }, name)) };
  });
  const status = h('div', { class: 'slot', 'aria-live': 'polite' });
  const save = h('button', { type: 'submit', class: 'primary' }, t('settings.save'));

  /** Show what the server holds now (after loading and after each save). */
  function show(value) {
    current = { ...current, ...value };
    baseUrl.value = value.llm ? value.llm.base_url : '';
    model.value = value.llm ? value.llm.model : '';
    key.value = '';
    removeKey.checked = false;
    const saved = Boolean(value.llm && value.llm.api_key_set);
    keyState.textContent = saved ? t('settings.keySaved') : t('settings.keyNone');
    keyState.classList.toggle('ok', saved);
    removeKeyRow.hidden = !saved;
    remover.value = value.default_remover || '';
    for (const s of styleBoxes) s.box.checked = value.default_styles.includes(s.name);
  }

  function body() {
    const out = {
      llm: null,
      default_remover: remover.value || null,
      default_styles: styleBoxes.filter((s) => s.box.checked).map((s) => s.name),
    };
    if (baseUrl.value.trim()) {
      out.llm = { base_url: baseUrl.value.trim(), model: model.value.trim() };
      // Left out: the saved key stays (for the same endpoint); an empty string removes it.
      if (key.value) out.llm.api_key = key.value;
      else if (removeKey.checked) out.llm.api_key = '';
    }
    return out;
  }

  const form = h('form', { class: 'settings', novalidate: true },
    h('section', { class: 'card', 'aria-labelledby': 'copy-model-h' },
      h('h2', { id: 'copy-model-h' }, t('settings.copyTitle')),
      h('p', { class: 'hint' }, t('settings.copyIntro')),
      field(t('settings.baseUrl'), baseUrl, t('settings.baseUrlHint')),
      field(t('settings.model'), model, t('settings.modelHint')),
      field(t('settings.key'), key, t('settings.keyHint'), keyState),
      removeKeyRow),
    h('section', { class: 'card', 'aria-labelledby': 'defaults-h' },
      h('h2', { id: 'defaults-h' }, t('settings.defaultsTitle')),
      field(t('settings.remover'), remover, t('settings.removerHint')),
      h('fieldset', { class: 'styles' }, h('legend', {}, t('settings.styles')),
        h('p', { class: 'hint' }, t('settings.stylesHint')),
        h('div', { class: 'checks' }, styleBoxes.map((s) => s.el)))),
    status,
    h('div', { class: 'row' }, save));
  // The key's state belongs to the key field for screen readers too.
  key.setAttribute('aria-describedby', `${key.getAttribute('aria-describedby')} ${keyState.id}`);

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    status.replaceChildren();
    setFieldError(model, '');
    setFieldError(baseUrl, '');
    if (baseUrl.value.trim() && !model.value.trim()) {
      setFieldError(model, t('settings.err.model'));
      model.focus();
      return;
    }
    if (!baseUrl.value.trim() && model.value.trim()) {
      setFieldError(baseUrl, t('settings.err.baseUrl'));
      baseUrl.focus();
      return;
    }
    const payload = body();
    save.disabled = true;
    save.setAttribute('aria-busy', 'true');
    save.textContent = payload.llm ? t('settings.testing') : t('settings.saving');
    try {
      const value = await api.put('/settings/providers', payload);
      show(value);
      replace(status, note(value.llm ? t('settings.saved') : t('settings.savedBuiltIn'), 'ok'));
    } catch (err) {
      // Nothing was stored: the server's reason (the test call's error, a bad URL) in words.
      showError(status, err.status === 422 && err.detail ? { title: t('settings.failed'), detail: err.detail } : err);
    } finally {
      save.disabled = false;
      save.removeAttribute('aria-busy');
      save.textContent = t('settings.save');
    }
  });
  show(current);
  main.append(form);
  main.dataset.loaded = 'true';
  return null;
}
