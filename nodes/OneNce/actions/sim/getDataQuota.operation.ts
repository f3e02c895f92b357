import { detailOperation } from './detailOperation';

// GET /v1/sims/{iccid}/quota/data: volume left, total, expiry and threshold.
export const { description, execute } = detailOperation('getDataQuota', 'quota/data');
