// Experiments: list, create (arms from the workspace's creatives, one control), pause/resume/
// stop, and results — per-arm CTR with Wilson intervals (chart and table) and each arm's
// non-inferiority verdict, "not yet decided" until the sequential design allows one.
import * as api from '../api.js';
import { h, replace, uid } from '../dom.js';
import { t } from '../i18n.js';
import { dataTable, intervalChart } from '../charts.js';
import { actionButton, aspectBox, errorBox, field, formatCount, formatDate, formatLabel, formatPercent, setFieldError, showError } from '../ui.js';
import { sayWarnings } from './gallery.js';

const POLICIES = ['fixed', 'thompson', 'top_two_thompson'];

function statusBadge(status) {
  return h('span', { class: `badge exp-${status}`, dataset: { status } }, t(`exp.status.${status}`));
}

async function listPage(main) {
  const slot = h('div', { class: 'slot' });
  main.append(
    h('h1', {}, t('exp.title')),
    h('p', { class: 'hint' }, t('exp.intro')),
    h('p', {}, h('a', { href: '#/experiments/new', class: 'button' }, t('exp.new'))),
    slot,
  );
  try {
    const rows = await api.get('/experiments');
    if (!rows.length) {
      replace(slot, h('p', { class: 'hint' }, t('exp.empty')));
      return;
    }
    replace(slot, dataTable(
      t('exp.listCaption'),
      [
        { label: t('exp.name') },
        { label: t('exp.placement') },
        { label: t('exp.policy') },
        { label: t('exp.statusLabel') },
        { label: t('exp.arms'), numeric: true },
        { label: t('exp.created') },
      ],
      rows.map((e) => [
        h('a', { href: `#/experiments/${encodeURIComponent(e.id)}`, dir: 'auto' }, e.name),
        e.placement,
        t(`exp.policy.${e.policy}`),
        statusBadge(e.status),
        formatCount(e.arms.length),
        formatDate(e.created_at),
      ]),
      { id: 'experiments-list' },
    ));
  } catch (err) {
    replace(slot, errorBox(err));
  }
}

function armName(c, formats) {
  const headline = (c.copy && c.copy.headline) || c.id;
  return `${headline} · ${formatLabel(c.format, formats)} · ${t('exp.variant', { n: c.variant })}`.slice(0, 100);
}

async function createPage(main, ctx) {
  const slot = h('div', { class: 'slot' });
  main.append(
    h('p', {}, h('a', { href: '#/experiments' }, t('exp.back'))),
    h('h1', {}, t('exp.createTitle')),
    slot,
  );
  let creatives;
  let formats;
  try {
    [creatives, formats] = await Promise.all([
      api.get(`/creatives${api.qs({ limit: 200 })}`),
      ctx.formats().catch(() => []),
    ]);
  } catch (err) {
    replace(slot, errorBox(err));
    return;
  }
  if (creatives.items.length < 2) {
    replace(slot, h('p', { class: 'hint' }, t('exp.needCreatives')), h('p', {}, h('a', { href: '#/new' }, t('nav.new'))));
    return;
  }
  const name = h('input', { type: 'text', id: uid('x-name'), maxlength: 200, required: true, autocomplete: 'off' });
  const placement = h('input', { type: 'text', id: uid('x-place'), maxlength: 64, required: true, value: 'homepage', pattern: '[A-Za-z0-9_.:\\-]+' });
  const policy = h('select', { id: uid('x-policy') }, POLICIES.map((p) => h('option', { value: p }, t(`exp.policy.${p}`))));
  const margin = h('input', { type: 'number', id: uid('x-margin'), min: 0.5, max: 1, step: 0.01, value: '0.9' });
  const baseline = h('input', { type: 'number', id: uid('x-base'), min: 0.01, max: 99, step: 0.01, value: '2' });
  const minImps = h('input', { type: 'number', id: uid('x-min'), min: 0, step: 1, value: '200' });
  const armsErr = h('div', { class: 'field-error', id: uid('x-arms-err'), role: 'alert' });
  const rows = creatives.items.map((c, i) => {
    const use = h('input', { type: 'checkbox', id: uid('x-use'), value: c.id, checked: i < 2 });
    const control = h('input', { type: 'radio', name: 'x-control', value: c.id, checked: i === 0, 'aria-label': t('exp.controlFor', { name: armName(c, formats) }) });
    return {
      creative: c,
      use,
      control,
      el: h(
        'li',
        { class: 'arm-pick' },
        aspectBox(c.width, c.height, h('img', { src: c.image_url, alt: '', loading: 'lazy' }), 'arm-thumb'),
        h('label', { for: use.id }, use, ' ', armName(c, formats)),
        h('label', { class: 'control-pick' }, control, ' ', h('span', { 'aria-hidden': 'true' }, t('exp.control'))),
      ),
    };
  });
  const result = h('div', { class: 'slot' });
  const submit = h('button', { type: 'submit' }, t('exp.create'));
  const form = h(
    'form',
    { class: 'exp-form', novalidate: true },
    field(t('exp.name'), name),
    field(t('exp.placement'), placement, t('exp.placementHint')),
    field(t('exp.policy'), policy, t('exp.policyHint')),
    h(
      'fieldset',
      { 'aria-describedby': armsErr.id },
      h('legend', {}, t('exp.armsLegend')),
      h('p', { class: 'hint' }, t('exp.armsHint')),
      h('ul', { class: 'arm-picks' }, rows.map((r) => r.el)),
      armsErr,
    ),
    h(
      'details',
      { class: 'design' },
      h('summary', {}, t('exp.designTitle')),
      field(t('exp.margin'), margin, t('exp.marginHint')),
      field(t('exp.baseline'), baseline, t('exp.baselineHint')),
      field(t('exp.minImpressions'), minImps, t('exp.minImpressionsHint')),
    ),
    h('div', { class: 'row' }, submit),
    result,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    let bad = null;
    setFieldError(name, name.value.trim() ? '' : t('exp.error.name'));
    if (!name.value.trim()) bad = bad || name;
    const placeOk = /^[A-Za-z0-9_.:-]+$/.test(placement.value);
    setFieldError(placement, placeOk ? '' : t('exp.error.placement'));
    if (!placeOk) bad = bad || placement;
    const chosen = rows.filter((r) => r.use.checked);
    const ctrl = rows.find((r) => r.control.checked);
    let armsMsg = '';
    if (chosen.length < 2) armsMsg = t('exp.error.twoArms');
    else if (!ctrl || !ctrl.use.checked) armsMsg = t('exp.error.control');
    armsErr.textContent = armsMsg;
    if (armsMsg) bad = bad || (chosen[0] ? chosen[0].use : rows[0].use);
    if (bad) {
      bad.focus();
      return;
    }
    submit.disabled = true;
    try {
      const exp = await api.post('/experiments', {
        name: name.value.trim(),
        placement: placement.value,
        policy: policy.value,
        margin: Number(margin.value),
        expected_control_ctr: Number(baseline.value) / 100,
        guardrails: { min_impressions: Math.max(0, Math.round(Number(minImps.value) || 0)) },
        arms: chosen.map((r) => ({ creative_id: r.creative.id, control: r === ctrl, name: armName(r.creative, formats) })),
      });
      ctx.announce(t('exp.createdNote', { name: exp.name }));
      ctx.navigate(`#/experiments/${encodeURIComponent(exp.id)}`);
    } catch (err) {
      showError(result, err);
    } finally {
      submit.disabled = false;
    }
  });
  replace(slot, form);
  name.focus();
}

function verdictText(v) {
  return h('span', { class: `verdict ${v}`, dataset: { verdict: v } }, t(`exp.verdict.${v}`));
}

function interval(pair) {
  if (!pair || pair[0] === null || pair[0] === undefined) return '—';
  return t('exp.interval', { lo: formatPercent(pair[0], 2), hi: formatPercent(pair[1], 2) });
}

function pValue(p) {
  if (p === null || p === undefined) return '—';
  return p < 0.0001 ? '< 0.0001' : p.toFixed(4);
}

function resultsSection(res, charts) {
  const armsById = Object.fromEntries(res.arms.map((a) => [a.arm_id, a]));
  const armNames = Object.fromEntries(res.arms.map((a) => [a.arm_id, a.name]));
  const control = armsById[res.control_arm_id];
  const bound = control && control.ctr !== null ? res.design.margin * control.ctr : null;
  const chart = intervalChart(
    t('exp.chartCaption'),
    res.arms.map((a) => ({ label: a.control ? `${t('exp.control')}: ${a.name}` : a.name, value: a.ctr, lo: a.ctr === null ? null : a.ctr_interval[0], hi: a.ctr === null ? null : a.ctr_interval[1] })),
    { format: (v) => formatPercent(v, 1), bound, boundLabel: t('exp.bound', { margin: res.design.margin }) },
  );
  charts.push(chart);
  const decided = res.comparisons.filter((c) => c.verdict !== 'not_yet_decided').length;
  return h(
    'div',
    {},
    h('p', { class: 'design-line' }, t('exp.designLine', { margin: res.design.margin, alpha: res.design.alpha, looks: res.design.looks })),
    h('p', { class: 'hint' }, decided === res.comparisons.length && decided ? t('exp.allDecided') : t('exp.undecidedHint')),
    res.warnings.length
      ? h('ul', { class: 'msg msg-warn' }, sayWarnings(res.warnings, res.warning_notes, { arm: armNames }).map((w) => h('li', {}, w)))
      : null,
    chart.el,
    dataTable(
      t('exp.armsCaption'),
      [
        { label: t('exp.arm') },
        { label: t('exp.role') },
        { label: t('analytics.impressions'), numeric: true },
        { label: t('analytics.clicks'), numeric: true },
        { label: t('analytics.ctr'), numeric: true },
        { label: t('exp.intervalLabel'), numeric: true },
      ],
      res.arms.map((a) => [a.name, a.control ? t('exp.control') : t('exp.challenger'), formatCount(a.impressions), formatCount(a.clicks),
        a.ctr === null ? '—' : formatPercent(a.ctr, 2), a.ctr === null ? '—' : interval(a.ctr_interval)]),
      { id: 'exp-arms' },
    ),
    dataTable(
      t('exp.comparisonsCaption', { margin: res.design.margin }),
      [
        { label: t('exp.arm') },
        { label: t('exp.ratio'), numeric: true },
        { label: t('exp.verdict') },
        { label: t('exp.pHolm'), numeric: true },
        { label: t('exp.pFixed'), numeric: true },
      ],
      res.comparisons.map((c) => [
        armsById[c.arm_id] ? armsById[c.arm_id].name : c.arm_id,
        c.ctr_ratio_to_control === null ? '—' : c.ctr_ratio_to_control.toFixed(3),
        verdictText(c.verdict),
        pValue(c.p_non_inferior_holm),
        pValue(c.p_non_inferior_fixed_horizon),
      ]),
      { id: 'exp-comparisons' },
    ),
    h('p', { class: 'hint' }, t('exp.fixedNote')),
  );
}

async function detailPage(main, id, ctx) {
  const top = h('div', { class: 'slot' });
  main.append(h('p', {}, h('a', { href: '#/experiments' }, t('exp.back'))), top);
  const charts = [];
  let exp;
  try {
    exp = await api.get(`/experiments/${encodeURIComponent(id)}`);
  } catch (err) {
    replace(top, errorBox(err));
    return null;
  }
  const actionsSlot = h('div', { class: 'slot' });
  const actions = [];
  const act = (action) => actionButton(t(`exp.action.${action}`), async () => {
    try {
      const after = await api.post(`/experiments/${encodeURIComponent(id)}/${action}`);
      ctx.announce(t('exp.statusNow', { status: t(`exp.status.${after.status}`) }));
      ctx.navigate(location.hash);
    } catch (err) {
      showError(actionsSlot, err);
    }
  });
  if (exp.status === 'running') actions.push(act('pause'));
  if (exp.status === 'paused') actions.push(act('resume'));
  if (exp.status !== 'stopped') {
    const confirm = h('div', { class: 'row', hidden: true },
      h('span', {}, t('exp.stopConfirm')), act('stop'),
      h('button', { type: 'button', class: 'link', onclick: () => { confirm.hidden = true; stopAsk.hidden = false; stopAsk.focus(); } }, t('exp.keepRunning')));
    const stopAsk = h('button', { type: 'button', onclick: () => { stopAsk.hidden = true; confirm.hidden = false; confirm.querySelector('button').focus(); } }, t('exp.stopAsk'));
    actions.push(stopAsk, confirm);
  }
  const results = h('div', { class: 'slot' }, h('p', { class: 'hint' }, t('common.loading')));
  replace(
    top,
    h('h1', { class: 'user-text' }, exp.name),
    h('dl', { class: 'facts' },
      h('dt', {}, t('exp.statusLabel')), h('dd', { id: 'exp-status' }, statusBadge(exp.status)),
      h('dt', {}, t('exp.placement')), h('dd', {}, h('bdi', {}, exp.placement)),
      h('dt', {}, t('exp.policy')), h('dd', {}, t(`exp.policy.${exp.policy}`)),
      h('dt', {}, t('exp.created')), h('dd', {}, formatDate(exp.created_at)),
      exp.stopped_at ? [h('dt', {}, t('exp.stopped')), h('dd', {}, formatDate(exp.stopped_at))] : null),
    h('p', { class: 'hint' }, t(`exp.serving.${exp.status}`)),
    h('div', { class: 'row exp-actions' }, actions),
    actionsSlot,
    h('section', { 'aria-labelledby': 'exp-results' }, h('h2', { id: 'exp-results' }, t('exp.results')), results),
  );
  try {
    const res = await api.get(`/experiments/${encodeURIComponent(id)}/results`);
    replace(results, resultsSection(res, charts));
    await Promise.all(charts.map((c) => c.ready));
    main.dataset.loaded = 'true';
  } catch (err) {
    replace(results, errorBox(err));
  }
  return () => charts.forEach((c) => c.destroy());
}

export default async function experiments(main, route, ctx) {
  if (route.args[0] === 'new') return createPage(main, ctx);
  if (route.args[0]) return detailPage(main, route.args[0], ctx);
  return listPage(main);
}
