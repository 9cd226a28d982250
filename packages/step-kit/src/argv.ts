import { BadInputError } from './errors.ts';

/** Flags as given: name to every value given for it (a repeated flag keeps all). */
export type Flags = Map<string, string[]>;

/**
 * Parses `--name value`, `--name=value` and bare boolean flags (`--dry-run`, `--no-dry-run`).
 * Positional arguments are not part of the contract and are refused.
 */
export function parseArgv(argv: readonly string[], isBool: (name: string) => boolean, isList: (name: string) => boolean = () => false): Flags {
  const flags: Flags = new Map();
  const add = (name: string, value: string): void => {
    const list = flags.get(name) ?? [];
    list.push(value);
    flags.set(name, list);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '-h') {
      add('help', 'true');
      continue;
    }
    if (!arg.startsWith('--') || arg === '--') {
      throw new BadInputError(`unexpected argument "${arg}": params are given as --name value or --name=value (see --help)`);
    }
    const eq = arg.indexOf('=');
    if (eq > 0) {
      add(arg.slice(2, eq), arg.slice(eq + 1));
      continue;
    }
    const name = arg.slice(2);
    if (isBool(name)) {
      const next = argv[i + 1];
      if (next != null && /^(true|false|yes|no|1|0|on|off)$/i.test(next)) {
        add(name, next);
        i++;
      } else {
        add(name, 'true');
      }
    } else if (name.startsWith('no-') && isBool(name.slice(3))) {
      add(name.slice(3), 'false');
    } else {
      const next = argv[i + 1];
      if (next == null || (next.startsWith('--') && next.length > 2)) {
        // Let validation name the param; a missing value reads as empty.
        add(name, '');
      } else {
        add(name, next);
        i++;
        // A Tekton array param expands to several arguments: `--tags $(params.tags[*])`.
        while (isList(name) && argv[i + 1] != null && !(argv[i + 1] as string).startsWith('--')) add(name, argv[++i] as string);
      }
    }
  }
  return flags;
}
