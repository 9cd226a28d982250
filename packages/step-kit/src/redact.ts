/** The text that replaces every secret value. */
export const MASK = '***';

/**
 * Remembers every secret value a step has read and masks it in any text.
 * Common encodings (URL-encoded, base64 as in Basic auth) are masked too, since
 * a secret often leaks in one of those shapes (a URL, an Authorization header).
 */
export class Redactor {
  private readonly values = new Set<string>();
  private pattern: RegExp | undefined;
  private bytePattern: { re: RegExp; probes: Buffer[] } | undefined;

  /** Registers a secret value; blank values are ignored. */
  add(value: string | undefined): void {
    if (value == null) return;
    const v = value.trim();
    if (v === '') return;
    // The JSON-escaped form too: a password with a quote or backslash shows up escaped in JSON
    // text (a JSON log line, a response body), where the plain form would not match.
    for (const form of [v, JSON.stringify(v).slice(1, -1), encodeURIComponent(v), Buffer.from(v).toString('base64').replace(/=+$/, '')]) {
      if (form.length > 0) this.values.add(form);
    }
    this.pattern = undefined;
    this.bytePattern = undefined;
  }

  /** True when at least one secret is registered. */
  get size(): number {
    return this.values.size;
  }

  /** Returns text with every registered secret replaced by the mask. */
  redact(text: string): string {
    if (this.values.size === 0) return text;
    this.pattern ??= new RegExp(this.longestFirst().map(escapeRegExp).join('|'), 'g');
    return text.replace(this.pattern, MASK);
  }

  /** The secret forms as UTF-8 bytes, longest first (made once, with the pattern redactBytes uses). */
  private probes(): Buffer[] {
    if (!this.bytePattern) {
      // Secrets as their UTF-8 bytes read as latin1, where each byte is one character.
      const forms = this.longestFirst().map((v) => Buffer.from(v, 'utf8'));
      this.bytePattern = { re: new RegExp(forms.map((f) => escapeRegExp(f.toString('latin1'))).join('|'), 'g'), probes: forms };
    }
    return this.bytePattern.probes;
  }

  /** The secret forms, longest first, so a secret that contains another is masked whole. */
  private longestFirst(): string[] {
    return [...this.values].sort((a, b) => b.length - a.length);
  }

  /** True when one of the registered secrets (in any of its forms) occurs in the bytes. */
  occursIn(bytes: Uint8Array): boolean {
    if (this.values.size === 0) return false;
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return this.probes().some((p) => buf.includes(p));
  }

  /**
   * Masks every registered secret in bytes that may not be text (a zip entry, a trace resource):
   * the masked bytes and how many were replaced, or undefined when none occurs.
   */
  redactBytes(bytes: Uint8Array): { bytes: Buffer; count: number } | undefined {
    if (!this.occursIn(bytes)) return undefined;
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const { re } = this.bytePattern as { re: RegExp };
    let count = 0;
    const text = buf.toString('latin1').replace(re, () => {
      count++;
      return MASK;
    });
    return { bytes: Buffer.from(text, 'latin1'), count };
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
