/** The kubelet's termination message for the probe container: the file's last 4096 bytes, only where the script writes it. */
import { describe, expect, it } from 'vitest';
import { probeTerminationMessage } from '../../../source/sandbox/cluster/probe.js';

describe('probe termination message', () => {
  const container = (env: Record<string, string>, terminationMessagePath?: string) => ({
    name: 'probe',
    env: Object.entries(env).map(([name, value]) => ({ name, value })),
    ...(terminationMessagePath ? { terminationMessagePath } : {}),
  });

  it('is the line the script wrote to $TERMINATION_LOG when that is the termination message path', () => {
    expect(probeTerminationMessage(container({ TERMINATION_LOG: '/dev/termination-log' }), 'line\n')).toBe('line\n');
    expect(probeTerminationMessage(container({ TERMINATION_LOG: '/tmp/x' }, '/tmp/x'), 'line\n')).toBe('line\n');
    // Written elsewhere, or not at all: the kubelet finds nothing in the termination message file.
    expect(probeTerminationMessage(container({ TERMINATION_LOG: '/tmp/x' }), 'line\n')).toBeUndefined();
    expect(probeTerminationMessage(container({}), 'line\n')).toBeUndefined();
  });

  it('keeps the last 4096 bytes of a longer one', () => {
    const long = `FEATHR_PROBE_RESULT ${'x'.repeat(5000)}END\n`;
    const message = probeTerminationMessage(container({ TERMINATION_LOG: '/dev/termination-log' }), long)!;
    expect(Buffer.byteLength(message)).toBe(4096);
    expect(long.endsWith(message)).toBe(true);
  });
});
