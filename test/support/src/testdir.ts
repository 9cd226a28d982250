import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A directory tree as an object: file path to contents (objects are written as JSON). */
export type Tree = Record<string, string | Buffer | object>;

/** Writes a tree into a fresh temp directory; `await using` (or dispose) removes it. */
export function testdir(tree: Tree = {}, prefix = 'steg-test-'): { path: string; [Symbol.dispose](): void; [Symbol.asyncDispose](): Promise<void> } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  writeTree(path, tree);
  const remove = (): void => rmSync(path, { recursive: true, force: true });
  return { path, [Symbol.dispose]: remove, [Symbol.asyncDispose]: async () => remove() };
}

/** Writes a tree below dir. */
export function writeTree(dir: string, tree: Tree): void {
  for (const [rel, content] of Object.entries(tree)) {
    const file = join(dir, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, typeof content === 'string' || Buffer.isBuffer(content) ? content : `${JSON.stringify(content, null, 2)}\n`);
  }
}
