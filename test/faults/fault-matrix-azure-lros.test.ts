/** The fault matrix (fault-matrix.ts) for each LRO of the azure topology, ending Failed. */
import { azureLroMatrix } from './fault-matrix.js';

azureLroMatrix();
