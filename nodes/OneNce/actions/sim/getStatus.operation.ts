import { detailOperation } from './detailOperation';

// GET /v1/sims/{iccid}/status: connectivity (ONLINE, ATTACHED, OFFLINE) and location.
export const { description, execute } = detailOperation('getStatus', 'status');
