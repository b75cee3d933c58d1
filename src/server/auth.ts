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

/** Refuses an API key no client could send: empty, blank, or with surrounding whitespace (a header's is trimmed). */
export function assertUsableKey(apiKey: string | null | undefined, source = 'the API key'): void {
  if (apiKey === null || apiKey === undefined) return;
  if (apiKey.trim() === '')
    throw new UserInputError(`${source} is empty or blank: give a real key, or none`, { field: 'api-key' });
  if (apiKey.trim() !== apiKey)
    throw new UserInputError(`${source} starts or ends with whitespace, which no Authorization header can carry`, {
      field: 'api-key',
    });
  if (!/^[\x21-\x7e]+$/.test(apiKey))
    throw new UserInputError(
      `${source} holds characters other than printable ASCII, which no Authorization header can carry`,
      { field: 'api-key' },
    );
}

/**
 * Throws 421 unless the Host header names this machine. Without an API key the loopback binding is the only
 * protection, and a web page could reach it through DNS rebinding (its own name resolving to 127.0.0.1): the
 * browser then sends that name as Host.
 */
export function requireLoopbackHost(hostHeader: string | undefined): void {
  if (hostHeader === undefined) return;
  const m = /^(\[[^\]]*\]|[^:]*)(?::\d+)?$/.exec(hostHeader.trim());
  const name = m ? m[1] : '';
  if (isLoopback(name) || /^[a-z0-9-]+\.localhost\.?$/i.test(name)) return;
  throw new HttpError(
    421,
    `host: this keyless server answers only to localhost, 127.0.0.1 or [::1], not "${hostHeader.slice(0, 100)}" (start it with an API key to serve other names)`,
    'host',
  );
}

/** Refuses to start a server reachable from other machines without a key. */
export function assertSafeBind(host: string, apiKey: string | null | undefined): void {
  if (!isLoopback(host) && !apiKey)
    throw new UserInputError(
      `binding to ${host} exposes the service to other machines: give an API key (DEXNET_API_KEY or --api-key-file), or bind to 127.0.0.1`,
      { field: 'host' },
    );
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
  throw new HttpError(
    401,
    header ? 'authorization: wrong API key' : 'authorization: this server needs `Authorization: Bearer <API key>`',
    'authorization',
    {
      'www-authenticate': 'Bearer',
    },
  );
}
