/** Values the ingestion pipeline's pure steps exchange. */

/** Client-hint request headers (or their JSON fields on the API). Empty string = absent. */
export interface ClientHints {
  secChUa: string;
  secChUaMobile: string;
  secChUaPlatform: string;
  secChUaPlatformVersion: string;
  secChWidth: string;
  secChViewportWidth: string;
}

export type Platform = 'desktop' | 'mobile' | 'unknown';

/** What the user agent and client hints say, in SEMANTICS.md §3.3's vocabulary (decision 15). */
export interface UserAgentInfo {
  browser: string;
  browserVersion: string;
  os: string;
  osVersion: string;
  platform: Platform;
}

/** The stored referrer triple (SEMANTICS.md §3.1). */
export interface ReferrerInfo {
  referrer: string;
  name: string;
  icon: string;
}

export interface Utm {
  source: string;
  medium: string;
  campaign: string;
  content: string;
  term: string;
}

/** Location of an IP address; empty strings when unknown. */
export interface GeoInfo {
  countryCode: string;
  region: string;
  city: string;
}
