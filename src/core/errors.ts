// Errors shared by every stage. A UserInputError is the user's to fix (a bad file, flag or request field): the CLI
// prints its one-line message; anything else is a bug and keeps its stack.

/** Base of every error caused by user input; `message` is one line naming the file or field and what was expected. */
export class UserInputError extends Error {
  override name = 'UserInputError';
  /** The file the input came from, when there is one. */
  readonly file?: string;
  /** The field, flag or request parameter at fault, when there is one. */
  readonly field?: string;

  constructor(message: string, where: { file?: string; field?: string } = {}) {
    super(message);
    this.file = where.file;
    this.field = where.field;
  }
}

/** Raised when a policy has no valid grasp to return (no seeds, no valid resample, or no finite quality). */
export class NoValidGraspError extends Error {
  override name = 'NoValidGraspError';
}
