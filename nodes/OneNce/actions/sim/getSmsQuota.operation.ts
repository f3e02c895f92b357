import { detailOperation } from './detailOperation';

// GET /v1/sims/{iccid}/quota/sms: SMS left, total, expiry and threshold.
export const { description, execute } = detailOperation('getSmsQuota', 'quota/sms');
