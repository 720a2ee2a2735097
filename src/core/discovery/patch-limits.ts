/**
 * Bounds of the JSON Patch a caller may apply to the discovery document (docs/endpoints/discovery.md):
 * a caller holding only VIEW_SERVICE must not make Tessera build a huge document, recurse deep
 * enough to overflow the stack, or block the event loop.
 */

/** Characters of the `patch` query parameter, checked before it is parsed. */
export const MAX_PATCH_LENGTH = 8192;
/** Operations in one patch. */
export const MAX_PATCH_OPERATIONS = 100;
/** Levels of arrays and objects in a value, and tokens in a pointer. */
export const MAX_PATCH_NESTING = 32;
/**
 * UTF-8 bytes of the patched document, serialized: above the largest document the service settings
 * can produce (about 470 KB, with 1 000 scopes and 1 000 claims of 200 characters), far above a
 * usual one (1-3 KB). Refusing the copy that would cross it takes a few milliseconds.
 */
export const MAX_PATCHED_DOCUMENT_BYTES = 512 * 1024;
