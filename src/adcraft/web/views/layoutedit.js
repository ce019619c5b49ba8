// The layout of one size adjusted by hand: the product and the text block dragged (or moved with
// the arrow keys) over the creative, the product resized with + and −. Nothing is checked here:
// the server re-renders the size and refuses, with the reason, an adjustment that would put text
// over the product, text where the platform's UI covers the image, or the product off it.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';

const TEXT_KINDS = new Set(['headline', 'body', 'cta', 'price', 'badge', 'disclaimer']);
const LIMIT = { move: 1, scaleMin: 0.5, scaleMax: 1.6, zoomMax: 4 };
const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
const round4 = (v) => Math.round(v * 10000) / 10000;

/** The box around every text element (a button's box is its plate), in image pixels. */
function textBlock(boxes) {
  const text = boxes.filter((b) => TEXT_KINDS.has(b.kind)).map((b) => b.box);
  if (!text.length) return null;
  const x = Math.min(...text.map((b) => b[0]));
  const y = Math.min(...text.map((b) => b[1]));
  return [x, y, Math.max(...text.map((b) => b[0] + b[2])) - x, Math.max(...text.map((b) => b[1] + b[3])) - y];
}

/**
 * An editor for creative `c` (its `layout` boxes and current `placement`). `onSave(placement)`
 * gets the whole placement to send (moves from the engine's layout, fractions of the canvas).
 * `message` is where the outcome of a save is said (beside these buttons). Returns the element.
 */
export function layoutEditor(c, { onSave, message }) {
  const W = c.width;
  const H = c.height;
  const base = c.placement || {};
  const start = {
    product_dx: base.product_dx || 0,
    product_dy: base.product_dy || 0,
    product_scale: base.product_scale || 1,
    text_dx: base.text_dx || 0,
    text_dy: base.text_dy || 0,
  };
  const productBox = c.layout.find((b) => b.kind === 'product') || {};
  const product = productBox.box || null;
  // The part of the photo this size shows: only a framed photo may be cropped (a cut-out's
  // outline would end in a straight cut), so only its editor offers it.
  // A cut-out may be swapped for the whole photo in this size, which may then be cropped.
  let keep = Boolean(base.keep_background);
  const canKeep = Boolean(product) && (!productBox.framed || keep);
  const cropOn = () => keep || (productBox.framed && !base.keep_background);
  const crop = {
    photo_zoom: base.photo_zoom || 1,
    photo_x: base.photo_x ?? 0.5,
    photo_y: base.photo_y ?? 0.5,
  };
  const text = textBlock(c.layout);
  // Moves made in this editor since it opened, on top of the saved placement.
  let delta = { product_dx: 0, product_dy: 0, product_scale: 1, text_dx: 0, text_dy: 0 };

  const stage = h('div', { class: 'layout-stage', dir: 'ltr' }, h('img', { src: c.image_url, alt: '' }));
  // The stage has the image's own aspect and fits the dialog's height, so percentages of the
  // stage are percentages of the image.
  stage.style.aspectRatio = `${W} / ${H}`;
  stage.style.width = `min(100%, ${Math.round((55 * W) / H)}vh)`;
  const status = h('p', { class: 'hint', 'aria-live': 'polite' });

  function handle(kind, box) {
    const el = h('button', {
      type: 'button',
      class: `layout-handle ${kind}`,
      'aria-label': t(`layout.${kind}`),
      'aria-describedby': 'layout-keys',
    });
    const place = () => {
      let [x, y, w, hh] = box;
      if (kind === 'product') {
        const cx = x + w / 2 + delta.product_dx * W;
        const cy = y + hh / 2 + delta.product_dy * H;
        w *= delta.product_scale;
        hh *= delta.product_scale;
        x = cx - w / 2;
        y = cy - hh / 2;
      } else {
        x += delta.text_dx * W;
        y += delta.text_dy * H;
      }
      Object.assign(el.style, {
        left: `${(100 * x) / W}%`, top: `${(100 * y) / H}%`, width: `${(100 * w) / W}%`, height: `${(100 * hh) / H}%`,
      });
    };
    const move = (dx, dy) => {
      const key = kind === 'product' ? 'product' : 'text';
      delta[`${key}_dx`] = clamp(delta[`${key}_dx`] + dx, -LIMIT.move - start[`${key}_dx`], LIMIT.move - start[`${key}_dx`]);
      delta[`${key}_dy`] = clamp(delta[`${key}_dy`] + dy, -LIMIT.move - start[`${key}_dy`], LIMIT.move - start[`${key}_dy`]);
      redraw();
    };
    el.addEventListener('keydown', (ev) => {
      const step = ev.shiftKey ? 0.05 : 0.01;
      const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
      if (moves[ev.key]) {
        ev.preventDefault();
        move(...moves[ev.key]);
      } else if (kind === 'product' && (ev.key === '+' || ev.key === '=' || ev.key === '-' || ev.key === '−')) {
        ev.preventDefault();
        const k = ev.key === '+' || ev.key === '=' ? 1.05 : 1 / 1.05;
        const total = clamp(start.product_scale * delta.product_scale * k, LIMIT.scaleMin, LIMIT.scaleMax);
        delta.product_scale = total / start.product_scale;
        redraw();
      }
    });
    el.addEventListener('pointerdown', (ev) => {
      ev.preventDefault();
      el.focus();
      el.setPointerCapture(ev.pointerId);
      const rect = stage.getBoundingClientRect();
      let last = [ev.clientX, ev.clientY];
      const onMove = (e) => {
        move((e.clientX - last[0]) / rect.width, (e.clientY - last[1]) / rect.height);
        last = [e.clientX, e.clientY];
      };
      const onUp = () => {
        el.removeEventListener('pointermove', onMove);
        el.removeEventListener('pointerup', onUp);
      };
      el.addEventListener('pointermove', onMove);
      el.addEventListener('pointerup', onUp);
    });
    return { el, place };
  }

  const handles = [product && handle('product', product), text && handle('text', text)].filter(Boolean);
  stage.append(...handles.map((x) => x.el));

  const placement = () => ({
    product_dx: round4(start.product_dx + delta.product_dx),
    product_dy: round4(start.product_dy + delta.product_dy),
    product_scale: round4(start.product_scale * delta.product_scale),
    text_dx: round4(start.text_dx + delta.text_dx),
    text_dy: round4(start.text_dy + delta.text_dy),
    ...(keep ? { keep_background: true } : {}),
    ...(cropOn() && crop.photo_zoom > 1 ? { photo_zoom: round4(crop.photo_zoom), photo_x: round4(crop.photo_x), photo_y: round4(crop.photo_y) } : {}),
  });
  const pct = (v) => Math.round(v * 100);
  function redraw() {
    for (const x of handles) x.place();
    const p = placement();
    status.textContent = t('layout.now', {
      px: pct(p.product_dx), py: pct(p.product_dy), scale: pct(p.product_scale), tx: pct(p.text_dx), ty: pct(p.text_dy),
    });
    if (cropBox) {
      cropBox.hidden = !cropOn();
      for (const [key, input] of Object.entries(cropInputs)) input.value = String(pct(crop[key]));
      // The focal point means nothing while the whole photo is shown.
      cropInputs.photo_x.disabled = cropInputs.photo_y.disabled = crop.photo_zoom <= 1;
      cropStatus.textContent = crop.photo_zoom > 1
        ? t('layout.photoNow', { zoom: pct(crop.photo_zoom), x: pct(crop.photo_x), y: pct(crop.photo_y) })
        : t('layout.photoWhole');
    }
    save.disabled = unchanged();
  }
  const unchanged = () => delta.product_dx === 0 && delta.product_dy === 0 && delta.product_scale === 1
    && delta.text_dx === 0 && delta.text_dy === 0
    && crop.photo_zoom === (base.photo_zoom || 1) && crop.photo_x === (base.photo_x ?? 0.5) && crop.photo_y === (base.photo_y ?? 0.5)
    && keep === Boolean(base.keep_background);

  // Sliders (not a drag on the picture): each is a labelled control the keyboard and screen
  // readers already know, and the new crop is drawn by the server on saving.
  const cropInputs = {};
  const slider = (key, min, max, step) => {
    const input = h('input', { type: 'range', min, max, step, id: `crop-${key}` });
    input.addEventListener('input', () => {
      crop[key] = Number(input.value) / 100;
      redraw();
    });
    cropInputs[key] = input;
    return h('div', { class: 'crop-field' }, h('label', { for: input.id }, t(`layout.${key}`)), input);
  };
  const cropStatus = h('p', { class: 'hint', 'aria-live': 'polite' });
  const keepBox = h('input', { type: 'checkbox', id: 'keep-background', checked: keep });
  keepBox.addEventListener('change', () => {
    keep = keepBox.checked;
    redraw();
  });
  const keepField = canKeep
    ? h('div', { class: 'crop-field' }, keepBox, h('label', { for: 'keep-background' }, t('layout.keepBackground')))
    : null;
  const cropBox = productBox.framed || canKeep
    ? h('fieldset', { class: 'crop' },
        h('legend', {}, t('layout.photo')),
        h('p', { class: 'hint' }, t('layout.photoHint')),
        slider('photo_zoom', 100, LIMIT.zoomMax * 100, 10),
        slider('photo_x', 0, 100, 1),
        slider('photo_y', 0, 100, 1),
        cropStatus)
    : null;

  const save = h('button', { type: 'button', class: 'primary', dataset: { work: '1' } }, t('layout.save'));
  save.addEventListener('click', () => onSave(placement()));
  const undo = h('button', { type: 'button', class: 'subtle' }, t('layout.undo'));
  undo.addEventListener('click', () => {
    delta = { product_dx: 0, product_dy: 0, product_scale: 1, text_dx: 0, text_dy: 0 };
    keep = Boolean(base.keep_background);
    keepBox.checked = keep;
    Object.assign(crop, { photo_zoom: base.photo_zoom || 1, photo_x: base.photo_x ?? 0.5, photo_y: base.photo_y ?? 0.5 });
    redraw();
  });
  const automatic = h('button', { type: 'button', dataset: { work: '1' } }, t('layout.automatic'));
  automatic.addEventListener('click', () => onSave({}));
  automatic.hidden = !c.placement;

  const box = h('section', { class: 'layout-editor', 'aria-labelledby': 'layout-title' });
  if (!c.layout.length) {
    replace(box, h('h3', { id: 'layout-title' }, t('layout.title')), h('p', { class: 'hint' }, t('layout.unavailable')));
    return box;
  }
  replace(
    box,
    h('h3', { id: 'layout-title' }, t('layout.title')),
    h('p', { class: 'hint', id: 'layout-keys' }, t('layout.hint')),
    stage,
    status,
    keepField,
    cropBox,
    h('div', { class: 'row' }, save, undo, automatic),
    message,
  );
  redraw();
  return box;
}
