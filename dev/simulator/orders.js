'use strict';
/**
 * The simulator's order book: realistic, reproducible 1NCE orders, plus sorting and paging.
 * Enumerations (order types, salutations) are read from the spec, never retyped.
 */
const { createPrng } = require('./prng');

const FIRST_NUMBER = 2000000001;
const FIRST_INVOICE = 20000001;
/** The newest seeded order is placed at this instant; older ones step back from it. */
const SEED_ANCHOR_MS = Date.UTC(2025, 5, 2, 9, 30, 0);

/** Product catalogue (ids as used in `productId` / `product_id`), net EUR price per unit. */
const PRODUCTS = {
	sim: [
		{ id: 1001, netPrice: 10 },
		{ id: 1002, netPrice: 12 },
		{ id: 1003, netPrice: 12 },
	],
	topup: [{ id: 2001, netPrice: 10 }],
	tariff: [{ id: 3001, netPrice: 1 }],
};
const PRICE_BY_ID = new Map(
	[...PRODUCTS.sim, ...PRODUCTS.topup, ...PRODUCTS.tariff].map((p) => [p.id, p.netPrice]),
);
const VAT = 0.19;
const SIM_QUANTITIES = [1, 5, 10, 10, 25, 50, 100, 250, 500];

const ADDRESSES = [
	{ first_name: 'Anna', last_name: 'Schmidt', company: 'Sensorik Nord GmbH', street: 'Hafenstrasse', house_number: '12', zip: '20457', city: 'Hamburg', country: 'DE', phone: '+4940123456' },
	{ first_name: 'Jonas', last_name: 'Weber', company: 'Weber Telematik AG', street: 'Industriering', house_number: '4a', address_line2: 'Halle 3', zip: '50829', city: 'Koeln', country: 'DE', phone: '+49221987654' },
	{ first_name: 'Claire', last_name: 'Martin', company: 'Compteurs Connectes SARL', street: 'Rue de la Gare', house_number: '8', zip: '69002', city: 'Lyon', country: 'FR', phone: '+33472000111' },
	{ first_name: 'Pieter', last_name: 'de Vries', company: 'Slimme Sloten BV', street: 'Keizersgracht', house_number: '221', zip: '1016 DV', city: 'Amsterdam', country: 'NL', phone: '+31201234567' },
];

/** Statuses: a new order starts PENDING; old ones are mostly COMPLETED. Free strings per spec. */
const RECENT_STATUSES = /** @type {const} */ ([
	['PENDING', 2],
	['IN_PROGRESS', 3],
	['SHIPPED', 3],
	['COMPLETED', 2],
]);
const SETTLED_STATUSES = /** @type {const} */ ([
	['COMPLETED', 92],
	['CANCELLED', 8],
]);

/** Sort keys accepted by GET /v1/orders (from the spec's `sort` description). */
const SORT_KEYS = ['order_number', 'order_status', 'order_date'];

/**
 * @typedef {Record<string, any> & { order_number: number, order_date: string, order_status: string }} Order
 * @typedef {{ key: string, descending: boolean }} SortKey
 */

class OrderStore {
	/**
	 * @param {{ document: any, seed: number | string }} opts  document: the (normalised) spec
	 */
	constructor({ document, seed }) {
		const schemas = document.components.schemas;
		/** @type {string[]} */
		this.orderTypes = requiredEnum(schemas.Order, 'order_type');
		/** @type {string[]} */
		this.salutations = requiredEnum(schemas.DeliveryAddress, 'salutation');
		for (const key of SORT_KEYS) {
			if (!schemas.Order.properties[key]) throw new Error(`Spec Order schema has no property ${key}`);
		}
		this.seedValue = seed;
		/** @type {Order[]} live array, mutated in place */
		this.orders = [];
		this.rng = createPrng(`${seed}:orders`);
		this.invoiceSeq = FIRST_INVOICE;
		this.iccidSeq = 0;
	}

	resetGenerators() {
		this.rng = createPrng(`${this.seedValue}:orders`);
		this.invoiceSeq = FIRST_INVOICE;
		this.iccidSeq = 0;
	}

	/** Organisation's single default delivery address (used when an order gives none). */
	get defaultAddress() {
		return { salutation: this.salutations[0], ...ADDRESSES[0] };
	}

	/**
	 * Replaces all orders with `count` generated ones, numbered from 2000000001, dates ascending.
	 * @param {number} count
	 */
	seed(count) {
		if (!Number.isInteger(count) || count < 0) throw new TypeError('seedOrders(n): n must be an integer >= 0');
		this.resetGenerators();
		const steps = Array.from({ length: count }, () => this.rng.int(20 * 60, 60 * 3600) * 1000);
		let time = SEED_ANCHOR_MS - steps.reduce((a, b) => a + b, 0);
		const recentFrom = count - Math.max(3, Math.ceil(count * 0.1));
		this.orders.length = 0;
		for (let i = 0; i < count; i++) {
			time += steps[i];
			this.orders.push(
				this.generate({
					number: FIRST_NUMBER + i,
					date: new Date(time).toISOString(),
					type: i === 0 ? 'FIRST_ORDER' : undefined,
					status: this.rng.weighted(i >= recentFrom ? RECENT_STATUSES : SETTLED_STATUSES),
				}),
			);
		}
		return this.orders;
	}

	/**
	 * Appends one new order (next number, order_date now or later than the last), PENDING unless
	 * `partial` says otherwise. `partial` fields override the generated ones.
	 * @param {Partial<Order>} [partial]
	 */
	add(partial = {}) {
		const order = this.generate({ number: this.nextNumber(), date: this.nextDate(), status: 'PENDING' });
		Object.assign(order, partial);
		this.orders.push(order);
		return order;
	}

	/**
	 * Creates the order a valid POST /v1/orders body (schema Additional_Order) describes.
	 * @param {{ products: Array<{ productId?: number, quantity?: number }>, delivery_address?: object }} body
	 */
	createFromRequest(body) {
		const products = body.products.map((p) => {
			/** @type {Record<string, number>} */
			const out = {};
			if (p.productId !== undefined) out.product_id = p.productId;
			if (p.quantity !== undefined) out.quantity = p.quantity;
			return out;
		});
		const order = {
			order_number: this.nextNumber(),
			order_type: this.orderType('ADDITIONAL_ORDER'),
			order_date: this.nextDate(),
			order_status: 'PENDING',
			...this.invoice(products),
			shipping_address: body.delivery_address ? { ...body.delivery_address } : this.defaultAddress,
			products,
		};
		this.orders.push(order);
		return order;
	}

	/**
	 * Creates the TOPUP order that POST /v1/sims/{iccid}/topup places: one top-up package for that SIM.
	 * @param {string} iccid
	 */
	createTopup(iccid) {
		const products = [{ product_id: PRODUCTS.topup[0].id, quantity: 1 }];
		const order = {
			order_number: this.nextNumber(),
			order_type: this.orderType('TOPUP'),
			order_date: this.nextDate(),
			order_status: 'PENDING',
			...this.invoice(products),
			products,
			sims: [simLink(iccid)],
		};
		this.orders.push(order);
		return order;
	}

	/**
	 * @param {number} orderNumber
	 * @param {string} status
	 */
	setStatus(orderNumber, status) {
		const order = this.find(orderNumber);
		if (!order) throw new Error(`setOrderStatus: order ${orderNumber} does not exist`);
		order.order_status = status;
		return order;
	}

	/** @param {number} orderNumber */
	find(orderNumber) {
		return this.orders.find((o) => o.order_number === orderNumber);
	}

	/**
	 * One page of orders sorted by `sort` (ties broken by order_number ascending).
	 * @param {{ page: number, pageSize: number, sort: SortKey[] }} query
	 */
	page({ page, pageSize, sort }) {
		const sorted = sortOrders(this.orders, sort);
		const totalCount = sorted.length;
		return {
			items: sorted.slice((page - 1) * pageSize, page * pageSize),
			totalCount,
			totalPages: Math.ceil(totalCount / pageSize),
		};
	}

	nextNumber() {
		return this.orders.reduce((max, o) => Math.max(max, Number(o.order_number) || 0), FIRST_NUMBER - 1) + 1;
	}

	nextDate() {
		const last = this.orders.reduce((max, o) => Math.max(max, Date.parse(o.order_date) || 0), 0);
		return new Date(Math.max(Date.now(), last + 1000)).toISOString();
	}

	/**
	 * @param {{ number: number, date: string, status: string, type?: string }} o
	 * @returns {Order}
	 */
	generate({ number, date, status, type }) {
		const rng = this.rng;
		const orderType =
			type ||
			rng.weighted(
				/** @type {Array<[string, number]>} */ ([
					['ADDITIONAL_ORDER', 55],
					['TOPUP', 25],
					['BULK_TOPUP', 10],
					['TARIFF_CHANGE', 10],
				]).filter(([t]) => this.orderTypes.includes(t)),
			);
		const simOrder = orderType === 'FIRST_ORDER' || orderType === 'ADDITIONAL_ORDER';
		/** @type {Array<{ product_id: number, quantity: number }>} */
		let products;
		if (simOrder) {
			const first = rng.pick(PRODUCTS.sim);
			products = [{ product_id: first.id, quantity: rng.pick(SIM_QUANTITIES) }];
			if (rng.chance(0.2)) {
				const second = rng.pick(PRODUCTS.sim.filter((p) => p !== first));
				products.push({ product_id: second.id, quantity: rng.pick(SIM_QUANTITIES) });
			}
		} else if (orderType === 'TARIFF_CHANGE') {
			products = [{ product_id: PRODUCTS.tariff[0].id, quantity: rng.int(1, 50) }];
		} else {
			const quantity = orderType === 'BULK_TOPUP' ? rng.int(10, 500) : rng.int(1, 5);
			products = [{ product_id: PRODUCTS.topup[0].id, quantity }];
		}
		/** @type {Order} */
		const order = {
			order_number: number,
			order_type: this.orderType(orderType),
			order_date: date,
			order_status: status,
			...this.invoice(products),
			products,
		};
		if (simOrder) {
			order.shipping_address = rng.chance(0.8)
				? this.defaultAddress
				: { salutation: rng.pick(this.salutations), ...rng.pick(ADDRESSES) };
		}
		const delivered = status === 'COMPLETED' || status === 'SHIPPED';
		if (delivered && (simOrder || rng.chance(0.5))) {
			const total = products.reduce((sum, p) => sum + p.quantity, 0);
			order.sims = Array.from({ length: Math.min(total, 3) }, () => this.sim());
		}
		return order;
	}

	/** @param {Array<{ product_id?: number, quantity?: number }>} products */
	invoice(products) {
		const net = products.reduce((sum, p) => sum + (PRICE_BY_ID.get(p.product_id ?? -1) ?? 10) * (p.quantity ?? 1), 0);
		return {
			invoice_number: String(this.invoiceSeq++),
			invoice_amount: (Math.round(net * (1 + VAT) * 100) / 100).toFixed(2),
			currency: 'EUR',
		};
	}

	sim() {
		return simLink(`8988280666${String(1000000 + this.iccidSeq++).padStart(9, '0')}`);
	}

	/** @param {string} type */
	orderType(type) {
		if (!this.orderTypes.includes(type)) throw new Error(`Spec order_type enum lacks ${type}`);
		return type;
	}
}

/**
 * An order's SIM entry. 1NCE's _links point at a legacy path (see spec README); kept that way on purpose.
 * @param {string} iccid
 */
function simLink(iccid) {
	return { iccid, _links: [{ rel: 'self', href: `https://api.1nce.com/api/v1/sims/${iccid}` }] };
}

/**
 * @param {any} schema
 * @param {string} property
 * @returns {string[]}
 */
function requiredEnum(schema, property) {
	const values = schema && schema.properties && schema.properties[property] && schema.properties[property].enum;
	if (!Array.isArray(values) || !values.length) throw new Error(`Spec has no enum for ${property}`);
	return values;
}

/**
 * Orders sorted by `keys`, ties broken by order_number ascending (a new array).
 * Each order's sort values are computed once (decorate-sort-undecorate).
 * @param {Order[]} orders
 * @param {SortKey[]} keys
 * @returns {Order[]}
 */
function sortOrders(orders, keys) {
	const decorated = orders.map((order) => ({
		order,
		values: keys.map(({ key }) => sortValue(key, order)),
		number: Number(order.order_number),
	}));
	decorated.sort((a, b) => {
		for (let i = 0; i < keys.length; i++) {
			const x = a.values[i];
			const y = b.values[i];
			if (x !== y) return (x < y ? -1 : 1) * (keys[i].descending ? -1 : 1);
		}
		return a.number - b.number;
	});
	return decorated.map((d) => d.order);
}

/**
 * Comparable value of a sort key: numbers for order_number / order_date, strings otherwise.
 * @param {string} key
 * @param {Order} order
 * @returns {number | string}
 */
function sortValue(key, order) {
	if (key === 'order_number') return Number(order.order_number);
	if (key === 'order_date') return parseDate(order.order_date);
	return String(order[key] ?? '');
}

/** Date.parse is slow; list requests re-sort every order, so remember parsed dates. */
const parsedDates = new Map();
/** @param {string} value @returns {number} */
function parseDate(value) {
	let ms = parsedDates.get(value);
	if (ms === undefined) {
		if (parsedDates.size >= 200000) parsedDates.clear();
		ms = Date.parse(value) || 0;
		parsedDates.set(value, ms);
	}
	return ms;
}

/**
 * Parses `sort` ("order_status,-order_date"). Returns the keys or an error text.
 * @param {string | undefined} raw
 * @returns {{ keys: SortKey[] } | { error: string }}
 */
function parseSort(raw) {
	if (raw === undefined) return { keys: [{ key: 'order_number', descending: false }] };
	const keys = [];
	for (const part of raw.split(',')) {
		const token = part.trim();
		const descending = token.startsWith('-');
		const key = descending ? token.slice(1) : token;
		if (!SORT_KEYS.includes(key)) {
			return {
				error: `query parameter 'sort' has unknown key ${JSON.stringify(token)}; allowed: ${SORT_KEYS.join(', ')} (comma separated, optional leading '-' for descending)`,
			};
		}
		keys.push({ key, descending });
	}
	return { keys };
}

module.exports = { OrderStore, parseSort, SORT_KEYS, FIRST_NUMBER };
