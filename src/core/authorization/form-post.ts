const htmlEscapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => htmlEscapes[char] ?? char);
}

/**
 * OAuth 2.0 Form Post Response Mode §2: an HTML page that POSTs the response parameters to the
 * redirect URI on load. Every value is HTML-escaped (the state comes from the client's request), and a
 * `<noscript>` button lets a user without JavaScript submit the form.
 */
export function formPostPage(action: string, entries: Array<[string, string]>): string {
  const inputs = entries.map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`).join("\n");
  return [
    "<!DOCTYPE html>",
    '<html><head><meta charset="utf-8"><title>Submit This Form</title></head>',
    '<body onload="document.forms[0].submit()">',
    `<form method="post" action="${escapeHtml(action)}">`,
    inputs,
    '<noscript><button type="submit">Continue</button></noscript>',
    "</form>",
    "</body></html>",
  ].join("\n");
}
