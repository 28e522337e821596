/** The fault matrix (fault-matrix.ts) for ARM writes, with and without an LRO, and a vault LRO that ends Failed. */
import { otherCloudMatrix } from './fault-matrix.js';

otherCloudMatrix(['ARM write, LRO (vault PUT)', 'ARM write, no LRO (role assignment PUT)'], {
  withVaultLroFailed: true,
});
