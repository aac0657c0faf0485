/**
 * Random identifiers and secrets, and how they are hashed for storage. Formats follow API.md §1.3
 * (the JS SDK checks some lengths before sending anything).
 */
import { hash, randomBytes } from 'node:crypto';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
// Largest multiple of 62 below 256: bytes above it are rejected so every character is uniform.
const UNBIASED_LIMIT = 256 - (256 % ALPHABET.length);

/** A uniformly random `[A-Za-z0-9]` string of the given length from the system CSPRNG. */
export function randomAlphanumeric(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < UNBIASED_LIMIT) out += ALPHABET[byte % ALPHABET.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/** A 10-character entity id (domain, user, member, client record, link, goal, report …). */
export const newEntityId = (): string => randomAlphanumeric(10);
/** A 32-character public oauth client id. */
export const newClientId = (): string => randomAlphanumeric(32);
/** A 64-character oauth client secret (shown once). */
export const newClientSecret = (): string => randomAlphanumeric(64);
/** A write-only access key: `pa_` + 45 characters (48 in all). */
export const newAccessKey = (): string => 'pa_' + randomAlphanumeric(45);
/** A 32-character public identification code for the snippet. */
export const newIdentificationCode = (): string => randomAlphanumeric(32);
/** An opaque bearer token (256 bits of entropy). */
export const newAccessToken = (): string => randomAlphanumeric(43);

/**
 * SHA-256 hex digest. Used for high-entropy machine secrets (tokens, access keys, invitation
 * tokens) that must be looked up by value; a slow hash buys nothing against 256-bit guesses.
 */
export function sha256Hex(value: string): string {
  // The one-shot form: no Hash object per call (every authenticated request hashes its bearer).
  return hash('sha256', value, 'hex');
}

/** argon2id hash (PHC string) for passwords and client secrets. */
export function hashSecret(secret: string): Promise<string> {
  return argon2Hash(secret);
}

/** Verify a secret against an argon2id PHC string; false for any malformed hash. */
export async function verifySecret(phc: string, secret: string): Promise<boolean> {
  try {
    return await argon2Verify(phc, secret);
  } catch {
    return false;
  }
}
