// The creative where it will run: a full-screen story or reel under the platform's own UI (the
// bands it covers shaded, as the format's safe zone says), a feed post between its header and
// its call-to-action bar, a display banner in a page. Drawn with boxes, not screenshots of any
// platform: it shows what is covered and what is not, not what the app looks like.
import { h } from '../dom.js';
import { t } from '../i18n.js';

const pct = (v) => `${(v * 100).toFixed(2)}%`;

/** Which kind of place a format runs in. */
export function placeKind(c, fmt) {
  const zone = (fmt && fmt.safe_zone) || {};
  const covered = ['top', 'bottom', 'left', 'right'].some((k) => (zone[k] || 0) > 0);
  if (covered && c.height > c.width) return 'screen';
  if (Math.max(c.width / c.height, c.height / c.width) >= 2.5) return 'page';
  return 'feed';
}

function band(side, size, label) {
  const el = h('div', { class: `mock-band ${side}`, dataset: { side } }, label ? h('span', {}, label) : null);
  const vertical = side === 'top' || side === 'bottom';
  el.style[vertical ? 'height' : 'width'] = pct(size);
  return el;
}

/** The mock-up of creative `c` in its format `fmt` (a FormatOut with `safe_zone`). */
export function mockup(c, fmt) {
  const kind = placeKind(c, fmt);
  const img = h('img', { src: c.image_url, alt: '' });
  const stage = h('div', { class: 'mock-stage', dir: 'ltr' }, img);
  stage.style.aspectRatio = `${c.width} / ${c.height}`;
  const frame = h('figure', { class: `mock ${kind}`, dataset: { kind } });
  if (kind === 'screen') {
    const zone = fmt.safe_zone;
    stage.style.width = `min(100%, ${Math.round((55 * c.width) / c.height)}vh)`;
    if (zone.top) {
      stage.append(band('top', zone.top, t('mock.top')), h('div', { class: 'mock-profile' }, h('i'), h('b')));
    }
    if (zone.bottom) {
      stage.append(band('bottom', zone.bottom, t('mock.bottom')),
        h('div', { class: 'mock-cta', style: { bottom: pct(zone.bottom * 0.15) } }));
    }
    if (zone.right) stage.append(band('right', zone.right, null), h('div', { class: 'mock-actions' }, h('i'), h('i'), h('i')));
    if (zone.left) stage.append(band('left', zone.left, null));
    frame.append(stage, h('figcaption', { class: 'hint' }, t('mock.screenCaption')));
  } else if (kind === 'feed') {
    // The post is as wide as its image.
    frame.style.width = `min(100%, ${Math.round((45 * c.width) / c.height)}vh)`;
    frame.append(
      h('div', { class: 'mock-post-head' }, h('i'), h('b'), h('small', {}, t('mock.sponsored'))),
      stage,
      h('div', { class: 'mock-post-foot' }, h('b'), h('span', { class: 'mock-button' }, t('mock.learnMore'))),
      h('figcaption', { class: 'hint' }, t('mock.feedCaption')),
    );
  } else {
    frame.append(
      h('div', { class: 'mock-lines' }, h('i'), h('i')),
      stage,
      h('div', { class: 'mock-lines' }, h('i'), h('i'), h('i')),
      h('figcaption', { class: 'hint' }, t('mock.pageCaption')),
    );
  }
  return frame;
}
