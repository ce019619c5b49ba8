// Analytics: the pilot metrics and delivery (impressions, clicks, CTR) over time, per campaign
// and format, from /analytics/*. Every chart is followed by a table with the same numbers.
import * as api from '../api.js';
import { h, replace, uid } from '../dom.js';
import { t } from '../i18n.js';
import * as store from '../store.js';
import { dataTable, timeChart } from '../charts.js';
import { errorBox, field, formatCount, formatDate, formatLabel, formatPercent, formatSeconds } from '../ui.js';

const PERIODS = {
  '24h': { hours: 24, bucket: 'hour' },
  '7d': { hours: 24 * 7, bucket: 'day' },
  '30d': { hours: 24 * 30, bucket: 'day' },
};

/** ClickHouse's "2026-12-05 03:00:00" (UTC) as unix seconds. */
export function unixSeconds(text) {
  return Date.parse(`${String(text).replace(' ', 'T')}Z`) / 1000;
}

function formatMs(ms) {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return t('analytics.ms', { n: formatCount(ms) });
  return t('analytics.sec', { n: (ms / 1000).toFixed(1) });
}

function metric(key, value, shown, detail) {
  return h(
    'div',
    { class: 'stat-card', dataset: { metric: key, value: value === null || value === undefined ? '' : String(value) } },
    h('dt', {}, t(`analytics.metric.${key}`)),
    h('dd', {}, h('span', { class: 'metric-value' }, shown), detail ? h('span', { class: 'hint' }, detail) : null),
  );
}

function pilotSection(p) {
  const latency = p.latency_p50_ms === null || p.latency_p50_ms === undefined
    ? '—'
    : t('analytics.latencyLine', { p50: formatMs(p.latency_p50_ms), p95: formatMs(p.latency_p95_ms), p99: formatMs(p.latency_p99_ms) });
  return h(
    'dl',
    { class: 'stat-cards pilot' },
    metric('adoption_rate', p.adoption_rate, formatPercent(p.adoption_rate),
      t('analytics.detail.adoption', { accepted: formatCount(p.accepted_creatives), generated: formatCount(p.generated_creatives) })),
    metric('edit_distance_below_20_share', p.edit_distance_below_20_share, formatPercent(p.edit_distance_below_20_share),
      t('analytics.detail.editDistance')),
    metric('regenerations_at_most_3_share', p.regenerations_at_most_3_share, formatPercent(p.regenerations_at_most_3_share),
      t('analytics.detail.regenerations')),
    metric('time_to_asset_p50_s', p.time_to_asset_p50_s,
      p.time_to_asset_p50_s === null || p.time_to_asset_p50_s === undefined ? '—' : formatSeconds(p.time_to_asset_p50_s),
      t('analytics.detail.timeToAsset')),
    metric('task_success_rate', p.task_success_rate, formatPercent(p.task_success_rate),
      t('analytics.detail.success', { finished: formatCount(p.tasks_finished), failed: formatCount(p.tasks_failed) })),
    metric('latency', p.latency_p50_ms, latency, t('analytics.detail.latency')),
  );
}

function totalsSection(s) {
  return h(
    'dl',
    { class: 'stat-cards totals' },
    metric('impressions', s.impressions, formatCount(s.impressions)),
    metric('clicks', s.clicks, formatCount(s.clicks)),
    metric('ctr', s.ctr, s.impressions ? formatPercent(s.ctr, 2) : '—'),
    metric('conversions', s.conversions, formatCount(s.conversions)),
  );
}

function seriesSection(rows, bucket, charts) {
  if (!rows.length) return h('p', { class: 'hint' }, t('analytics.noDelivery'));
  const xs = rows.map((r) => unixSeconds(r.t));
  const volume = timeChart(
    t('analytics.chart.volume'),
    xs,
    [
      { label: t('analytics.impressions'), values: rows.map((r) => Number(r.impressions)) },
      { label: t('analytics.clicks'), values: rows.map((r) => Number(r.clicks)), scale: 'y2' },
    ],
    { y: formatCount, y2: formatCount },
  );
  const ctr = timeChart(
    t('analytics.chart.ctr'),
    xs,
    [{ label: t('analytics.ctr'), values: rows.map((r) => (Number(r.impressions) ? Number(r.ctr) : null)) }],
    { y: (v) => formatPercent(v, 1) },
  );
  charts.push(volume, ctr);
  const when = (r) => {
    const d = new Date(unixSeconds(r.t) * 1000);
    return bucket === 'day' ? d.toLocaleDateString(undefined, { dateStyle: 'medium', timeZone: 'UTC' }) : formatDate(d.toISOString());
  };
  return h(
    'div',
    { class: 'charts' },
    volume.el,
    ctr.el,
    dataTable(
      t(bucket === 'day' ? 'analytics.table.byDay' : 'analytics.table.byHour'),
      [
        { label: t('analytics.when') },
        { label: t('analytics.impressions'), numeric: true },
        { label: t('analytics.clicks'), numeric: true },
        { label: t('analytics.ctr'), numeric: true },
      ],
      rows.map((r) => [when(r), formatCount(r.impressions), formatCount(r.clicks), Number(r.impressions) ? formatPercent(r.ctr, 2) : '—']),
      { id: 'analytics-series' },
    ),
  );
}

function formatsSection(all, formats) {
  // Platform events (edits, downloads) without a format have no delivery: not a row here.
  const rows = all.filter((r) => Number(r.impressions) || Number(r.clicks));
  if (!rows.length) return h('p', { class: 'hint' }, t('analytics.noDelivery'));
  return dataTable(
    t('analytics.table.byFormat'),
    [
      { label: t('analytics.format') },
      { label: t('analytics.impressions'), numeric: true },
      { label: t('analytics.clicks'), numeric: true },
      { label: t('analytics.ctr'), numeric: true },
    ],
    rows.map((r) => [r.key ? formatLabel(r.key, formats) : t('analytics.noFormat'), formatCount(r.impressions), formatCount(r.clicks),
      Number(r.impressions) ? formatPercent(r.ctr, 2) : '—']),
    { id: 'analytics-formats' },
  );
}

export default async function analytics(main, route, ctx) {
  const saved = store.load('analytics', { campaign: '', period: '7d', format: '' });
  const campaign = h('select', { id: uid('a-campaign') }, h('option', { value: '' }, t('analytics.allCampaigns')));
  const period = h('select', { id: uid('a-period') }, Object.keys(PERIODS).map((p) => h('option', { value: p }, t(`analytics.period.${p}`))));
  const format = h('select', { id: uid('a-format') }, h('option', { value: '' }, t('analytics.allFormats')));
  period.value = PERIODS[saved.period] ? saved.period : '7d';
  const status = h('div', { class: 'slot', 'aria-live': 'polite' });
  const pilot = h('div', { class: 'slot' });
  const totals = h('div', { class: 'slot' });
  const series = h('div', { class: 'slot' });
  const byFormat = h('div', { class: 'slot' });
  let charts = [];
  let seq = 0;

  main.append(
    h('h1', {}, t('analytics.title')),
    h('p', { class: 'hint' }, t('analytics.intro')),
    h('form', { class: 'filters row', onsubmit: (ev) => ev.preventDefault() },
      field(t('analytics.campaign'), campaign),
      field(t('analytics.period'), period),
      field(t('analytics.format'), format)),
    status,
    h('section', { 'aria-labelledby': 'a-pilot' }, h('h2', { id: 'a-pilot' }, t('analytics.pilotTitle')),
      h('p', { class: 'hint' }, t('analytics.pilotIntro')), pilot),
    h('section', { 'aria-labelledby': 'a-delivery' }, h('h2', { id: 'a-delivery' }, t('analytics.deliveryTitle')), totals, series),
    h('section', { 'aria-labelledby': 'a-formats' }, h('h2', { id: 'a-formats' }, t('analytics.formatsTitle')), byFormat),
  );

  const formats = await ctx.formats().catch(() => []);
  try {
    const camps = await api.get(`/campaigns${api.qs({ limit: 100 })}`);
    for (const c of camps.items) campaign.append(h('option', { value: c.id, dir: 'auto' }, c.name));
  } catch {
    /* the filter still offers "all campaigns"; the sections below report real errors */
  }
  campaign.value = saved.campaign;
  if (campaign.value !== saved.campaign) campaign.value = '';

  function clearCharts() {
    charts.forEach((c) => c.destroy());
    charts = [];
  }

  async function load() {
    const mine = ++seq;
    store.save('analytics', { campaign: campaign.value, period: period.value, format: format.value });
    const p = PERIODS[period.value];
    const until = new Date();
    const since = new Date(until.getTime() - p.hours * 3600 * 1000);
    const scope = { campaign_id: campaign.value, since: since.toISOString(), until: until.toISOString() };
    replace(status, h('p', { class: 'hint' }, t('common.loading')));
    main.setAttribute('aria-busy', 'true');
    const [pil, sum, ser, brk] = await Promise.allSettled([
      api.get(`/analytics/pilot${api.qs(scope)}`),
      api.get(`/analytics/summary${api.qs(scope)}`),
      api.get(`/analytics/timeseries${api.qs({ ...scope, bucket: p.bucket, format_id: format.value })}`),
      api.get(`/analytics/breakdown${api.qs({ ...scope, by: 'format_id' })}`),
    ]);
    if (mine !== seq) return;
    clearCharts();
    const show = (slot, res, render) => replace(slot, res.status === 'fulfilled' ? render(res.value) : errorBox(res.reason));
    show(pilot, pil, pilotSection);
    show(totals, sum, totalsSection);
    show(series, ser, (rows) => seriesSection(rows, p.bucket, charts));
    show(byFormat, brk, (rows) => formatsSection(rows, formats));
    if (brk.status === 'fulfilled') {
      const chosen = format.value;
      replace(format, h('option', { value: '' }, t('analytics.allFormats')),
        brk.value.filter((r) => r.key).map((r) => h('option', { value: r.key }, formatLabel(r.key, formats))));
      if (chosen && !brk.value.some((r) => r.key === chosen)) format.append(h('option', { value: chosen }, formatLabel(chosen, formats)));
      format.value = chosen;
    }
    await Promise.all(charts.map((c) => c.ready));
    if (mine !== seq) return;
    replace(status);
    main.removeAttribute('aria-busy');
    main.dataset.loaded = String(mine);
  }

  format.value = saved.format;
  if (saved.format && format.value !== saved.format) {
    format.append(h('option', { value: saved.format }, formatLabel(saved.format, formats)));
    format.value = saved.format;
  }
  for (const el of [campaign, period, format]) el.addEventListener('change', load);
  await load();
  return () => {
    seq += 1;
    clearCharts();
  };
}
