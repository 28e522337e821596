/** The shipped presets with helm 4.1 + kubectl 1.34 (preset-runs.ts). */
import { describe } from 'vitest';
import { presetRuns } from './preset-runs.js';

describe('shipped presets with helm 4.1 and kubectl 1.34', () => presetRuns('helm4'));
