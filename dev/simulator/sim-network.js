'use strict';
/**
 * What the network knows about a SIM: connectivity and location (/status), connectivity info, events and
 * daily usage. Drawn on demand from a PRNG keyed by seed and ICCID, so 10,000 SIMs cost no memory here;
 * only SIMs a test or a write touched keep state (a connectivity override, events added since).
 */
const { createPrng } = require('./prng');

const CONNECTIVITY = /** @type {const} */ (['ONLINE', 'ATTACHED', 'OFFLINE']);
const NETWORKS = [
	{ operator: { id: '2', name: 'Telekom' }, country: { country_id: '74', name: 'Germany', country_code: '49', mcc: '262', 'iso-code': 'de', latitude: '51', longitude: '9' }, mnc: '01' },
	{ operator: { id: '5', name: 'Vodafone' }, country: { country_id: '73', name: 'United Kingdom', country_code: '44', mcc: '234', 'iso-code': 'gb', latitude: '54', longitude: '-2' }, mnc: '15' },
	{ operator: { id: '9', name: 'Orange' }, country: { country_id: '70', name: 'France', country_code: '33', mcc: '208', 'iso-code': 'fr', latitude: '46', longitude: '2' }, mnc: '01' },
];
const EVENT_TYPES = /** @type {const} */ ([
	['Create PDP Context', 'Info'],
	['Delete PDP Context', 'Info'],
	['Update location', 'Info'],
	['Update GPRS location', 'Info'],
	['Purge location', 'Warn'],
]);
/** Usage reaches back 6 months at most (1NCE's documentation). */
const MAX_USAGE_DAYS = 184;
const DAY_MS = 86_400_000;
const EUR = { id: 1, symbol: '€', code: 'EUR' };

/** @typedef {import('./sims').Sim} Sim */
/** @typedef {'ONLINE' | 'ATTACHED' | 'OFFLINE'} ConnectivityStatus */

/** 1NCE's timestamp style: 2018-05-07T14:08:05.000+0000. @param {number} ms */
const stamp = (ms) => new Date(ms).toISOString().replace('Z', '+0000');

class SimNetwork {
	/** @param {number | string} seed */
	constructor(seed) {
		this.seedValue = seed;
		/** @type {Map<string, ConnectivityStatus>} */
		this.connectivity = new Map();
		/** @type {Map<string, Array<Record<string, any>>>} events since the seeded history, per ICCID */
		this.recorded = new Map();
	}

	/** @param {Sim} sim @param {string} what */
	rng(sim, what) {
		return createPrng(`${this.seedValue}:${what}:${sim.iccid}`);
	}

	/** @param {Sim} sim */
	network(sim) {
		return this.rng(sim, 'network').pick(NETWORKS);
	}

	/** @param {string} iccid @param {ConnectivityStatus} status */
	setConnectivity(iccid, status) {
		if (!CONNECTIVITY.includes(status)) throw new TypeError(`setSimConnectivity: status must be one of ${CONNECTIVITY.join(', ')}`);
		this.connectivity.set(iccid, status);
	}

	/**
	 * A disabled SIM is offline; an enabled one online, attached or offline by draw, unless set.
	 * @param {Sim} sim
	 * @returns {ConnectivityStatus}
	 */
	connectivityOf(sim) {
		const set = this.connectivity.get(sim.iccid);
		if (set) return set;
		if (sim.status !== 'Enabled') return 'OFFLINE';
		return this.rng(sim, 'connectivity').weighted([
			['ONLINE', 5],
			['ATTACHED', 3],
			['OFFLINE', 2],
		]);
	}

	/** GET /v1/sims/{iccid}/status (schema Connectivity). @param {Sim} sim */
	status(sim) {
		const status = this.connectivityOf(sim);
		const { operator, country, mnc } = this.network(sim);
		const updated = new Date(Date.now() - this.rng(sim, 'seen').int(60, 86_400) * 1000).toISOString();
		/** @type {Record<string, any>} */
		const answer = {
			status,
			location: {
				iccid: sim.iccid,
				imsi: sim.current_imsi ?? sim.imsi,
				last_updated: updated,
				last_updated_gprs: updated,
				sgsn_number: `${country.country_code}1600300000`,
				vlr_number: `${country.country_code}1710000000`,
				msc: `${country.country_code}1710300000`,
				operator_id: operator.id,
				operator: { ...operator, country: { id: country.country_id, name: country.name, 'iso-code': country['iso-code'] } },
				country,
			},
			services: status === 'OFFLINE' ? [] : ['GPRS', 'SMS'],
		};
		if (status === 'ONLINE') {
			answer.pdp_context = {
				pdp_context_id: String(1_898_708_000 + Number(sim.iccid.slice(-7))),
				imsi: sim.current_imsi ?? sim.imsi,
				created: updated,
				mcc: country.mcc,
				mnc,
				ue_ip_address: sim.ip_address,
				rat_type: { rat_type_id: '6' },
			};
		}
		return answer;
	}

	/**
	 * GET /v1/sims/{iccid}/connectivity_info (schema ConnectivityInfo).
	 * @param {Sim} sim
	 * @param {{ subscriber: boolean, ussd: boolean }} ask
	 */
	connectivityInfo(sim, { subscriber, ussd }) {
		const now = Date.now();
		const online = this.connectivityOf(sim) !== 'OFFLINE';
		const { country, mnc } = this.network(sim);
		const rng = this.rng(sim, 'cell');
		/** @type {Record<string, any>} */
		const answer = { request_timestamp: stamp(now), reply_timestamp: stamp(now + 142) };
		if (subscriber) {
			answer.subscriber_info = {
				current_location_retrieved: online,
				age_of_location: online ? 0 : rng.int(1, 1440),
				cell_global_id: { cid: rng.int(1, 65535), lac: rng.int(1, 65535), mcc: country.mcc, mnc },
			};
		}
		if (ussd) answer.ussd_info = online ? { success: true } : { success: false, error: 'Request Timeout Error' };
		return answer;
	}

	/**
	 * Adds an event to a SIM's history (writes through the API, and the addSimEvent control).
	 * @param {Sim} sim
	 * @param {Record<string, any>} event
	 */
	record(sim, event) {
		const list = this.recorded.get(sim.iccid) ?? [];
		list.push({ ...this.eventBase(sim), timestamp: stamp(Date.now()), alert: false, event_severity: 'Info', ...event });
		this.recorded.set(sim.iccid, list);
	}

	/** @param {Sim} sim */
	eventBase(sim) {
		const { operator, country, mnc } = this.network(sim);
		return { iccid: sim.iccid, imei: sim.imei ?? '', imsi: sim.current_imsi ?? sim.imsi, country: country.name, operator: operator.name, mcc: country.mcc, mnc };
	}

	/**
	 * Every event of a SIM, oldest first: a drawn history after its activation, then recorded ones.
	 * @param {Sim} sim
	 * @returns {Array<Record<string, any>>}
	 */
	events(sim) {
		const rng = this.rng(sim, 'events');
		const base = this.eventBase(sim);
		let at = Date.parse(String(sim.activation_date ?? '2024-01-01T00:00:00.000+0000').replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) || Date.UTC(2024, 0, 1);
		const count = sim.activation_date ? rng.int(2, 30) : 0;
		/** @type {Array<Record<string, any>>} */
		const history = [];
		if (count) history.push({ ...base, timestamp: stamp(at), event_type: "Status of SIM changed from 'Issued' to 'Activated'", alert: false, event_severity: 'Info' });
		for (let i = 1; i < count; i++) {
			at += rng.int(60, 48 * 60) * 60_000;
			const [type, severity] = rng.pick(EVENT_TYPES);
			history.push({ ...base, timestamp: stamp(at), event_type: type, alert: severity !== 'Info', event_severity: severity });
		}
		return history.concat(this.recorded.get(sim.iccid) ?? []);
	}

	/**
	 * Daily usage between two dates (YYYY-MM-DD, inclusive; default the last 30 days); an error text for a bad range.
	 * @param {Sim} sim
	 * @param {string | null} start
	 * @param {string | null} end
	 * @returns {{ stats: Array<Record<string, any>> } | { error: string }}
	 */
	usage(sim, start, end) {
		for (const [name, value] of /** @type {const} */ ([['start_dt', start], ['end_dt', end]])) {
			if (value !== null && !isDay(value)) return { error: `${name} must be a date as YYYY-MM-DD (got ${JSON.stringify(value)})` };
		}
		const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
		const to = end !== null ? Date.parse(end) : start !== null ? Math.max(Date.parse(start), today) : today;
		const from = start !== null ? Date.parse(start) : to - 29 * DAY_MS;
		if (from > to) return { error: 'start_dt is after end_dt' };
		if ((to - from) / DAY_MS + 1 > MAX_USAGE_DAYS) return { error: 'usage covers at most 6 months' };
		const active = sim.status === 'Enabled';
		const stats = [];
		for (let day = from; day <= to; day += DAY_MS) {
			const date = new Date(day).toISOString();
			const rng = createPrng(`${this.seedValue}:usage:${sim.iccid}:${date}`);
			const rx = active ? rng.int(0, 2_000_000) / 1_000_000 : 0;
			const tx = active ? rng.int(0, 1_000_000) / 1_000_000 : 0;
			const smsRx = active ? rng.int(0, 3) : 0;
			const smsTx = active ? rng.int(0, 2) : 0;
			stats.push({
				date,
				data: { cost: '0', currency: EUR, traffic_type: { id: 5, unit: 'MB' }, volume: (rx + tx).toFixed(6), volume_rx: rx.toFixed(6), volume_tx: tx.toFixed(6) },
				sms: { cost: '0', currency: EUR, traffic_type: { id: 6, unit: 'SMS' }, volume: String(smsRx + smsTx), volume_rx: String(smsRx), volume_tx: String(smsTx) },
			});
		}
		return { stats };
	}
}

/** @param {string} value */
function isDay(value) {
	const ms = Date.parse(value);
	return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(value);
}

module.exports = { SimNetwork, CONNECTIVITY };
