/**
 * Field rules shared by every management service (and the CLI, which calls the same services).
 * Each returns the normalised value or an error message for the envelope's `validation` map.
 */

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const fail = <T>(message: string): Checked<T> => ({ ok: false, message });

/** An e-mail address, trimmed and lower-cased. Deliberately permissive: one `@`, a dotted domain. */
export function checkEmail(raw: string): Checked<string> {
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    return fail('a valid e-mail address is required');
  }
  return ok(email);
}

/** A free-text description (clients, access links): trimmed, at most 255 characters. */
export function checkDescription(raw: string): Checked<string> {
  const description = raw.trim();
  if (description.length > 255) return fail('the description must be at most 255 characters long');
  return ok(description);
}

/** A list of e-mail addresses (invitations, reports): at least one, each valid, duplicates dropped. */
export function checkEmails(raw: readonly string[]): Checked<string[]> {
  if (raw.length === 0) return fail('at least one e-mail address is required');
  const emails: string[] = [];
  for (const entry of raw) {
    const email = checkEmail(entry);
    if (!email.ok) return fail(`"${entry}" is not a valid e-mail address`);
    if (!emails.includes(email.value)) emails.push(email.value);
  }
  return ok(emails);
}

/** A password for a dashboard account. */
export function checkPassword(raw: string): Checked<string> {
  if (raw.length < 8) return fail('the password must be at least 8 characters long');
  if (raw.length > 256) return fail('the password must be at most 256 characters long');
  return ok(raw);
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * A site host name without scheme, port or path, stored lower-case. International names are
 * converted to their ASCII (punycode) form, as browsers send them.
 */
export function checkHostname(raw: string, { wildcard = false } = {}): Checked<string> {
  const input = raw.trim().toLowerCase().replace(/\.$/, '');
  if (input === '' || /[/:?#@\s\\]/.test(input)) {
    return fail('a host name without scheme, port or path is required');
  }
  let ascii = input;
  const probe = wildcard ? input.replace(/^\*\./, 'wildcard.') : input;
  try {
    const converted = new URL(`http://${probe}`).hostname;
    ascii =
      wildcard && input.startsWith('*.') ? '*.' + converted.slice('wildcard.'.length) : converted;
  } catch {
    return fail('a valid host name is required');
  }
  const labels = (wildcard && ascii.startsWith('*.') ? ascii.slice(2) : ascii).split('.');
  if (ascii.length > 253 || !labels.every((label) => LABEL.test(label))) {
    return fail('a valid host name is required');
  }
  return ok(ascii);
}

/** A dashboard subdomain: a DNS label of 3–63 characters `a-z0-9-` (decision 28). */
export function checkSubdomain(raw: string): Checked<string> {
  const subdomain = raw.trim().toLowerCase();
  if (!/^(?!-)[a-z0-9-]{3,63}(?<!-)$/.test(subdomain)) {
    return fail(
      'the subdomain must be 3 to 63 characters a-z, 0-9 or -, not starting or ending with -',
    );
  }
  return ok(subdomain);
}

let zones: Set<string> | undefined;

/** An IANA time zone name; empty means UTC and is stored as null. */
export function checkTimezone(raw: string | null | undefined): Checked<string | null> {
  const tz = (raw ?? '').trim();
  if (tz === '') return ok(null);
  zones ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC', 'Etc/UTC']);
  if (!zones.has(tz)) return fail('a valid IANA time zone such as Europe/Berlin is required');
  return ok(tz);
}
