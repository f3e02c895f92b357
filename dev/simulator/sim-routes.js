'use strict';
/**
 * The SIM Management operations (spec/sim-management.openapi.json) that the package uses: the SIM list and
 * one SIM, updates (PUT one, POST many), status, connectivity info and reset, events, usage, data and SMS
 * quota, SMS (send, list, get) and Top Up, which places a TOPUP order in the order book.
 * Routing, the token check and request validation come from spec-route.js; this file holds what each does.
 *
 * Choices where the spec is silent (say so in tests that rely on them):
 * - an update changes only the fields it carries (the spec's `imei_lock` default is not applied);
 * - PUT's body `iccid` must name the path's SIM; a bulk POST naming an unknown SIM changes nothing (404);
 * - usage defaults to the last 30 days and refuses a malformed date, an inverted range or more than 6 months;
 * - an SMS needs a payload and a dcs the SMS-Data schema allows (0, 4, 8); it uses one SMS of the quota;
 * - Top Up answers 201 with Location (as documented) and leaves the quota alone: the volume arrives when
 *   1NCE processes the order, which tests play with setSimQuota().
 */
const { routeBySpec, pagingHeaders } = require('./spec-route');
const { sortBy, unknownSortKeys, DATA_VOLUME, SMS_VOLUME } = require('./sims');

/** @typedef {import('./http').Answer} Answer */
/** @typedef {import('./sims').Sim} Sim */

/**
 * @typedef {import('./spec-route').SpecRouteContext & {
 *   sims: import('./sims').SimStore,
 *   network: import('./sim-network').SimNetwork,
 *   sms: import('./sim-sms').SmsStore,
 *   orders: import('./orders').OrderStore,
 *   baseUrl: () => string,
 *   recordTopup: (topup: { iccid: string, payment_method: string, order_number: number }) => void,
 * }} SimRouteContext
 */

const SIM_SORT_KEYS = ['imei', 'ip_address'];
const EVENT_SORT_KEYS = ['id', 'timestamp', 'event_type', 'iccid', 'imei', 'imsi', 'country', 'operator', 'mcc', 'mnc', 'alert', 'event_severity'];
const SMS_SORT_KEYS = ['id', 'submit_date', 'delivery_date', 'expiry_date', 'final_date', 'status', 'sms_type', 'source_address', 'payload'];
const SMS_DCS = [0, 4, 8];

/** @param {string} errorCode @param {string} message @returns {Answer} */
const badRequest = (errorCode, message) => ({ status: 400, json: { statusCode: 400, errorCode, message } });
/** @param {string} what @returns {Answer} */
const notFound = (what) => ({ status: 404, json: { statusCode: 404, errorCode: 'NotFound', message: `${what} not found` } });

/**
 * @param {SimRouteContext} context
 * @param {import('./spec-route').RouteRequest} req
 * @returns {Answer}
 */
function handleSimRequest(context, req) {
	return routeBySpec(context, req, (operationId, { url, params: raw, body }) => {
		/** @type {Record<string, string>} */
		const params = Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, decodeURIComponent(value)]));
		const query = url.searchParams;
		if (operationId === 'getSimsUsingGET') return listSims(context, query);
		if (operationId === 'updateSimsUsingPOST') return updateMany(context, body);
		const sim = params.iccid === undefined ? undefined : context.sims.find(params.iccid);
		if (!sim) return params.iccid === undefined ? notSimulated(req) : notFound(`SIM ${params.iccid}`);
		switch (operationId) {
			case 'getSimUsingGET':
				return { status: 200, json: sim };
			case 'updateSimUsingPUT':
				if (context.sims.find(body.iccid) !== sim) return badRequest('BodyValidationError', `body iccid ${body.iccid} is not the SIM of the path (${params.iccid})`);
				applyUpdate(context, sim, body);
				return { status: 200 };
			case 'getStatusForSimUsingGET':
				return { status: 200, json: context.network.status(sim) };
			case 'getConnectivityInfoForSimUsingGET':
				return { status: 200, json: context.network.connectivityInfo(sim, { subscriber: query.get('subscriber') !== 'false', ussd: query.get('ussd') === 'true' }) };
			case 'resetConnectivityUsingPOST':
				context.network.record(sim, { event_type: 'Connectivity reset' });
				return { status: 201 };
			case 'getEventsForSimUsingGET':
				return listEvents(context, sim, query);
			case 'getUsageForSimUsingGET': {
				const usage = context.network.usage(sim, query.get('start_dt'), query.get('end_dt'));
				return 'error' in usage ? badRequest('QueryValidationError', usage.error) : { status: 200, json: usage };
			}
			case 'getDataQuotaForSimUsingGET':
				return { status: 200, json: quota(sim, 'current_quota', 'quota_status', DATA_VOLUME) };
			case 'getSmsQuotaForSimUsingGET':
				return { status: 200, json: quota(sim, 'current_quota_SMS', 'quota_status_SMS', SMS_VOLUME) };
			case 'getSmsForSimUsingGET':
				return listSms(context, sim, query);
			case 'sendSmsToSimUsingPOST':
				return sendSms(context, sim, body);
			case 'getSmsOfSimUsingGET': {
				const sms = context.sms.find(sim.iccid, Number(params.id));
				return sms ? { status: 200, json: sms } : notFound(`SMS ${params.id} of SIM ${params.iccid}`);
			}
			case 'topUpUsingPOST':
				return topUp(context, sim, query.get('payment_method') ?? 'banktransfer');
			default:
				return notSimulated(req);
		}
	});
}

/** @param {{ method: string, path: string }} req @returns {Answer} */
function notSimulated(req) {
	return { status: 404, json: { message: `Not Found: ${req.method} ${req.path} is not simulated` } };
}

/**
 * @param {URLSearchParams} query
 * @param {string[]} sortKeys
 */
function paging(query, sortKeys) {
	const sort = query.get('sort');
	const unknown = unknownSortKeys(sort, sortKeys);
	return {
		page: Number(query.get('page') ?? 1),
		pageSize: Number(query.get('pageSize') ?? 10),
		sort,
		error: unknown.length ? badRequest('QueryValidationError', `Unknown sort key ${unknown.join(', ')}; allowed: ${sortKeys.join(', ')}`) : null,
	};
}

/** @param {SimRouteContext} context @param {URLSearchParams} query @returns {Answer} */
function listSims(context, query) {
	const { page, pageSize, sort, error } = paging(query, SIM_SORT_KEYS);
	if (error) return error;
	const result = context.sims.page({ page, pageSize, q: query.get('q'), sort });
	return { status: 200, headers: pagingHeaders({ page, pageSize, totalCount: result.totalCount }), json: result.items };
}

/**
 * @param {SimRouteContext} context
 * @param {Array<{ iccid: string, status: string, label?: string, imei_lock?: boolean }>} updates
 * @returns {Answer}
 */
function updateMany(context, updates) {
	const missing = updates.filter((u) => !context.sims.find(u.iccid)).map((u) => u.iccid);
	if (missing.length) return notFound(`SIM ${missing.join(', ')}`);
	for (const values of updates) applyUpdate(context, /** @type {Sim} */ (context.sims.find(values.iccid)), values);
	return { status: 201 };
}

/**
 * @param {SimRouteContext} context
 * @param {Sim} sim
 * @param {{ status: string, label?: string, imei_lock?: boolean }} values
 */
function applyUpdate(context, sim, values) {
	const before = sim.status;
	/** @type {Record<string, any>} */
	const partial = { status: values.status };
	if (values.label !== undefined) partial.label = values.label;
	if (values.imei_lock !== undefined) partial.imei_lock = values.imei_lock;
	context.sims.update(sim.iccid, partial);
	if (before !== values.status) context.network.record(sim, { event_type: `Status of SIM changed from '${before}' to '${values.status}'` });
}

/** @param {SimRouteContext} context @param {Sim} sim @param {URLSearchParams} query @returns {Answer} */
function listEvents(context, sim, query) {
	const { page, pageSize, sort, error } = paging(query, EVENT_SORT_KEYS);
	if (error) return error;
	const all = context.network.events(sim);
	const events = sort ? sortBy(all, sort) : all;
	const headers = pagingHeaders({ page, pageSize, totalCount: events.length });
	return {
		status: 200,
		headers,
		json: { events: events.slice((page - 1) * pageSize, page * pageSize), totalEvents: events.length, totalPages: Number(headers['X-Total-Pages']) },
	};
}

/**
 * GET …/quota/data and …/quota/sms (schema Quota), consistent with the SIM's list fields.
 * @param {Sim} sim
 * @param {'current_quota' | 'current_quota_SMS'} leftKey
 * @param {'quota_status' | 'quota_status_SMS'} statusKey
 * @param {number} volume  one package
 */
function quota(sim, leftKey, statusKey, volume) {
	const left = Number(sim[leftKey] ?? 0);
	const status = sim[statusKey] ?? {};
	/** @type {Record<string, any>} */
	const answer = {
		volume: left,
		total_volume: Math.max(volume, left),
		expiry_date: '2034-01-01T00:00:00.000Z',
		last_volume_added: volume,
		last_status_change_date: status.quota_exceeded_date ?? status.threshold_reached_date ?? '2025-05-01T00:00:00.000Z',
		threshold_percentage: 20,
	};
	if (leftKey === 'current_quota') answer.peak_throughput = 1_000_000;
	return answer;
}

/** @param {SimRouteContext} context @param {Sim} sim @param {URLSearchParams} query @returns {Answer} */
function listSms(context, sim, query) {
	const { page, pageSize, sort, error } = paging(query, SMS_SORT_KEYS);
	if (error) return error;
	const all = context.sms.of(sim.iccid);
	const list = sort ? sortBy(all, sort) : all;
	return { status: 200, headers: pagingHeaders({ page, pageSize, totalCount: list.length }), json: list.slice((page - 1) * pageSize, page * pageSize) };
}

/** @param {SimRouteContext} context @param {Sim} sim @param {Record<string, any>} message @returns {Answer} */
function sendSms(context, sim, message) {
	if (typeof message.payload !== 'string' || message.payload === '') return badRequest('BodyValidationError', 'payload is required');
	if (message.dcs !== undefined && !SMS_DCS.includes(message.dcs)) return badRequest('BodyValidationError', `dcs must be one of ${SMS_DCS.join(', ')}`);
	context.sms.add(sim, message, 'MT');
	const left = Number(sim.current_quota_SMS ?? 0);
	if (left > 0) context.sims.setQuota(sim.iccid, { sms: left - 1 });
	return { status: 201 };
}

/** @param {SimRouteContext} context @param {Sim} sim @param {string} paymentMethod @returns {Answer} */
function topUp(context, sim, paymentMethod) {
	const order = context.orders.createTopup(sim.iccid);
	context.recordTopup({ iccid: sim.iccid, payment_method: paymentMethod, order_number: order.order_number });
	return { status: 201, headers: { Location: `${context.baseUrl()}/v1/orders/${order.order_number}` } };
}

module.exports = { handleSimRequest };
