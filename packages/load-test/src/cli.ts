import { main } from '@steg/step-kit';
import { step } from './step.ts';
await main(step);
