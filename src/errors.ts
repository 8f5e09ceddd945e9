// Errors a user can fix: the CLI prints `pretext: <message>` on one line and exits with code 2.
export class PretextError extends Error {
  override readonly name = 'PretextError';
  constructor(message: string) {
    super(message);
  }
}

/** Throw a PretextError unless `ok`. */
export function ensure(ok: unknown, message: string | (() => string)): asserts ok {
  if (!ok) throw new PretextError(typeof message === 'function' ? message() : message);
}
