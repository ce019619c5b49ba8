// The product image: the catalogue photo, an upload, a pick from the image bank, or none.
import * as api from '../api.js';
import { bytes, h, replace, uid } from '../dom.js';
import { isolate, t } from '../i18n.js';
import { aspectBox, errorBox, showError } from '../ui.js';
import { briefImage, findPictures, refreshLink, scoreText } from './bankfind.js';

const IMAGE_EXT = /\.(png|jpe?g|webp|gif|bmp|tiff?)$/i;

/** Whether a chosen file looks like an image before we spend an upload on it. */
export function looksLikeImage(file) {
  return (file.type && file.type.startsWith('image/')) || IMAGE_EXT.test(file.name);
}

// The chosen picture is shown in a frame of one fixed height, and the frame is there before a
// picture is (saying what is happening), so the form below never moves when one arrives.
function preview(image, onRemove) {
  return h(
    'figure',
    { class: 'chosen' },
    h('div', { class: 'frame' }, h('img', { src: image.url, alt: t('image.previewAlt', { name: image.name || '' }) })),
    h(
      'figcaption',
      {},
      h('span', { class: 'name', dir: 'auto' }, image.name || t('image.catalogPhoto')),
      image.width ? h('span', { class: 'hint' }, ` ${image.width}×${image.height}`) : null,
      onRemove ? h('button', { type: 'button', class: 'link', onclick: onRemove }, t('image.remove')) : null,
    ),
  );
}

function emptyFrame(text) {
  return h(
    'figure',
    { class: 'chosen empty' },
    h('div', { class: 'frame' }, h('span', { class: 'hint' }, text)),
    h('figcaption', { 'aria-hidden': 'true' }, '\u00a0'),
  );
}

/**
 * The picker. `draft` holds imageSource, image, imageDescription; `persist()` saves it;
 * `product()` is the chosen catalogue product (or null).
 */
export function imagePicker(draft, persist, product, caps = {}) {
  const name = uid('src');
  const root = h('fieldset', { class: 'image-source' }, h('legend', {}, t('image.legend')));
  const radios = h('div', { class: 'radios' });
  const panel = h('div', { class: 'panel' });
  const status = h('div', { class: 'slot', 'aria-live': 'polite' });
  const chosenSlot = h('div', { class: 'chosen-slot' });
  root.append(radios, panel, status, chosenSlot);

  /** Why painting is off on this server (its own reason), or null when /capabilities allows it. */
  const offReason = (gen) => {
    if (gen && gen.available) return null;
    return gen && gen.reason ? `${t('image.unavailable')}: ${isolate(gen.reason)}` : t('image.generateOff');
  };
  const generateReason = () => offReason(caps.image_generation);

  const sources = () => [
    product()?.image_url ? { id: 'catalog', label: t('image.fromCatalog') } : null,
    { id: 'upload', label: t('image.upload') },
    { id: 'bank', label: t('image.bank') },
    // Off with the server's own reason unless /capabilities says it can paint.
    { id: 'generate', label: t('image.generate'), disabled: generateReason() },
    { id: 'none', label: t('image.none') },
  ].filter(Boolean);

  let uploading = ''; // what the frame says while a file is sent
  const drawChosen = () => {
    const src = draft.imageSource;
    let chosen = null;
    if (src === 'catalog') chosen = preview({ url: product().image_url, name: product().name }, null);
    else if ((src === 'upload' || src === 'bank') && draft.image) chosen = preview(draft.image, () => setImage(null));
    else if (src === 'upload' || src === 'bank') chosen = emptyFrame(uploading || t('image.noneChosen'));
    replace(chosenSlot, chosen);
    for (const b of panel.querySelectorAll('.bank-item')) {
      b.setAttribute('aria-pressed', String(Boolean(draft.image && b.dataset.id === draft.image.id && b.dataset.bank === draft.image.bank)));
    }
  };

  const setImage = (image) => {
    draft.image = image;
    persist();
    drawChosen();
  };

  function uploadPanel() {
    const input = h('input', { type: 'file', accept: 'image/*', id: uid('file') });
    input.addEventListener('change', async () => {
      const file = input.files && input.files[0];
      status.replaceChildren();
      if (!file) return;
      if (!looksLikeImage(file)) {
        showError(status, { title: t('image.notImageTitle'), detail: t('image.notImage', { name: file.name }) });
        input.value = '';
        return;
      }
      const cap = Number(caps.max_upload_bytes) || 0;
      if (cap && file.size > cap) {
        // Refuse before sending megabytes the server would refuse anyway.
        showError(status, { title: t('error.status.413'), detail: t('image.tooBig', { name: file.name, size: bytes(file.size), limit: `${(cap / 2 ** 20).toFixed(0)} MiB` }) });
        input.value = '';
        return;
      }
      uploading = t('image.uploading', { name: file.name, size: bytes(file.size) });
      drawChosen();
      input.disabled = true;
      try {
        const a = await api.uploadAsset(file, 'image', draft.imageDescription || '');
        uploading = '';
        setImage({ id: a.id, url: a.url, name: a.filename || file.name, width: a.width, height: a.height });
      } catch (err) {
        uploading = '';
        drawChosen();
        input.value = '';
        showError(status, err);
      } finally {
        input.disabled = false;
      }
    });
    return h(
      'div',
      {},
      h('label', { for: input.id }, t('image.chooseFile')),
      input,
      h('p', { class: 'hint' }, t('image.uploadHint')),
    );
  }

  function bankPanel() {
    const q = h('input', { type: 'search', id: uid('q'), value: draft.bankQuery || '', placeholder: t('bank.searchPlaceholder') });
    const results = h('div', { class: 'bank-grid', role: 'list' });
    const said = h('div', { class: 'hint', 'aria-live': 'polite' });
    const search = async () => {
      draft.bankQuery = q.value;
      persist();
      said.textContent = t('common.loading');
      replace(results);
      try {
        // The semantic bank (own and demo pictures): a query in any language finds a caption.
        const found = await findPictures(q.value, 24);
        said.textContent = found.note || (found.items.length ? '' : t('bank.noMatch'));
        replace(
          results,
          found.items.map((item) => {
            const a = item.image;
            const picked = Boolean(draft.image && draft.image.bank === a.bank && draft.image.id === a.id);
            const score = scoreText(item, found.threshold);
            return h(
              'div',
              { role: 'listitem' },
              h(
                'button',
                {
                  type: 'button',
                  class: 'bank-item',
                  dataset: { id: a.id, bank: a.bank },
                  'aria-pressed': String(picked),
                  onclick: () => setImage(briefImage(a)),
                },
                aspectBox(a.width || 1, a.height || 1, h('img', { src: a.url, alt: '', loading: 'lazy' })),
                h('span', { dir: 'auto' }, a.caption),
                score ? h('span', { class: 'hint' }, score) : null,
              ),
            );
          }),
        );
      } catch (err) {
        replace(said, errorBox(err));
      }
    };
    q.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') {
        ev.preventDefault();
        search();
      }
    });
    search();
    return h(
      'div',
      {},
      h('div', { class: 'row' }, h('label', { for: q.id, class: 'sr-only' }, t('bank.search')), q,
        h('button', { type: 'button', onclick: search }, t('bank.search'))),
      said,
      results,
    );
  }

  function draw() {
    const srcs = sources();
    if (!srcs.some((s) => s.id === draft.imageSource && !s.disabled)) draft.imageSource = 'upload';
    replace(
      radios,
      srcs.map((s) => {
        const id = uid('r');
        const input = h('input', {
          type: 'radio',
          name,
          id,
          value: s.id,
          checked: draft.imageSource === s.id,
          disabled: Boolean(s.disabled),
          'aria-describedby': s.disabled ? `${id}-why` : null,
        });
        input.addEventListener('change', () => {
          draft.imageSource = s.id;
          if (s.id !== 'upload' && s.id !== 'bank') draft.image = null;
          persist();
          status.replaceChildren();
          draw();
        });
        return h(
          'div',
          { class: 'radio' },
          input,
          h('label', { for: id }, s.label),
          s.disabled ? h('span', { class: 'hint', id: `${id}-why` }, ` — ${s.disabled}`) : null,
        );
      }),
    );
    const src = draft.imageSource;
    replace(
      panel,
      src === 'upload' ? uploadPanel() : null,
      src === 'bank' ? bankPanel() : null,
      src === 'none' ? h('p', { class: 'hint' }, t('image.noneHint')) : null,
      src === 'generate' ? h('p', { class: 'hint' }, t('image.generateHint')) : null,
    );
    drawScene();
    drawChosen();
  }

  // A scene painted around the product for each shape of the chosen formats.
  const sceneSlot = h('div', { class: 'scene-option' });
  root.insertBefore(sceneSlot, chosenSlot);
  function drawScene() {
    const off = draft.imageSource === 'none' ? t('image.sceneNeedsImage') : offReason(caps.scene_generation);
    if (off) draft.sceneBackground = false;
    const id = uid('scene');
    const box = h('input', { type: 'checkbox', id, checked: Boolean(draft.sceneBackground), disabled: Boolean(off), 'aria-describedby': `${id}-why` });
    box.addEventListener('change', () => { draft.sceneBackground = box.checked; persist(); drawScene(); });
    const text = h('input', { type: 'text', id: uid('scenetext'), maxlength: 2000, value: draft.sceneText || '', placeholder: t('image.scenePlaceholder') });
    text.addEventListener('input', () => { draft.sceneText = text.value; persist(); });
    replace(
      sceneSlot,
      h('div', { class: 'radio' }, box, h('label', { for: id }, t('image.scene')),
        h('span', { class: 'hint', id: `${id}-why` }, ` — ${off || t('image.sceneHint')}`)),
      draft.sceneBackground ? h('div', { class: 'field' }, h('label', { for: text.id }, t('image.sceneText')), text) : null,
    );
  }

  // Signed links expire: refresh the saved choice's link when the form opens again.
  if (draft.image && draft.image.id) {
    refreshLink(draft.image).then(
      (fresh) => { draft.image = fresh; persist(); drawChosen(); },
      () => { draft.image = null; persist(); drawChosen(); },
    );
  }
  draw();
  return { el: root, redraw: draw };
}
