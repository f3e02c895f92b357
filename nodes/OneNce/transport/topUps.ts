import type { CreateOrderResult } from './orders';
import type { ApiContext } from './request';
import { apiRequest } from './request';
import { simNotFound, simPath } from './sims';

/** How 1NCE is to bill a top-up (spec: the `payment_method` query parameter). */
export const PAYMENT_METHODS = ['banktransfer', 'creditcard', 'monthlyinvoice', 'boleto'] as const;

/**
 * Orders a top-up of one SIM's volume: a billed order, so sent exactly once whatever happens (see apiRequest).
 * Its Location, when 1NCE sends one, names the new TOPUP order.
 */
export async function topUpSim(this: ApiContext, iccid: string, paymentMethod: string): Promise<CreateOrderResult> {
	const response = await apiRequest.call(this, {
		method: 'POST',
		path: `${simPath(iccid)}/topup`,
		qs: { payment_method: paymentMethod },
		failureContext: { notFoundMessage: simNotFound(iccid) },
	});
	return { statusCode: response.statusCode, location: response.headers.location, body: response.body };
}
