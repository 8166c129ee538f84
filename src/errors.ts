/** An error a person can meet: a one-line message and what to do next. Rendered once, at the top. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    /** Exit code when this error ends a command: 2 for usage and installation problems. */
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
