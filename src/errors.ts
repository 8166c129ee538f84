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

/** What Node's file system calls throw: an errno code, the call and the path it was given. */
export interface FileSystemError extends Error {
  code: string;
  syscall?: string;
  path?: string;
}

export function isFileSystemError(error: unknown): error is FileSystemError {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}

/**
 * A file system failure in words a learner can act on: `why` names the cause ("not writable",
 * "the disk is full"), `fix` what to do. Codes are errno names (see errno(3)); unknown ones keep
 * Node's own message.
 */
export function describeFileError(error: unknown): { why: string; fix: string } {
  const code = isFileSystemError(error) ? error.code : undefined;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return {
        why: `not writable or not readable by you (${code})`,
        fix: 'give yourself access (chmod u+rw, or chattr -i if it was made immutable)',
      };
    case 'ENOSPC':
    case 'EDQUOT':
      return { why: `the disk is full (${code})`, fix: 'free some space' };
    case 'EROFS':
      return { why: 'on a read-only file system (EROFS)', fix: 'use a workspace on a writable disk' };
    case 'EISDIR':
      return { why: 'a folder where a file should be (EISDIR)', fix: 'move that folder away' };
    case 'ENOTDIR':
      return { why: 'a file where a folder should be (ENOTDIR)', fix: 'move that file away' };
    case 'ENAMETOOLONG':
      return { why: 'a path longer than this system allows (ENAMETOOLONG)', fix: 'use a shorter path' };
    case 'ENOENT':
      return { why: 'missing (ENOENT)', fix: 'check that the folder still exists' };
    default:
      return { why: error instanceof Error ? error.message : String(error), fix: 'try again' };
  }
}
