/** The fault matrix (fault-matrix.ts) for ARM reads, data-plane secret sets and the cluster's helm install. */
import { otherCloudMatrix } from './fault-matrix.js';

otherCloudMatrix(['ARM read', 'data-plane write (secret set)', 'cluster (helm install)']);
