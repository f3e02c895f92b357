import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getOrder, orderNumberInLocation } from '../../transport/orders';
import type { Order } from '../../transport/orders';
import { PAYMENT_METHODS, topUpSim } from '../../transport/topUps';
import { asNodeError } from '../../nodeError';
import type { GuardTarget, OrderSession } from '../order/recentDuplicate';
import { checkRecent, claimKey, guardOptionsFor, guardWindowHours } from '../order/recentDuplicate';
import { agentMayOrderProperty, checkAgentMayOrder } from '../toolPolicy';
import { showOnlyFor } from '../fields';
import { iccidField, iccidOf } from './fields';

const TOP_UP_SWITCH = 'Skip If This SIM Was Topped Up Recently';

const PAYMENT_NAMES: Record<(typeof PAYMENT_METHODS)[number], string> = {
	banktransfer: 'Bank Transfer',
	boleto: 'Boleto',
	creditcard: 'Credit Card',
	monthlyinvoice: 'Monthly Invoice',
};

export const description: INodeProperties[] = showOnlyFor('sim', 'topUp', [
	{
		displayName:
			'Top Up places a real, billed order with 1NCE for more data and SMS volume on this SIM. It is sent at most once, and skipped when this SIM was topped up within the last hour (see Options). If the answer is lost, check the order list before topping up again.',
		name: 'topUpNotice',
		type: 'notice',
		default: '',
	},
	agentMayOrderProperty,
	iccidField('ICCID of the SIM to top up, with or without its check digit'),
	{
		displayName: 'Payment Method',
		name: 'paymentMethod',
		type: 'options',
		options: [...PAYMENT_METHODS].sort().map((value) => ({ name: PAYMENT_NAMES[value], value })),
		default: 'banktransfer',
		description: "How 1NCE bills the top-up (bank transfer is 1NCE's own default)",
	},
	guardOptionsFor(
		TOP_UP_SWITCH,
		'Whether to look at the orders placed within the hours below first (on unless turned off here) and, when a top-up order lists this SIM, output it with "skipped: true" instead of topping up again. Turn off to top up the same SIM again on purpose.',
		[
			{
				displayName: 'Include the New Order',
				name: 'includeOrder',
				type: 'boolean',
				default: false,
				description:
					'Whether to read the new order once it is placed and output it as "order". Costs one request of the orders allowance; if that read fails, the top-up still stands and "order_error" says why.',
			},
		],
	),
]);

/** One item's top-up, or why its input is wrong: run for every item before any top-up is sent. */
export function prepare(this: IExecuteFunctions, itemIndex: number): { iccid: string; paymentMethod: string; hours: number | undefined } {
	checkAgentMayOrder(this, itemIndex);
	const iccid = iccidOf(this, itemIndex);
	const paymentMethod = String(this.getNodeParameter('paymentMethod', itemIndex, 'banktransfer'));
	if (!(PAYMENT_METHODS as readonly string[]).includes(paymentMethod)) {
		throw new Error(`Payment Method must be one of ${PAYMENT_METHODS.join(', ')}, got "${paymentMethod}"`);
	}
	return { iccid, paymentMethod, hours: guardWindowHours(this, itemIndex) };
}

/** A top-up is a billed order: the router sends it at most once per item per run of the node. */
export const placesOrders = true;

/** The same SIM: equal ICCIDs, or one is the other with its Luhn check digit appended. */
function sameSim(listed: unknown, iccid: string): boolean {
	const other = String(listed ?? '');
	if (other === '') return false;
	if (other === iccid) return true;
	const [shorter, longer] = other.length < iccid.length ? [other, iccid] : [iccid, other];
	return longer.length === shorter.length + 1 && longer.startsWith(shorter);
}

/** The top-up guard of one SIM: a TOPUP order, or a BULK_TOPUP that lists it; this run's top-ups placed without a known number are claimed per SIM. */
function topUpOf(iccid: string): GuardTarget {
	const same = (order: Order) =>
		(order.order_type === 'TOPUP' || order.order_type === 'BULK_TOPUP') &&
		(Array.isArray(order.sims) ? (order.sims as IDataObject[]) : []).some((sim) => sameSim(sim?.iccid, iccid));
	return { key: `topup:${iccid}`, same, switchName: TOP_UP_SWITCH };
}

/** The new order, read once; a failed read is reported beside the top-up, never instead of it. */
async function readNewOrder(this: IExecuteFunctions, orderNumber: number | null, itemIndex: number): Promise<IDataObject> {
	if (orderNumber === null) return { order: null, order_error: '1NCE sent no order number (no Location), so the order was not read' };
	try {
		return { order: await getOrder.call(this, orderNumber, { maxWaitMs: 60_000 }) };
	} catch (error) {
		return { order: null, order_error: asNodeError(this.getNode(), error, itemIndex).message };
	}
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ iccid, paymentMethod, hours }: ReturnType<typeof prepare>,
	session: OrderSession,
): Promise<INodeExecutionData[]> {
	const target = topUpOf(iccid);
	const { match, report } = await checkRecent.call(this, session, itemIndex, hours, target);
	if (match) return [{ json: { ...match, iccid, ...report } }];
	const result = await topUpSim.call(this, iccid, paymentMethod);
	const orderNumber = orderNumberInLocation(result.location);
	claimKey(session.record.claims, target.key, orderNumber);
	const json: IDataObject = {
		iccid,
		status_code: result.statusCode,
		order_number: orderNumber,
		location: result.location ?? null,
		payment_method: paymentMethod,
		response: (result.body === '' || result.body === undefined ? null : result.body) as IDataObject | null,
		...report,
	};
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	if (options.includeOrder === true) Object.assign(json, await readNewOrder.call(this, orderNumber, itemIndex));
	return [{ json }];
}
