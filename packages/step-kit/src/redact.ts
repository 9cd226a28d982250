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

  /** Registers a secret value; blank values are ignored. */
  add(value: string | undefined): void {
    if (value == null) return;
    const v = value.trim();
    if (v === '') return;
    for (const form of [v, encodeURIComponent(v), Buffer.from(v).toString('base64').replace(/=+$/, '')]) {
      if (form.length > 0) this.values.add(form);
    }
    this.pattern = undefined;
  }

  /** Every registered form of every secret (plain, URL-encoded, base64), longest first: for masking bytes that are not text. */
  forms(): string[] {
    return [...this.values].sort((a, b) => b.length - a.length);
  }

  /** True when at least one secret is registered. */
  get size(): number {
    return this.values.size;
  }

  /** Returns text with every registered secret replaced by the mask. */
  redact(text: string): string {
    if (this.values.size === 0) return text;
    if (!this.pattern) {
      // Longest first, so a secret that contains another is masked whole.
      const parts = [...this.values].sort((a, b) => b.length - a.length).map(escapeRegExp);
      this.pattern = new RegExp(parts.join('|'), 'g');
    }
    return text.replace(this.pattern, MASK);
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
