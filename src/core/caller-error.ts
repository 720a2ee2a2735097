import { type ResultCodeName, resultBody } from "./result-codes.js";

/**
 * The login server's call to a runtime endpoint is wrong in a way no OAuth answer describes (a value
 * it chose cannot be used): the API call fails with the code's status and `{resultCode, resultMessage}`,
 * like any other caller mistake. Nothing has been consumed or written when it is thrown.
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
