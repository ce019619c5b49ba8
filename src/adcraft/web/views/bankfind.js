// The image bank as the page and the brief form both use it: semantic search, listings, and the
// shape a picked picture takes in the brief's draft.
import * as api from '../api.js';
import { t } from '../i18n.js';
import * as store from '../store.js';

/**
 * Pictures for a query, best first: {items: [{image, score, matches}], threshold, note}. An empty
 * query lists the tenant's own pictures, then the demo bank's (no scores: nothing was asked).
 */
export async function findPictures(query, limit = 24) {
  const q = query.trim();
  if (q) {
    const found = await api.get(`/bank/search${api.qs({ q, scope: 'all', limit: Math.min(limit, 50) })}`);
    return {
      items: found.hits.map((hit) => ({ image: hit.image, score: hit.score, matches: hit.matches })),
      threshold: found.threshold,
      note: found.note,
    };
  }
  const [own, demo] = await Promise.all([
    api.get(`/bank/images${api.qs({ bank: 'own', limit })}`),
    // A server without a demo bank answers 404 for it: the listing is then the own bank alone.
    api.get(`/bank/images${api.qs({ bank: 'demo', limit })}`).catch((err) => {
      if (err.status === 404) return { items: [] };
      throw err;
    }),
  ]);
  return { items: [...own.items, ...demo.items].map((image) => ({ image })), threshold: null, note: null };
}

/** A score for people: "0.58", with whether it is good enough for a brief. */
export function scoreText(item, threshold) {
  if (item.score === undefined) return '';
  const score = item.score.toFixed(2);
  return item.matches
    ? t('bank.score', { score })
    : t('bank.scoreLow', { score, threshold: Number(threshold).toFixed(2) });
}

/** The brief draft's `image` for a bank picture: `bank` marks it as sent by bank_image. */
export function briefImage(image) {
  return {
    bank: image.bank,
    id: image.id,
    url: image.url,
    name: image.caption,
    width: image.width,
    height: image.height,
  };
}

/** Make a bank picture the image source of the brief being written (the New creative form). */
export function useForBrief(image) {
  const draft = store.load('new', {});
  draft.imageSource = 'bank';
  draft.image = briefImage(image);
  store.save('new', draft);
  store.save('briefNote', { text: t('bank.pickedNote', { caption: image.caption }) });
}

/** A fresh link for a picked picture (signed links expire), or null when it is gone. */
export async function refreshLink(image) {
  if (image.bank) {
    const fresh = await api.get(`/bank/images/${encodeURIComponent(image.id)}${api.qs({ bank: image.bank })}`);
    return { ...image, url: fresh.url };
  }
  const asset = await api.get(`/assets/${image.id}`);
  return { ...image, url: asset.url };
}
