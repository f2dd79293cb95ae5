// Escaping for the HTML report: text and attribute escaping, JSON that can sit inside a
// <script type="application/json"> without ever closing it, and CSP hashes of inline code.
import { sha256Base64 } from '../util/hash.js';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes untrusted text for element content and quoted attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`]/g, (c) => HTML_ESCAPES[c]);
}

/**
 * JSON for an inert `<script type="application/json">` block: `<`, `>` and `&` become \u escapes,
 * so no `</script>` or `<!--` can appear, and U+2028/U+2029 are escaped too. Still valid JSON.
 */
export function jsonForHtml(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A CSP source expression for inline code: 'sha256-<base64 of the UTF-8 text>'. */
export function cspHash(text: string): string {
  return `'sha256-${sha256Base64(text)}'`;
}

/** The report's policy: nothing but its own inline script and style, and data: images. */
export function contentSecurityPolicy(scriptText: string, styleText: string): string {
  return [
    "default-src 'none'",
    `script-src ${cspHash(scriptText)}`,
    `style-src ${cspHash(styleText)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
