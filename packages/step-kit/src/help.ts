import type { ParamDef } from './params.ts';
import { envName } from './params.ts';
import type { StepDef } from './step.ts';
import { formatDuration, parseDuration } from './duration.ts';

const BUILTIN_HELP: [string, string][] = [
  ['--log-format text|json', 'log lines for people (text, default) or ECS JSON (json); env STEG_LOG_FORMAT'],
  ['--results-dir PATH', 'where result files go (default /tekton/results when it exists; else printed); env STEG_RESULTS_DIR'],
  ['--deadline DURATION', 'overall deadline for the step; env STEG_DEADLINE'],
  ['--help, -h', 'show this help'],
];

/** The default as shown to people (help, README, Tekton default). */
export function formatDefault(p: ParamDef): string | undefined {
  if (p.default === undefined) return undefined;
  return p.format(p.default as never);
}

function typeLabel(p: ParamDef): string {
  if (p.kind === 'enum') return (p.choices ?? []).join('|');
  return p.placeholder ?? p.kind;
}

/** The --help text, derived from the declaration. */
export function renderHelp(step: StepDef): string {
  const lines: string[] = [`steg-${step.name}: ${step.description}`, '', `Usage: steg-${step.name} [--param value ...]`, '', 'Params:'];
  for (const [name, p] of Object.entries(step.params)) {
    const flag = p.kind === 'secret' ? `--${name}-file PATH` : p.kind === 'bool' ? `--${name}` : `--${name} ${typeLabel(p)}`;
    const dflt = formatDefault(p);
    const req = p.required ? ' (required)' : dflt != null && dflt !== '' ? ` (default: ${dflt})` : '';
    const env = p.kind === 'secret' ? `env ${envName(name, p)} or ${envName(name, p)}_FILE` : `env ${envName(name, p)}`;
    lines.push(`  ${flag}`, `      ${p.description}${req}; ${env}`);
  }
  lines.push('', 'Common:');
  for (const [f, d] of BUILTIN_HELP) lines.push(`  ${f}`, `      ${d}`);
  lines.push('', 'Results:');
  for (const [name, r] of Object.entries(step.results)) lines.push(`  ${name}: ${r.description}`);
  lines.push('', 'Exit codes:', '  0 done', '  1 the check failed', '  2 bad input or configuration (nothing was changed)');
  for (const [code, what] of Object.entries(step.exitCodes ?? {})) lines.push(`  ${code} ${what}`);
  lines.push('  4 the work failed (unreachable service, deadline passed)');
  if (step.examples?.length) lines.push('', 'Examples:', ...step.examples.map((e) => `  ${e}`));
  if (step.deadline) lines.push('', `Default deadline: ${formatDuration(parseDuration(step.deadline) ?? 0)}`);
  return `${lines.join('\n')}\n`;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The README param table, derived from the declaration. */
export function renderParamsTable(step: StepDef): string {
  const rows = ['| param | type | default | env | description |', '| --- | --- | --- | --- | --- |'];
  for (const [name, p] of Object.entries(step.params)) {
    const dflt = p.required ? '' : (formatDefault(p) ?? '');
    const env = p.kind === 'secret' ? `\`${envName(name, p)}\`, \`${envName(name, p)}_FILE\`` : `\`${envName(name, p)}\``;
    const flag = p.kind === 'secret' ? `\`--${name}-file\`` : `\`--${name}\``;
    const shown = p.required ? '*required*' : dflt === '' ? '' : `\`${cell(dflt)}\``;
    rows.push(`| ${flag} | ${cell(typeLabel(p))} | ${shown} | ${env} | ${cell(p.description)} |`);
  }
  return rows.join('\n');
}

/** The README results table, derived from the declaration. */
export function renderResultsTable(step: StepDef): string {
  const rows = ['| result | description |', '| --- | --- |'];
  for (const [name, r] of Object.entries(step.results)) rows.push(`| \`${name}\` | ${cell(r.description)}${r.type === 'json' ? ' (JSON)' : ''} |`);
  return rows.join('\n');
}
