// Formats by platform preset (one click selects a platform's sizes) or one by one, sizes shown.
import { h, uid } from '../dom.js';
import { t } from '../i18n.js';

const ORDER = ['meta', 'tiktok', 'google', 'iab', 'pinterest', 'linkedin', 'x', 'snapchat', 'generic'];

function sizeText(f) {
  return f.width && f.height ? `${f.width}×${f.height}` : '';
}

/** The picker; `selected` is a Set of format ids, `onChange()` is called after each change. */
export function formatPicker(formats, selected, onChange, opts = {}) {
  const usable = formats.filter((f) => f.kind === 'creative' || f.kind === 'logo');
  const presets = ORDER.filter((p) => usable.some((f) => f.preset === p));
  const root = h('div', { class: 'formats' });
  const boxes = new Map();
  const presetButtons = new Map();
  const summary = h('p', { class: 'hint', 'aria-live': 'polite' });

  const creativeOf = (p) => usable.filter((f) => f.preset === p && f.kind === 'creative');
  const refresh = () => {
    for (const [id, box] of boxes) {
      box.checked = selected.has(id);
      const f = usable.find((x) => x.id === id);
      box.disabled = f.kind === 'logo' && !opts.logoOk();
    }
    for (const [p, btn] of presetButtons) {
      const all = creativeOf(p).every((f) => selected.has(f.id));
      btn.setAttribute('aria-pressed', String(all));
    }
    const sizes = [...selected].map((id) => {
      const f = usable.find((x) => x.id === id);
      return f ? sizeText(f) || f.id : id;
    });
    summary.textContent = sizes.length
      ? t('formats.selected', { n: sizes.length, sizes: sizes.join(', ') })
      : t('formats.none');
  };

  const toggle = (id, on) => {
    if (on) selected.add(id);
    else selected.delete(id);
  };

  const bar = h('div', { class: 'presets', role: 'group', 'aria-label': t('formats.presets') });
  for (const p of presets) {
    const n = creativeOf(p).length;
    const btn = h('button', { type: 'button', class: 'chip', 'aria-pressed': 'false' }, `${t(`preset.${p}`)} (${n})`);
    btn.addEventListener('click', () => {
      const all = creativeOf(p).every((f) => selected.has(f.id));
      for (const f of creativeOf(p)) toggle(f.id, !all);
      refresh();
      onChange();
    });
    presetButtons.set(p, btn);
    bar.append(btn);
  }
  const clearBtn = h('button', { type: 'button', class: 'chip subtle' }, t('formats.clear'));
  clearBtn.addEventListener('click', () => {
    selected.clear();
    refresh();
    onChange();
  });
  bar.append(clearBtn);
  root.append(bar, summary);

  for (const p of presets) {
    const list = h('ul', { class: 'format-list' });
    for (const f of usable.filter((x) => x.preset === p)) {
      const id = uid('fmt');
      const box = h('input', { type: 'checkbox', id, value: f.id, name: 'format' });
      box.addEventListener('change', () => {
        toggle(f.id, box.checked);
        refresh();
        onChange();
      });
      boxes.set(f.id, box);
      const size = sizeText(f);
      list.append(
        h(
          'li',
          {},
          box,
          h(
            'label',
            { for: id },
            h('span', { dir: 'auto' }, f.placement),
            ' ',
            h('span', { class: 'size' }, size ? `${size}${f.aspect ? ` · ${f.aspect}` : ''}` : ''),
            f.kind === 'logo' ? h('span', { class: 'hint' }, ` — ${t('formats.needsLogo')}`) : null,
          ),
        ),
      );
    }
    const open = usable.some((f) => f.preset === p && selected.has(f.id));
    root.append(
      h(
        'details',
        { class: 'preset-group', open },
        h('summary', {}, h('span', { dir: 'auto' }, usable.filter((f) => f.preset === p)[0].platform)),
        list,
      ),
    );
  }
  refresh();
  return { el: root, refresh };
}
