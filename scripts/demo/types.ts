/** What every demo stage receives from `npm run demo` (scripts/demo.ts). */
export interface DemoContext {
  /** The repository root. */
  root: string;
  /** A scratch directory for this demo run, removed on exit. */
  workDir: string;
  /** Admin connection URL of the demo's PostgreSQL server (embedded, no Docker). */
  adminUrl: string;
  /** The app's database URL; the database phase sets it. */
  databaseUrl?: string;
  /** step-counter's base URL once it runs (app phase). */
  appUrl?: string;
  /** Prints a line of the demo's own narration. */
  log(line: string): void;
  /** Runs a step bundle (dist/<name>.mjs) as a pipeline would; its output streams to the terminal. */
  runStep(name: string, args: string[], env?: Record<string, string>): Promise<{ code: number; results: Record<string, string> }>;
}

/** One stage of the demo; each step package contributes scripts/demo/stages/<name>.ts exporting `stage`. */
export interface DemoStage {
  title: string;
  /** database: runs before the app starts and must set ctx.databaseUrl; app: runs once the app is up. */
  phase: 'database' | 'app';
  /** Stages of a phase run in ascending order. */
  order: number;
  run(ctx: DemoContext): Promise<void>;
}
