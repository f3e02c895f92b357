'use strict';
/**
 * 1NCE's SIM Management API, read side (`GET /v1/sims`, `GET /v1/sims/{iccid}`, spec/sim-management.openapi.json):
 * reproducible SIMs, paging with 1NCE's paging headers, the `q` filter (imei, ip_address) and `sort`.
 * The API has no status filter: a client that counts SIMs by status must read every page.
 */
const { createPrng } = require('./prng');
const { routeBySpec, pagingHeaders } = require('./spec-route');

const ICCID_PREFIX = '898828066600';
const LABELS = ['', '', '', 'fleet-north', 'fleet-south', 'meter', 'spare'];

/**
 * @typedef {Record<string, any> & { iccid: string, status: string }} Sim
 * @typedef {object} SeedSimsOptions
 * @property {number} [enabledShare]   share of Enabled SIMs, 0..1 (default 0.8); the rest are Disabled
 * @property {string[]} [labels]       labels drawn uniformly ('' leaves a SIM without label)
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

class SimStore {
	/** @param {number | string} seed */
	constructor(seed) {
		this.seedValue = seed;
		/** @type {Sim[]} */
		this.sims = [];
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
		const enabledShare = options.enabledShare ?? 0.8;
		const labels = options.labels ?? LABELS;
		for (let i = 0; i < count; i++) {
			const status = this.rng.next() < enabledShare ? 'Enabled' : 'Disabled';
			this.sims.push(this.generate({ status, label: this.rng.pick(labels) }));
		}
		return this.sims;
	}

	/** @param {Partial<Sim>} [partial] */
	add(partial = {}) {
		const sim = { ...this.generate({ status: 'Disabled', label: '' }), ...partial };
		this.sims.push(sim);
		return sim;
	}

	/** @param {string} iccid */
	find(iccid) {
		return this.sims.find((sim) => sim.iccid === iccid || sim.iccid_with_luhn === iccid);
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
		const quotaText = ['More than 20% available', 'Less than 20% available', 'No quota available'][quotaId];
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
			current_quota: 500,
			quota_status: { id: quotaId, description: quotaText },
			current_quota_SMS: 250,
			quota_status_SMS: { id: 0, description: 'More than 20% available' },
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
		if (sort) {
			const keys = sort.split(',').map((key) => ({ key: key.replace(/^-/, ''), descending: key.startsWith('-') }));
			list = [...list].sort((a, b) => {
				for (const { key, descending } of keys) {
					const x = String(a[key] ?? '');
					const y = String(b[key] ?? '');
					if (x !== y) return (x < y ? -1 : 1) * (descending ? -1 : 1);
				}
				return 0;
			});
		}
		return { items: list.slice((page - 1) * pageSize, page * pageSize), totalCount: list.length };
	}
}

const SORT_KEYS = new Set(['imei', 'ip_address']);

/**
 * @param {import('./spec-route').SpecRouteContext & { sims: SimStore }} context
 * @param {{ method: string, path: string, url: URL, headers: import('node:http').IncomingHttpHeaders }} req
 * @returns {import('./http').Answer}
 */
function handleSimRequest(context, req) {
	return routeBySpec(context, req, (operationId, { url, path }) => {
		if (operationId === 'getSimsUsingGET') {
			const params = url.searchParams;
			const sort = params.get('sort');
			const badSort = sort?.split(',').find((key) => !SORT_KEYS.has(key.replace(/^-/, '')));
			if (badSort !== undefined) {
				return { status: 400, json: { statusCode: 400, errorCode: 'QueryValidationError', message: `Unknown sort key ${badSort}` } };
			}
			const page = Number(params.get('page') ?? 1);
			const pageSize = Number(params.get('pageSize') ?? 10);
			const result = context.sims.page({ page, pageSize, q: params.get('q'), sort });
			return { status: 200, headers: pagingHeaders({ page, pageSize, totalCount: result.totalCount }), json: result.items };
		}
		if (operationId === 'getSimUsingGET') {
			const iccid = decodeURIComponent(path.replace(/\/$/, '').split('/').pop() || '');
			const sim = context.sims.find(iccid);
			if (!sim) return { status: 404, json: { statusCode: 404, errorCode: 'NotFound', message: `SIM ${iccid} not found` } };
			return { status: 200, json: sim };
		}
		return { status: 404, json: { message: `Not Found: ${req.method} ${req.path} is not simulated` } };
	});
}

/** @param {string} path */
const isSimsPath = (path) => path === '/v1/sims' || path.startsWith('/v1/sims/');

module.exports = { SimStore, handleSimRequest, isSimsPath, luhnDigit };
