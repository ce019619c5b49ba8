// Two creatives side by side: both images at one scale (a 300×250 beside a 1080×1080 shows how
// much smaller it is), and beside each what the detail dialog says of it: format, variant and
// style, rank and score, its copy, the warnings and score reasons in words, and whether it may be
// published. A modal dialog like the creative's: focus goes in on open, back to the opener on close.
import { h, textDir } from '../dom.js';
import { t } from '../i18n.js';
import { aspectBox, formatLabel } from '../ui.js';
import { publishableReasons, reasonsOf } from './gallery.js';

/** One creative's column; `scale` is the share of the column one image pixel takes (×100 %). */
function column(c, { formats, rankOf, total, scale, frame, side }) {
  const label = `${formatLabel(c.format, formats)} ${c.width}×${c.height}`;
  const { reasons, warnings } = reasonsOf(c, formats);
  const platform = c.platform_text || {};
  const copy = [
    ...Object.entries(c.copy || {}),
    ...Object.entries(platform).filter(([k]) => !(k in (c.copy || {}))),
  ].filter(([, v]) => v);
  const dir = textDir(c.language, ...copy.map(([, v]) => v));
  const headingId = `compare-${side}`;
  const box = aspectBox(c.width, c.height, h('img', { src: c.image_url, alt: t('gallery.alt', { label, headline: (c.copy || {}).headline || '' }) }), 'compare-image');
  box.style.width = `${(100 * c.width * scale).toFixed(3)}%`;
  const blocked = c.publishable === false;
  return h(
    'section',
    { class: 'compare-col', dataset: { id: c.id }, 'aria-labelledby': headingId },
    h('h3', { id: headingId, dir: 'auto' }, t('detail.title', { variant: c.variant, label })),
    h('div', { class: 'compare-frame', style: { aspectRatio: frame.ratio, width: `min(100%, ${frame.maxWidthVh.toFixed(2)}vh)` } }, box),
    h('dl', { class: 'compare-facts' },
      h('dt', {}, t('compare.format')), h('dd', { dir: 'auto' }, label),
      h('dt', {}, t('compare.variant')), h('dd', {}, t('compare.variantStyle', { n: c.variant, style: t(`style.${c.style}`, {}, c.style) })),
      h('dt', {}, t('compare.rank')), h('dd', {}, t('compare.rankScore', {
        rank: t('gallery.rank', { rank: rankOf.get(c.id) || c.rank, total }),
        score: t('gallery.score', { score: Math.round(c.score) }),
      })),
      h('dt', {}, t('compare.publishable')),
      h('dd', { class: blocked ? 'compare-blocked' : 'compare-ok' },
        blocked ? t('gallery.flag.notPublishable', { reasons: publishableReasons(c, formats).join('; ') }) : t('compare.yes')),
      c.review_state ? [h('dt', {}, t('review.title')), h('dd', {}, t(`review.state.${c.review_state}`))] : null),
    h('h4', {}, t('detail.copy')),
    copy.length
      ? h('dl', { class: 'compare-copy' }, copy.map(([name, text]) => [
        h('dt', {}, t(`field.${name}`, {}, name)),
        h('dd', { dir }, text),
      ]))
      : h('p', { class: 'hint' }, t('compare.noCopy')),
    h('h4', {}, t('compare.notes')),
    reasons.length || warnings.length
      ? h('ul', { class: 'reasons all' }, reasons.map((r) => h('li', {}, r)), warnings.map((r) => h('li', { class: 'warn' }, r)))
      : h('p', { class: 'hint' }, t('compare.noNotes')),
  );
}

/** Open the side-by-side view of creatives `a` and `b` (rank numbers as the gallery shows them). */
export function openCompare(a, b, { formats, rankOf, total }) {
  const opener = document.activeElement;
  const dialog = h('dialog', { class: 'compare', 'aria-labelledby': 'compare-title' });
  dialog.addEventListener('close', () => {
    dialog.remove();
    // The toolbar may have been drawn again meanwhile: its Compare button then.
    const back = opener && opener.isConnected ? opener : document.querySelector('[data-opener="compare"]');
    if (back) back.focus();
  });
  // One scale for both: the largest side of either image fills the column's width.
  // Both frames are as tall as the taller image, so the two stand on one line.
  const longest = Math.max(a.width, a.height, b.width, b.height);
  // At most 45 % of the window high, so the facts and the copy show beside the images.
  const tallest = Math.max(a.height, b.height);
  const frame = { ratio: `${longest} / ${tallest}`, maxWidthVh: (45 * longest) / tallest };
  const ctx = { formats, rankOf, total, scale: 1 / longest, frame };
  dialog.append(
    h('div', { class: 'detail-head' },
      h('h2', { id: 'compare-title' }, t('compare.title')),
      h('button', { type: 'button', class: 'link', onclick: () => dialog.close() }, t('action.close'))),
    h('p', { class: 'hint' }, t('compare.sameScale')),
    h('div', { class: 'compare-body' }, column(a, { ...ctx, side: 'a' }), column(b, { ...ctx, side: 'b' })),
  );
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}
