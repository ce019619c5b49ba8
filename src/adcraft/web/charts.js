// Charts for the Analytics and Experiments pages, drawn with the vendored uPlot (canvas).
// A chart is decoration for sighted users: its canvas is aria-hidden and every chart is
// followed by a table with the same numbers, which is also what shows if uPlot fails to load.
import { h } from './dom.js';
import { t } from './i18n.js';

let loading = null;

/** uPlot, loaded once on first use (script and stylesheet from /vendor, allowed by the CSP). */
export function loadUplot() {
  if (window.uPlot) return Promise.resolve(window.uPlot);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      document.head.append(h('link', { rel: 'stylesheet', href: '/vendor/uPlot.min.css' }));
      const script = h('script', { src: '/vendor/uPlot.iife.min.js' });
      script.addEventListener('load', () => resolve(window.uPlot));
      script.addEventListener('error', () => {
        loading = null;
        script.remove();
        reject(new Error('uPlot did not load'));
      });
      document.head.append(script);
    });
  }
  return loading;
}

// Colours picked for contrast on white and for telling apart without colour vision:
// series also differ in dash pattern, and the legend names them.
export const COLOURS = ['#1d4ed8', '#b45309', '#047857', '#7c3aed', '#be123c', '#0f766e'];
const DASHES = [[], [6, 4], [2, 3], [10, 3, 2, 3]];

function widthOf(el) {
  return Math.max(280, Math.floor(el.getBoundingClientRect().width || el.clientWidth || 600));
}

/**
 * A chart slot: a figure with a caption, a legend and an aria-hidden canvas area. `draw(area,
 * uPlot)` makes the uPlot instance; the slot resizes it with the page and returns a teardown.
 */
function chartSlot(caption, legend, draw) {
  const area = h('div', { class: 'chart-area', 'aria-hidden': 'true' });
  const fig = h(
    'figure',
    { class: 'chart' },
    h('figcaption', {}, caption),
    legend.length
      ? h('ul', { class: 'chart-legend', 'aria-hidden': 'true' }, legend.map((l, i) => h(
        'li',
        {},
        h('span', { class: `swatch dash-${i % DASHES.length}`, style: { borderColor: l.colour } }),
        l.label,
      )))
      : null,
    area,
  );
  let plot = null;
  let observer = null;
  const ready = loadUplot().then(
    (uPlot) => {
      plot = draw(area, uPlot, widthOf(area));
      fig.dataset.drawn = 'true';
      if (typeof ResizeObserver !== 'undefined') {
        observer = new ResizeObserver(() => {
          if (plot) plot.setSize({ width: widthOf(area), height: plot.height });
        });
        observer.observe(area);
      }
    },
    () => {
      area.removeAttribute('aria-hidden');
      area.append(h('p', { class: 'hint' }, t('chart.unavailable')));
      fig.dataset.drawn = 'false';
    },
  );
  const destroy = () => {
    if (observer) observer.disconnect();
    if (plot) plot.destroy();
    plot = null;
  };
  return { el: fig, ready, destroy };
}

/**
 * Lines over time. xs: unix seconds; series: [{label, values, scale ('y' or 'y2')}];
 * axes: {y: formatter, y2: formatter} for the tick labels.
 */
export function timeChart(caption, xs, series, axes = {}) {
  const legend = series.map((s, i) => ({ label: s.label, colour: COLOURS[i % COLOURS.length] }));
  return chartSlot(caption, legend, (area, uPlot, width) => {
    const scales = { x: { time: true } };
    const yAxes = [];
    for (const scale of ['y', 'y2']) {
      if (!series.some((s) => (s.scale || 'y') === scale)) continue;
      scales[scale] = { range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1] };
      const fmt = axes[scale] || ((v) => String(v));
      yAxes.push({ scale, side: scale === 'y' ? 3 : 1, values: (u, ticks) => ticks.map(fmt), grid: { show: scale === 'y' } });
    }
    return new uPlot(
      {
        width,
        height: 240,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales,
        axes: [{}, ...yAxes],
        series: [
          {},
          ...series.map((s, i) => ({
            label: s.label,
            scale: s.scale || 'y',
            stroke: COLOURS[i % COLOURS.length],
            dash: DASHES[i % DASHES.length],
            width: 2,
            points: { show: xs.length < 60 },
          })),
        ],
      },
      [xs, ...series.map((s) => s.values)],
      area,
    );
  });
}

/**
 * One point per arm with its interval as a whisker (CTR with Wilson intervals); `bound` draws a
 * dashed horizontal line (the non-inferiority bound, margin × control CTR).
 */
export function intervalChart(caption, arms, { format = (v) => String(v), bound = null, boundLabel = '' } = {}) {
  const legend = [{ label: t('chart.estimate'), colour: COLOURS[0] }];
  if (bound !== null) legend.push({ label: boundLabel, colour: COLOURS[1] });
  return chartSlot(caption, legend, (area, uPlot, width) => {
    const xs = arms.map((_, i) => i);
    const top = Math.max(bound || 0, ...arms.map((a) => (a.hi == null ? 0 : a.hi)));
    const whiskers = (u) => {
      const { ctx } = u;
      ctx.save();
      ctx.strokeStyle = COLOURS[0];
      ctx.lineWidth = 2 * devicePixelRatio;
      const cap = 8 * devicePixelRatio;
      arms.forEach((a, i) => {
        if (a.lo == null || a.hi == null) return;
        const x = u.valToPos(i, 'x', true);
        const y0 = u.valToPos(a.lo, 'y', true);
        const y1 = u.valToPos(a.hi, 'y', true);
        ctx.beginPath();
        ctx.moveTo(x, y0);
        ctx.lineTo(x, y1);
        ctx.moveTo(x - cap, y0);
        ctx.lineTo(x + cap, y0);
        ctx.moveTo(x - cap, y1);
        ctx.lineTo(x + cap, y1);
        ctx.stroke();
      });
      if (bound !== null) {
        const y = u.valToPos(bound, 'y', true);
        ctx.strokeStyle = COLOURS[1];
        ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
        ctx.beginPath();
        ctx.moveTo(u.bbox.left, y);
        ctx.lineTo(u.bbox.left + u.bbox.width, y);
        ctx.stroke();
      }
      ctx.restore();
    };
    return new uPlot(
      {
        width,
        height: 260,
        legend: { show: false },
        cursor: { show: false },
        scales: {
          x: { time: false, range: [-0.5, arms.length - 0.5] },
          y: { range: [0, top > 0 ? top * 1.15 : 1] },
        },
        axes: [
          { splits: () => xs, values: (u, ticks) => ticks.map((i) => (arms[i] ? arms[i].label : '')) },
          { values: (u, ticks) => ticks.map(format) },
        ],
        series: [
          {},
          { label: t('chart.estimate'), stroke: COLOURS[0], fill: COLOURS[0], paths: () => null, points: { show: true, size: 10, fill: COLOURS[0] } },
        ],
        hooks: { draw: [whiskers] },
      },
      [xs, arms.map((a) => a.value)],
      area,
    );
  });
}

/** A table with a caption: columns [{label, numeric}], rows of cells (text or nodes). */
export function dataTable(caption, columns, rows, attrs = {}) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'data', ...attrs },
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.numeric ? 'num' : null }, c.label)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((cell, i) => (i === 0
        ? h('th', { scope: 'row' }, cell)
        : h('td', { class: columns[i].numeric ? 'num' : null }, cell)))))),
    ),
  );
}
