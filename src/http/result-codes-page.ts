import { listResultCodes, resultCodeCategories } from "../core/result-codes.js";

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * The result-code page the running server serves at `/docs/result-codes`: one row per code with the
 * code as its `id`, so an OAuth error's `error_uri` (`…/docs/result-codes#A050311`) lands on its entry.
 */
export function renderResultCodesPage(): string {
  const rows = listResultCodes().map((def) => {
    const category = resultCodeCategories[def.code.charAt(4)] ?? "unknown";
    const message = escapeHtml(def.message.replace(/%s/g, "…"));
    return `<tr id="${def.code}"><td><a href="#${def.code}"><code>${def.code}</code></a></td><td>${category}</td><td>${def.status}</td><td><code>${def.name}</code></td><td>${message}</td></tr>`;
  });
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8"><title>Tessera result codes</title>',
    "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}tr:target{background:#ffc}</style>",
    "</head><body><h1>Tessera result codes</h1>",
    "<p>Every answer of the Tessera API carries <code>resultCode</code> and <code>resultMessage</code>. An OAuth error body starts its",
    "<code>error_description</code> with the code of the failure in brackets, and its <code>error_uri</code> points here. The fifth",
    "character is the category; the HTTP status is that of a failed call to Tessera itself. … stands for a value filled in at run time.</p>",
    "<table><thead><tr><th>Code</th><th>Category</th><th>HTTP status</th><th>Name</th><th>Message</th></tr></thead><tbody>",
    ...rows,
    "</tbody></table></body></html>",
  ].join("\n");
}
