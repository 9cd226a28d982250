import { defineStep } from '@steg/step-kit';
import { params, results } from './declaration.ts';

/** The load-test step: one program, two modes (run the load, or merge the runs of a matrix). */
export const step = defineStep({
  name: 'load-test',
  description: 'Loads a test or staging target with autocannon and turns the result into a verdict (k6-style thresholds, baseline) and reports',
  params,
  results,
  deadline: '45m',
  exitCodes: { 1: 'a threshold was broken or the baseline regressed', 3: 'inconclusive: the load generator was the bottleneck' },
  examples: [
    'steg-load-test --target http://127.0.0.1:8080/api/health --duration 10s --thresholds "p(95)<200ms,error_rate<1%"',
    'steg-load-test --target https://app.test.example.com --allowed-hosts "*.test.example.com" --profile load/profile.yaml --rate 200',
    'steg-load-test --mode merge --merge-from reports/ --report-dir reports/merged',
  ],
  async run(ctx) {
    const { runLoadTest } = await import('./run.ts');
    return runLoadTest(ctx);
  },
});
