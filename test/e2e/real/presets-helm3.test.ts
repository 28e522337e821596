/** The shipped presets with helm 3.17 + kubectl 1.32 (preset-runs.ts). */
import { describe } from 'vitest';
import { presetRuns } from './preset-runs.js';

describe('shipped presets with helm 3.17 and kubectl 1.32', () => presetRuns('helm3'));
