// Types for images/build-images.mjs, so the TypeScript image harness can import it.
export declare const root: string;
export declare const containerfile: string;
export declare const DEFAULT_BASE_IMAGE: string;
export declare const TARGETS: readonly string[];
export declare class UsageError extends Error {}
export declare function findSteps(packagesDir?: string): string[];
export declare function readStepPackage(packageDir: string): { version: string; target: string; description: string };
export declare function detectEngine(env?: NodeJS.ProcessEnv): string;
export declare function gitRevision(cwd?: string): string;
export declare function sourceDateEpoch(env?: NodeJS.ProcessEnv, cwd?: string): number;
export declare function sourceUrl(env?: NodeJS.ProcessEnv, cwd?: string): string;
export declare function run(cmd: string, args: readonly string[], o?: { cwd?: string; env?: NodeJS.ProcessEnv }): Promise<string>;
export declare function bundleStep(o: { name: string; packageDir: string; distDir: string }): Promise<{ bundle: string; assetsDir: string }>;
export declare function buildImage(o: {
  name: string;
  bundle: string;
  assetsDir?: string;
  tag: string;
  target?: string;
  baseImage?: string;
  version: string;
  revision?: string;
  source?: string;
  engine?: string;
  epoch?: number;
}): Promise<string>;
export declare function prepareContext(o: { name: string; bundle: string; assetsDir?: string; epoch?: number }): string;
export declare function imageSize(tag: string, engine?: string): Promise<number>;
export declare function pushImage(tag: string, engine?: string): Promise<void>;
export declare function parseArgs(argv: readonly string[], env?: NodeJS.ProcessEnv): {
  names: string[];
  registry: string;
  push: boolean;
  baseImage: string;
  tag: string | undefined;
  packages: string;
  out: string;
  source: string | undefined;
  help?: boolean;
};
