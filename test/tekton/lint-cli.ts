// Lints Tekton YAML: schemas (Tekton v1.3.0, v1.9.0, v1.15.0), the project's rules, and the
// contract with each step's declaration.
//   node --import tsx test/tekton/lint-cli.ts [--json] [paths...]   (default: tekton/ of the repository)
//   --json prints each problem as one JSON line (file, line, resource, rule, message, version, path).
// Exit 0 when clean, 1 when there are problems, 2 when the lint itself cannot run.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { lintPaths } from './lint.ts';
import { REPO_ROOT } from './paths.ts';
import { formatProblem } from './problem.ts';

/** Where the CLI reads and writes; tests pass their own. */
export interface CliIO {
  cwd?: string;
  out?: (text: string) => void;
  err?: (text: string) => void;
}

const writeTo =
  (stream: NodeJS.WriteStream) =>
  (text: string): void => {
    stream.write(text);
  };

/** Runs the lint on argv's paths, writes the outcome, and returns the exit code. */
export async function runCli(argv: readonly string[], { cwd = process.cwd(), out = writeTo(process.stdout), err = writeTo(process.stderr) }: CliIO = {}): Promise<number> {
  const json = argv.includes('--json');
  const given = argv.filter((a) => a !== '--json');
  const paths = given.length > 0 ? given : [resolve(REPO_ROOT, 'tekton')];
  try {
    const report = await lintPaths(paths, { cwd });
    // --json: one JSON object per problem (NDJSON) for tools; the summary stays on stderr/stdout as text.
    // In file order, then line order, so problems read top to bottom like the YAML.
    const sorted = [...report.problems].sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
    for (const p of sorted) out(json ? `${JSON.stringify(p)}\n` : `${formatProblem(p)}\n`);
    const summary = `${report.files.length} files, ${report.documents.length} documents (${report.schemaChecked} schema-checked, ${report.contracts.length} step contracts)`;
    if (report.problems.length > 0) {
      err(`lint:tekton: ${report.problems.length} problem(s) in ${summary}\n`);
      return 1;
    }
    (json ? err : out)(`lint:tekton: ok, ${summary}\n`);
    return 0;
  } catch (e) {
    err(`lint:tekton: ${(e as Error).message}\n`);
    return 2;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = await runCli(process.argv.slice(2));
