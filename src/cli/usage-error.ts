/** A mistake on the command line: printed with a hint at `--help`, exit status 2. */
export class UsageError extends Error {}

/** A command that could not do its work (the API refused, the server is unreachable): exit status 1, message only. */
export class CommandFailure extends Error {}
