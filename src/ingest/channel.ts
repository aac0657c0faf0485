/**
 * The acquisition channel of a session (SEMANTICS.md §3.7): Google Analytics 4's default channel
 * groups, evaluated in the order the specification lists them, first match wins.
 */
import type { Utm } from './types.ts';
import { referrerCategory, type ReferrerCategory } from './referrer.ts';
import { normalizeHost, stripWww } from './page-url.ts';

export interface ChannelInput {
  /** Host of the stored referrer URL (a full URL is accepted too); `''` for none. */
  referrerHost: string;
  /** The stored referrer name (group name, host, app name or `?ref=` value). */
  referrerName: string;
  utm: Utm;
}

// GA4's definitions of a paid medium and of a shopping campaign.
const PAID_MEDIUM = /^(?:.*cp.*|ppc|retargeting|paid.*)$/;
const SHOPPING_CAMPAIGN = /^(?:.*(?:(?:[^a-df-z]|^)shop|shopping).*)$/;
const DISPLAY_MEDIUMS = new Set(['display', 'banner', 'expandable', 'interstitial', 'cpm']);
const SOCIAL_MEDIUMS = new Set([
  'social',
  'social-network',
  'social-media',
  'sm',
  'social network',
  'social media',
]);
const REFERRAL_MEDIUMS = new Set(['referral', 'app', 'link']);
// `newsletter` is not in GA4's list; it is the most common e-mail source/medium in practice.
const EMAIL_VALUES = new Set(['email', 'e-mail', 'e_mail', 'e mail', 'gmail', 'newsletter']);
const SMS = new Set(['sms']);
const FIREBASE = new Set(['firebase']);

/** The channel name (`Organic Search`, `Paid Social`, `Referral`, `Direct`, …) of a session. */
export function channel({ referrerHost, referrerName, utm }: ChannelInput): string {
  const host = stripWww(hostOf(referrerHost));
  const name = referrerName.trim().toLowerCase();
  const source = utm.source.trim().toLowerCase();
  const medium = utm.medium.trim().toLowerCase();
  const campaign = utm.campaign.trim().toLowerCase();
  const categories = new Set<ReferrerCategory | ''>([
    referrerCategory(host, name),
    referrerCategory('', source),
  ]);
  const is = (category: ReferrerCategory): boolean => categories.has(category);
  const paid = PAID_MEDIUM.test(medium);
  const shoppingCampaign = SHOPPING_CAMPAIGN.test(campaign);
  const sourceOrName = (values: ReadonlySet<string>): boolean =>
    values.has(source) || values.has(name) || values.has(host);

  if (campaign.includes('cross-network')) return 'Cross-network';
  if ((is('shopping') || shoppingCampaign) && paid) return 'Paid Shopping';
  if ((is('search') && paid) || medium === '(gclid)' || medium === '(msclkid)') {
    return 'Paid Search';
  }
  if (is('social') && paid) return 'Paid Social';
  if (is('video') && paid) return 'Paid Video';
  if (DISPLAY_MEDIUMS.has(medium)) return 'Display';
  if (paid) return 'Paid Other';
  if (is('shopping') || shoppingCampaign) return 'Organic Shopping';
  if (is('social') || SOCIAL_MEDIUMS.has(medium)) return 'Organic Social';
  if (is('video') || medium.includes('video')) return 'Organic Video';
  if (is('search') || medium === 'organic') return 'Organic Search';
  if (REFERRAL_MEDIUMS.has(medium)) return 'Referral';
  if (is('email') || EMAIL_VALUES.has(medium) || sourceOrName(EMAIL_VALUES)) return 'Email';
  if (medium === 'affiliate') return 'Affiliates';
  if (medium === 'audio') return 'Audio';
  if (medium === 'sms' || sourceOrName(SMS)) return 'SMS';
  if (
    medium.endsWith('push') ||
    medium.includes('mobile') ||
    medium.includes('notification') ||
    sourceOrName(FIREBASE)
  ) {
    return 'Mobile Push Notifications';
  }
  if (is('ai')) return 'AI';
  // GA4 gives every other referring site the medium "referral"; only no referrer at all is Direct.
  return host !== '' || name !== '' ? 'Referral' : 'Direct';
}

function hostOf(value: string): string {
  const trimmed = value.trim();
  if (!trimmed.includes('/')) return normalizeHost(trimmed.replace(/:\d+$/, ''));
  try {
    return normalizeHost(new URL(trimmed).hostname);
  } catch {
    return '';
  }
}
