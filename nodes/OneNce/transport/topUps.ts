import { SIM_RATE_LIMIT_HINT } from './sims';
import type { ApiContext } from './request';
import { apiRequest } from './request';

/** How 1NCE is to bill a top-up (spec: the `payment_method` query parameter). */
export const PAYMENT_METHODS = ['banktransfer', 'creditcard', 'monthlyinvoice', 'boleto'] as const;

export interface TopUpResult {
	statusCode: number;
	/** Where the new TOPUP order is, when 1NCE says (201 with Location). */
	location?: string;
	body: unknown;
}

/**
 * Orders a top-up of one SIM's volume: a billed order. A POST, so sent exactly once whatever happens (see
 * apiRequest), and paced in the SIM window (its path is under /v1/sims).
 */
export async function topUpSim(this: ApiContext, iccid: string, paymentMethod: string): Promise<TopUpResult> {
	const response = await apiRequest.call(this, {
		method: 'POST',
		path: `/v1/sims/${encodeURIComponent(iccid)}/topup`,
		qs: { payment_method: paymentMethod },
		failureContext: { notFoundMessage: `SIM ${iccid} was not found`, rateLimitHint: SIM_RATE_LIMIT_HINT },
	});
	return { statusCode: response.statusCode, location: response.headers.location, body: response.body };
}
