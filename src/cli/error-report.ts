// How the `dexnet` command reports a failure: the user's mistake (a bad file, flag or field) as one line naming it,
// anything else (a bug) with its stack so it can be reported, and every failure with its stack under DEXNET_DEBUG=1.
import { CommanderError } from 'commander';
import { UserInputError } from '../core/errors.js';

/** Node's codes for a path the user named that cannot be used: missing, a file for a folder or back, no permission. */
const PATH_CODES = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'EACCES', 'EPERM']);

/** Whether the error is the user's to fix rather than a bug in dexnet-ts. */
export function isUserError(err: unknown): boolean {
  if (err instanceof UserInputError || err instanceof CommanderError) return true;
  const e = err as { code?: unknown; path?: unknown } | null;
  return typeof e?.code === 'string' && PATH_CODES.has(e.code) && typeof e.path === 'string';
}

/** The text printed on stderr for an error that ends the command. */
export function cliErrorReport(err: unknown, options: { debug?: boolean } = {}): string {
  if (!options.debug && isUserError(err)) {
    const message = err instanceof Error ? err.message : String(err);
    return `dexnet: ${message.replace(/\s*[\r\n]+\s*/g, ' ')}`;
  }
  if (err instanceof Error) return `dexnet: ${err.stack ?? `${err.name}: ${err.message}`}`;
  return `dexnet: ${String(err)}`;
}
