import { appendFile } from 'node:fs/promises';

/**
 * Appends to one file one call at a time, in the order of the calls. With several batches in flight,
 * plain appendFile calls could interleave their writes and break lines.
 */
export class OrderedAppender {
  private last: Promise<void> = Promise.resolve();

  constructor(private readonly path: string) {}

  /** Appends data once every earlier append is done; rejects when this one fails. */
  append(data: string | Uint8Array): Promise<void> {
    const next = this.last.then(() => appendFile(this.path, data));
    this.last = next.catch(() => undefined);
    return next;
  }
}
