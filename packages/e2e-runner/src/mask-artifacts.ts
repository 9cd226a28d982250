import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Dirent } from 'node:fs';
import { extname, join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import type { Zippable } from 'fflate';
import type { Redactor } from '@steg/step-kit';

// Pixels and video frames cannot be masked by replacing bytes, and their compressed bytes never
// hold a secret's text: leave them as they are.
const MEDIA = new Set(['.png', '.jpg', '.jpeg', '.webm', '.webp', '.gif', '.mp4', '.woff', '.woff2', '.ttf']);
// The HTML report embeds its data as a zip in a data URL.
const ZIP_DATA_URL = /data:application\/zip;base64,([A-Za-z0-9+/=]+)/g;

/** What masking the artifacts did. */
export interface MaskStats {
  /** Files rewritten because they held a secret. */
  files: number;
  /** Secret occurrences replaced, inside zips and embedded reports included. */
  occurrences: number;
}

/**
 * Masks every secret inside the artifacts Playwright wrote under dir, in place: traces and other
 * zips (entry by entry), the HTML report and the data it embeds, and text files. A trace records
 * what a test typed into a form and the requests it made, so without this a password typed by a
 * test would sit in the reports workspace in plain text. Images and videos are left as they are.
 */
export function maskArtifacts(dir: string, redactor: Redactor): MaskStats {
  const stats: MaskStats = { files: 0, occurrences: 0 };
  if (redactor.size === 0) return stats;
  const masker = new ByteMasker(redactor);
  for (const file of walk(dir)) {
    const ext = extname(file).toLowerCase();
    if (MEDIA.has(ext)) continue;
    const before = readFileSync(file);
    const after = ext === '.zip' ? masker.zip(before) : ext === '.html' ? masker.html(before) : masker.bytes(before);
    if (after !== before) {
      writeFileSync(file, after);
      stats.files++;
    }
  }
  stats.occurrences = masker.count;
  return stats;
}

/** Masks secrets in raw bytes, zips and HTML reports, counting what it replaced. */
class ByteMasker {
  count = 0;

  constructor(private readonly redactor: Redactor) {}

  /** The bytes with every secret masked; the same object when there was none. */
  bytes(buf: Buffer | Uint8Array): Buffer | Uint8Array {
    const r = this.redactor.redactBytes(buf);
    if (!r) return buf;
    this.count += r.count;
    return r.bytes;
  }

  /** A zip with every entry masked (zips inside it too); the same Buffer when nothing changed. */
  zip(buf: Buffer | Uint8Array): Buffer | Uint8Array {
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(buf);
    } catch {
      // Not a zip after all: mask it as bytes.
      return this.bytes(buf);
    }
    let changed = false;
    const out: Zippable = {};
    for (const [name, data] of Object.entries(entries)) {
      const ext = extname(name).toLowerCase();
      const masked = MEDIA.has(ext) ? data : ext === '.zip' ? this.zip(data) : this.bytes(data);
      if (masked !== data) changed = true;
      out[name] = masked instanceof Buffer ? new Uint8Array(masked.buffer, masked.byteOffset, masked.byteLength) : masked;
    }
    return changed ? Buffer.from(zipSync(out)) : buf;
  }

  /** An HTML report: the zip it embeds as a data URL, then the page's own text. */
  html(buf: Buffer): Buffer | Uint8Array {
    const text = buf.toString('utf8');
    let changed = false;
    const inner = text.replace(ZIP_DATA_URL, (whole, b64: string) => {
      const zip = Buffer.from(b64, 'base64');
      const masked = this.zip(zip);
      if (masked === zip) return whole;
      changed = true;
      return `data:application/zip;base64,${Buffer.from(masked).toString('base64')}`;
    });
    const page = Buffer.from(inner, 'utf8');
    const masked = this.bytes(page);
    return changed || masked !== page ? masked : buf;
  }
}

function* walk(dir: string): Generator<string> {
  let names: Dirent[];
  try {
    names = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const d of names) {
    const p = join(dir, d.name);
    if (d.isDirectory()) yield* walk(p);
    else if (d.isFile()) yield p;
  }
}
