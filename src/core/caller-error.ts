import { type ResultCodeName, resultBody } from "./result-codes.js";

/**
 * The login server's call to a runtime endpoint is wrong in a way no OAuth answer describes (a
 * subject it may not name, an `authTime` that is missing, a token value already in use): the API
 * call fails with the code's status and `{resultCode, resultMessage}`, answered in `src/app.ts`
 * like any other caller mistake. Whoever throws it leaves no ticket or code spent, so the call can
 * be corrected and repeated.
 */
export class CallerError extends Error {
  override readonly name = "CallerError";
  readonly args: Array<string | number>;

  constructor(
    readonly resultName: ResultCodeName,
    ...args: Array<string | number>
  ) {
    super(resultBody(resultName, ...args).resultMessage);
    this.args = args;
  }
}
