import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testdir } from '@steg/test-support';

/** A fixture suite copied into a fresh workspace outside the repo, so it has no node_modules (as in the image). */
export function suiteWorkspace(fixture: 'mixed' | 'sharded', o: { esm?: boolean; files?: Record<string, string> } = {}) {
  const ws = testdir({}, 'steg-e2e-ws-');
  cpSync(join(import.meta.dirname, 'fixtures', fixture), ws.path, { recursive: true });
  if (o.esm) writeFileSync(join(ws.path, 'package.json'), '{ "name": "fixture-suite", "type": "module" }\n');
  for (const [name, text] of Object.entries(o.files ?? {})) writeFileSync(join(ws.path, name), text);
  return ws;
}
