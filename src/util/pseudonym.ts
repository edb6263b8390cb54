/**
 * Keyed pseudonyms for user ids (--pseudonymize KEYFILE): HMAC-SHA256 of the id
 * under a secret key, so the same user maps to the same pseudonym across runs
 * while nobody without the key can recover or even test a guessed id.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GraphprofError, ExitCode } from './errors.js';

/** Hex digits kept: 96 bits, collision-free for any shop size in practice. */
const pseudonymHexDigits = 24;

export function pseudonymizer(keyFile: string): (userId: string) => string {
  if (keyFile.trim() === '') {
    throw new GraphprofError('--pseudonymize needs a key file (e.g. --pseudonymize key.bin, made with "head -c 32 /dev/urandom > key.bin"); without one, raw user ids would be stored', ExitCode.usage);
  }
  let key: Buffer;
  try {
    key = readFileSync(keyFile);
  } catch (err) {
    throw new GraphprofError(`--pseudonymize: cannot read key file ${keyFile}: ${(err as Error).message}`, ExitCode.usage);
  }
  if (key.length < 16) {
    throw new GraphprofError(`--pseudonymize: key file ${keyFile} holds ${key.length} bytes; use at least 16 random bytes (e.g. "head -c 32 /dev/urandom > ${keyFile}")`, ExitCode.usage);
  }
  return (userId) => 'u' + createHmac('sha256', key).update(userId).digest('hex').slice(0, pseudonymHexDigits);
}

/**
 * The fingerprint of the key behind a pseudonymizer: the pseudonym of a fixed
 * label no user id can be (ids never hold NUL). It tells keys apart without
 * revealing them; the database keeps it to refuse writes with another key.
 */
export function keyFingerprint(pseudonymize: (userId: string) => string): string {
  return pseudonymize('\u0000graphprof key fingerprint');
}
