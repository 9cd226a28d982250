export { testdir, writeTree } from './testdir.ts';
export type { Tree } from './testdir.ts';
export { runInProcess, Collector } from './run-step.ts';
export type { InProcessRun } from './run-step.ts';
export { startPostgres, dockerAvailable, IMAGES } from './containers.ts';
export type { PostgresHandle } from './containers.ts';
export { buildStepImage, buildFixtureImage, runStepImage, startStepImage, imageLabels } from './image-harness.ts';
export type { StepImageRun, RunStepImageOptions, StartedStepImage } from './image-harness.ts';
