// The one error every mesh reader and writer throws: `<file>: <problem>` on one line.
import { UserInputError } from '../../core/errors.js';

/** Every problem with a mesh file; the message is always `<file>: <problem>` on one line. */
export class MeshFormatError extends UserInputError {
  override name = 'MeshFormatError';

  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem.replace(/\s*[\r\n]+\s*/g, ' ')}`, { file: path });
  }
}

/** Shortens a quoted line or token for an error message. */
export const clip = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}...` : s);
