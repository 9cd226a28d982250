import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LineSplitter } from './line-splitter.ts';
import { OrderedAppender } from './ordered-append.ts';
import { readChunks } from './read-chunks.ts';
import type { Batch } from './batch.ts';
import type { Item, Parking } from './shipper.ts';

const NEWLINE = Buffer.from('\n');

/**
 * The spool and the dead-letter file in the workspace. Spool files hold a header line
 * ({"id","index"}) and the document per item; each batch is written to a temp file and
 * renamed, so a killed run leaves whole files or none.
 */
export class WorkspaceParking implements Parking {
  private seq = 0;
  /** Several batches can be in flight: one append at a time, so dead-letter lines never interleave. */
  private readonly deadLetters: OrderedAppender;

  constructor(
    private readonly spoolDir: string,
    deadLetterFile: string,
    private readonly index: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.deadLetters = new OrderedAppender(deadLetterFile);
  }

  async spool(items: Batch): Promise<void> {
    await mkdir(this.spoolDir, { recursive: true });
    const parts: Buffer[] = [];
    for (let i = 0; i < items.length; i++) {
      parts.push(Buffer.from(`{"id":"${items.id(i)}","index":${JSON.stringify(items.index(i) ?? this.index)}}\n`), items.doc(i), NEWLINE);
    }
    const text = Buffer.concat(parts);
    const name = `spool-${this.now().getTime()}-${process.pid}-${String(this.seq++).padStart(6, '0')}`;
    const tmp = join(this.spoolDir, `${name}.tmp`);
    await writeFile(tmp, text);
    await rename(tmp, join(this.spoolDir, `${name}.ndjson`));
  }

  async deadLetter(item: Item, status: number, reason: string): Promise<void> {
    const line = `{"@timestamp":"${this.now().toISOString()}","status":${status},"reason":${JSON.stringify(reason)},"_index":${JSON.stringify(item.index ?? this.index)},"_id":"${item.id}","document":${item.json}}\n`;
    await this.deadLetters.append(line);
  }
}

/** Spool files left by earlier runs, oldest first; half-written temp files are removed. */
export async function spoolFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  for (const n of names.filter((n) => n.endsWith('.tmp'))) await rm(join(dir, n), { force: true });
  return names.filter((n) => n.endsWith('.ndjson')).sort().map((n) => join(dir, n));
}

/** Reads a spool file back as items, streaming. */
export async function* readSpool(file: string): AsyncGenerator<Item[]> {
  let header: { id: string; index: string } | undefined;
  let batch: Item[] = [];
  const splitter = new LineSplitter((text) => {
    if (text === '') return;
    if (!header) {
      header = JSON.parse(text) as { id: string; index: string };
      return;
    }
    batch.push({ id: header.id, index: header.index, json: text, fromSpool: true });
    header = undefined;
  });
  for await (const chunk of readChunks(file)) {
    splitter.push(chunk);
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  splitter.end();
  if (batch.length > 0) yield batch;
}
