/**
 * The Feathr release's install request, as the release step hands it to helm: chart, release,
 * namespace, the values built from the preset and the secret mapping, and the pipeline files.
 * The preflight renders this same request with `helm template` (checks/release-inputs.ts), so
 * the chart judges what the release will really get before anything is written.
 */
import type { HelmInstallRequest } from '../kube/port.js';
import { feathrNamespace, feathrRelease } from './kube-shared.js';
import { helmFiles, pipelineFiles } from './feathr-release-files.js';
import { chartDir, desiredValues, type ReleaseCtx } from './feathr-release-values.js';

/** A GUID of the right shape for an identity this run creates; only `helm template` sees it. */
const STAND_IN_CLIENT_ID = '00000000-0000-0000-0000-000000000000';

export async function releaseRequestForTemplate(ctx: ReleaseCtx): Promise<HelmInstallRequest> {
  const desired = await desiredValues(ctx, { standInClientId: STAND_IN_CLIENT_ID });
  const files = await pipelineFiles(ctx.config, ctx.secrets?.baseDir);
  return {
    release: feathrRelease(ctx.config),
    namespace: feathrNamespace(ctx.config),
    chart: chartDir(ctx),
    values: (desired.values ?? {}) as Record<string, unknown>,
    ...(helmFiles(files) ? { files: helmFiles(files)! } : {}),
    wait: true,
    timeoutSeconds: 300,
  };
}
