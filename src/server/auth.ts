// Who may call the service: a server bound beyond this machine requires an API key, sent as a bearer token and
// compared in constant time so response timing reveals nothing about the key.
import { UserInputError } from '../core/errors.js';
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { HttpError } from './errors.js';

/** True for names and addresses that only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/** Refuses to start a server reachable from other machines without a key. */
export function assertSafeBind(host: string, apiKey: string | null | undefined): void {
  if (!isLoopback(host) && !apiKey)
    throw new UserInputError(`binding to ${host} exposes the service to other machines: give --api-key (or DEXNET_API_KEY), or bind to 127.0.0.1`, { field: 'host' });
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Checks an Authorization header against the key; both sides are hashed first so their lengths always match. */
export function bearerMatches(header: string | undefined, apiKey: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  const given = digest(m ? m[1].trim() : '');
  return timingSafeEqual(given, digest(apiKey)) && m !== null;
}

/** Throws 401 unless the request carries the key. */
export function requireKey(header: string | undefined, apiKey: string | null | undefined): void {
  if (!apiKey || bearerMatches(header, apiKey)) return;
  throw new HttpError(401, header ? 'authorization: wrong API key' : 'authorization: this server needs `Authorization: Bearer <API key>`', 'authorization', {
    'www-authenticate': 'Bearer',
  });
}
