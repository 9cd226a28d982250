// Clean-up actions for the demo, run last-in first-out exactly once, whatever ends the
// demo (success, a failure, Ctrl-C or SIGTERM). One failing action does not skip the rest.

type Action = { name: string; fn: () => Promise<void> | void };

/** A stack of clean-up actions. */
export class Cleanup {
  private readonly actions: Action[] = [];
  private running: Promise<void> | undefined;

  constructor(private readonly warn: (line: string) => void = (l) => process.stderr.write(`${l}\n`)) {}

  /** Registers an action; it runs before the ones registered earlier. */
  add(name: string, fn: () => Promise<void> | void): void {
    this.actions.push({ name, fn });
  }

  /** Runs every action once, each bounded by timeoutMs; later calls wait for the first. */
  run(timeoutMs = 15_000): Promise<void> {
    this.running ??= (async () => {
      for (const a of this.actions.reverse()) {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            Promise.resolve().then(a.fn),
            new Promise((_r, reject) => {
              timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
            }),
          ]);
        } catch (err) {
          this.warn(`clean-up: ${a.name} failed: ${(err as Error).message}`);
        } finally {
          clearTimeout(timer);
        }
      }
    })();
    return this.running;
  }
}
