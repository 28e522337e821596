/** The cluster-side removals every Azure-side removal waits for (cluster side first). */
import { REMOVE_NAMESPACE } from './namespace.js';
import { REMOVE_CSI } from './csi-driver.js';

export const CLUSTER_SIDE: readonly string[] = [REMOVE_NAMESPACE, REMOVE_CSI];
