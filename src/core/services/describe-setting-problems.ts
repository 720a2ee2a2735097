import type { z } from "zod";

/** `field.path: reason; …` for every zod issue, so an admin can fix all settings in one go. */
export function describeSettingProblems(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message)).join("; ");
}
