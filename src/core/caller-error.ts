import { type ResultCodeName, resultBody } from "./result-codes.js";

/**
 * A call to Tessera's API that cannot be done as asked: a management call naming an unknown object
 * or invalid settings, or a login server's runtime call that is wrong in a way no OAuth answer
 * describes (a subject it may not name, an `authTime` that is missing, a token value already in
 * use). The API call fails with the code's status and `{resultCode, resultMessage}`, answered in
 * `src/app.ts`. Whoever throws it leaves nothing written and no ticket or code spent, so the call
 * can be corrected and repeated.
 */
export class CallerError extends Error {
  override readonly name: string = "CallerError";
  readonly args: Array<string | number>;

  constructor(
    readonly resultName: ResultCodeName,
    ...args: Array<string | number>
  ) {
    super(resultBody(resultName, ...args).resultMessage);
    this.args = args;
  }
}
