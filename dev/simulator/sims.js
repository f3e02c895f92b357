'use strict';
/**
 * The simulator's SIM inventory (spec/sim-management.openapi.json, schema SIM_card): reproducible SIMs,
 * an ICCID index so 10,000 SIMs stay cheap, paging with the `q` filter (imei, ip_address) and `sort`, and
 * the writes that the API and the control methods make (status, label, IMEI lock, quotas).
 * The API has no status filter: a client that counts SIMs by status must read every page.
 */
const { createPrng } = require('./prng');

const ICCID_PREFIX = '898828066600';
const LABELS = ['', '', '', 'fleet-north', 'fleet-south', 'meter', 'spare'];
/** Volume of one 1NCE package: 500 MB of data, 250 SMS; "low" is under 20 % of it (quota_status id 1). */
const DATA_VOLUME = 500;
const SMS_VOLUME = 250;
const QUOTA_TEXT = ['More than 20% available', 'Less than 20% available', 'No quota available'];
/** Quota dates of generated SIMs: one fixed instant, so seeds give the same SIMs on every run. */
const SEED_QUOTA_DATE = '2025-05-01T00:00:00.000Z';

/**
 * @typedef {Record<string, any> & { iccid: string, status: string }} Sim
 * @typedef {object} SeedSimsOptions
 * @property {number} [enabledShare]   share of Enabled SIMs, 0..1 (default 0.8); the rest are Disabled
 * @property {string[]} [labels]       labels drawn uniformly ('' leaves a SIM without label)
 * @typedef {object} SimQuota
 * @property {number} [data]  MB left (current_quota); quota_status follows from it
 * @property {number} [sms]   SMS left (current_quota_SMS); quota_status_SMS follows from it
 */

/** @param {string} digits */
function luhnDigit(digits) {
	let sum = 0;
	for (let i = 0; i < digits.length; i++) {
		let d = Number(digits[digits.length - 1 - i]);
		if (i % 2 === 0) {
			d *= 2;
			if (d > 9) d -= 9;
		}
		sum += d;
	}
	return String((10 - (sum % 10)) % 10);
}

/**
 * quota_status for `left` of `volume`: 0 more than 20 % left, 1 less, 2 none (1NCE's ids).
 * @param {number} left
 * @param {number} volume
 * @param {string} at  date-time of a threshold or exhaustion this call causes
 */
function quotaStatus(left, volume, at) {
	const id = left <= 0 ? 2 : left < volume * 0.2 ? 1 : 0;
	/** @type {Record<string, any>} */
	const status = { id, description: QUOTA_TEXT[id] };
	if (id >= 1) status.threshold_reached_date = at;
	if (id === 2) status.quota_exceeded_date = at;
	return status;
}

class SimStore {
	/** @param {number | string} seed */
	constructor(seed) {
		this.seedValue = seed;
		/** @type {Sim[]} live array, in creation order */
		this.sims = [];
		/** @type {Map<string, Sim>} iccid and iccid_with_luhn -> SIM */
		this.index = new Map();
		this.sequence = 0;
		this.rng = createPrng(`${seed}:sims`);
	}

	/**
	 * Replaces all SIMs with `count` generated ones.
	 * @param {number} count
	 * @param {SeedSimsOptions} [options]
	 */
	seed(count, options = {}) {
		if (!Number.isInteger(count) || count < 0) throw new TypeError('seedSims(n): n must be an integer >= 0');
		this.rng = createPrng(`${this.seedValue}:sims`);
		this.sequence = 0;
		this.sims.length = 0;
		this.index.clear();
		const enabledShare = options.enabledShare ?? 0.8;
		const labels = options.labels ?? LABELS;
		for (let i = 0; i < count; i++) {
			const status = this.rng.next() < enabledShare ? 'Enabled' : 'Disabled';
			this.push(this.generate({ status, label: this.rng.pick(labels) }));
		}
		return this.sims;
	}

	/** @param {Partial<Sim>} [partial] */
	add(partial = {}) {
		const sim = { ...this.generate({ status: 'Disabled', label: '' }), ...partial };
		if (this.find(sim.iccid)) throw new Error(`addSim: SIM ${sim.iccid} exists`);
		this.push(sim);
		return sim;
	}

	/** @param {string} iccid */
	remove(iccid) {
		const sim = this.require(iccid, 'removeSim');
		this.sims.splice(this.sims.indexOf(sim), 1);
		this.index.delete(sim.iccid);
		this.index.delete(sim.iccid_with_luhn);
		return sim;
	}

	/** @param {Sim} sim */
	push(sim) {
		this.sims.push(sim);
		this.index.set(sim.iccid, sim);
		if (sim.iccid_with_luhn) this.index.set(sim.iccid_with_luhn, sim);
	}

	/**
	 * The SIM with this ICCID (with or without its Luhn digit). Tests may push to `sims` directly,
	 * so a miss falls back to a scan; take SIMs out with remove(), which keeps the index.
	 * @param {string} iccid
	 * @returns {Sim | undefined}
	 */
	find(iccid) {
		const hit = this.index.get(iccid);
		if (hit) return hit;
		const sim = this.sims.find((s) => s.iccid === iccid || s.iccid_with_luhn === iccid);
		if (sim) this.index.set(iccid, sim);
		return sim;
	}

	/** @param {string} iccid @param {string} who */
	require(iccid, who) {
		const sim = this.find(iccid);
		if (!sim) throw new Error(`${who}: SIM ${iccid} does not exist`);
		return sim;
	}

	/**
	 * Merges fields into a SIM (control method: any SIM_card field, e.g. status, label, quota_status).
	 * @param {string} iccid
	 * @param {Partial<Sim>} partial
	 */
	update(iccid, partial) {
		const sim = this.require(iccid, 'updateSim');
		if (partial.status === 'Enabled' && sim.status !== 'Enabled' && !sim.activation_date && !('activation_date' in partial)) {
			sim.activation_date = new Date().toISOString().replace('Z', '+0000');
		}
		Object.assign(sim, partial);
		return sim;
	}

	/**
	 * Sets what is left of a SIM's data and/or SMS quota; the quota statuses follow (20 % rule).
	 * @param {string} iccid
	 * @param {SimQuota} quota
	 */
	setQuota(iccid, quota) {
		const sim = this.require(iccid, 'setSimQuota');
		const now = new Date().toISOString();
		for (const [given, leftKey, statusKey, volume] of /** @type {const} */ ([
			[quota.data, 'current_quota', 'quota_status', DATA_VOLUME],
			[quota.sms, 'current_quota_SMS', 'quota_status_SMS', SMS_VOLUME],
		])) {
			if (given === undefined) continue;
			if (!(given >= 0)) throw new TypeError(`setSimQuota: ${leftKey} must be >= 0`);
			const status = quotaStatus(given, volume, now);
			sim[leftKey] = given;
			// A status that stays keeps the dates of when it was reached.
			if (sim[statusKey]?.id !== status.id) sim[statusKey] = status;
		}
		return sim;
	}

	/**
	 * @param {{ status: string, label: string }} o
	 * @returns {Sim}
	 */
	generate({ status, label }) {
		const n = ++this.sequence;
		const iccid = `${ICCID_PREFIX}${String(n).padStart(7, '0')}`;
		const imsi = `90140510${String(n).padStart(7, '0')}`;
		const quotaId = this.rng.pick([0, 0, 0, 1, 2]);
		// Left over quota follows the status drawn; from n alone, so the draws (and seeded SIMs) stay as they were.
		const data = [100 + ((n * 7919) % 40000) / 100, 1 + ((n * 104729) % 9800) / 100, 0][quotaId];
		const sms = n % 23 === 5 ? 0 : n % 10 === 7 ? 1 + (n % 49) : SMS_VOLUME - (n % 150);
		/** @type {Sim} */
		const sim = {
			iccid,
			iccid_with_luhn: iccid + luhnDigit(iccid),
			imsi,
			current_imsi: imsi,
			msisdn: `88228510${String(n).padStart(7, '0')}`,
			imei: status === 'Enabled' ? `35${String(this.rng.int(0, 1e12)).padStart(13, '0')}` : '',
			imei_lock: false,
			status,
			ip_address: `100.${64 + Math.floor(n / 65536)}.${Math.floor(n / 256) % 256}.${n % 256}`,
			current_quota: data,
			quota_status: quotaStatus(data, DATA_VOLUME, SEED_QUOTA_DATE),
			current_quota_SMS: sms,
			quota_status_SMS: quotaStatus(sms, SMS_VOLUME, SEED_QUOTA_DATE),
			label,
		};
		// Whether a never-used SIM has an activation date is undocumented; these have none.
		if (status === 'Enabled') sim.activation_date = new Date(Date.UTC(2024, 0, 1) + n * 3_600_000).toISOString().replace('Z', '+0000');
		return sim;
	}

	/**
	 * @param {{ page: number, pageSize: number, q?: string | null, sort?: string | null }} o
	 */
	page({ page, pageSize, q, sort }) {
		let list = this.sims;
		if (q) {
			const criteria = q.split(',').map((part) => part.split(':'));
			list = list.filter((sim) => criteria.every(([key, ...value]) => String(sim[key] ?? '') === value.join(':')));
		}
		if (sort) list = sortBy(list, sort);
		return { items: list.slice((page - 1) * pageSize, page * pageSize), totalCount: list.length };
	}
}

/**
 * Records sorted by a comma list of keys, '-' for descending (a new array; ties keep their order).
 * Numbers compare as numbers, everything else as text.
 * @template {Record<string, any>} T
 * @param {T[]} list
 * @param {string} sort
 * @returns {T[]}
 */
function sortBy(list, sort) {
	const keys = sort.split(',').map((key) => ({ key: key.trim().replace(/^-/, ''), descending: key.trim().startsWith('-') }));
	/** @param {unknown} v */
	const value = (v) => (typeof v === 'number' ? v : String(v ?? ''));
	return [...list].sort((a, b) => {
		for (const { key, descending } of keys) {
			const x = value(a[key]);
			const y = value(b[key]);
			if (x !== y) return (x < y ? -1 : 1) * (descending ? -1 : 1);
		}
		return 0;
	});
}

/**
 * The sort keys of a `sort` parameter that are not in `allowed`.
 * @param {string | null} sort
 * @param {Iterable<string>} allowed
 */
function unknownSortKeys(sort, allowed) {
	const known = new Set(allowed);
	return sort ? sort.split(',').filter((key) => !known.has(key.trim().replace(/^-/, ''))) : [];
}

/** @param {string} path */
const isSimsPath = (path) => path === '/v1/sims' || path.startsWith('/v1/sims/');

module.exports = { SimStore, isSimsPath, luhnDigit, quotaStatus, sortBy, unknownSortKeys, DATA_VOLUME, SMS_VOLUME };
