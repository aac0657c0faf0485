/** UTM parameters of the page URL (SEMANTICS.md §3.2, API.md I.9). */
import type { Utm } from './types.ts';

/**
 * The five UTM values: first occurrence, URL-decoded, trimmed; no case folding, no length limit.
 * A Google or Microsoft click id without a medium records the medium `(gclid)` / `(msclkid)`
 * (the v6.19 rule), so paid search is recognisable without storing the id itself.
 */
export function readUtm(query: URLSearchParams, referrerName: string): Utm {
  const read = (key: string): string => (query.get(key) ?? '').trim();
  let medium = read('utm_medium');
  if (medium === '') {
    const name = referrerName.trim().toLowerCase();
    if (name === 'google' && read('gclid') !== '') medium = '(gclid)';
    else if (name === 'bing' && read('msclkid') !== '') medium = '(msclkid)';
  }
  return {
    source: read('utm_source'),
    medium,
    campaign: read('utm_campaign'),
    content: read('utm_content'),
    term: read('utm_term'),
  };
}
