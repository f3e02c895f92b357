'use strict';
/**
 * 1NCE's Product Information API (`GET /v1/products`, spec/products.openapi.json): one unpaged array.
 * The ids are the ones the simulator's orders use (orders.js), so products listed here can be ordered.
 */
const { routeBySpec } = require('./spec-route');

/** @typedef {{ id: number, product: string, material?: string, package_size?: number, minQuantity?: number, maxQuantity?: number, maxQuantityPerCustomer?: number, min_contract_duration?: number, one_time_charges?: any[], recurring_charges?: any[] }} Product */

/** @param {number} amount */
const eur = (amount) => [{ name: 'provisionCharge', amount_net: amount, currency: 'EUR' }];

/** @type {Product[]} */
const CATALOGUE = [
	{ id: 1001, product: '1NCE IoT FlexSIM - Standard', material: '1NCE FlexSIM', package_size: 1, minQuantity: 1, maxQuantity: 1000, maxQuantityPerCustomer: 100000, min_contract_duration: 120, one_time_charges: eur(10), recurring_charges: [] },
	{ id: 1002, product: '1NCE IoT FlexSIM - Industrial', material: '1NCE FlexSIM Industrial', package_size: 1, minQuantity: 1, maxQuantity: 500, maxQuantityPerCustomer: 50000, min_contract_duration: 120, one_time_charges: eur(12), recurring_charges: [] },
	{ id: 1003, product: '1NCE IoT FlexSIM - Chip (MFF2)', material: '1NCE FlexSIM Chip', package_size: 10, minQuantity: 10, maxQuantity: 1000, maxQuantityPerCustomer: 50000, min_contract_duration: 120, one_time_charges: eur(12), recurring_charges: [] },
	{ id: 2001, product: '1NCE IoT Top-up 500 MB', material: 'Top-up', package_size: 1, minQuantity: 1, maxQuantity: 10000, one_time_charges: eur(10), recurring_charges: [] },
	{ id: 3001, product: '1NCE Tariff change', material: 'Tariff', package_size: 1, minQuantity: 1, maxQuantity: 10000, one_time_charges: eur(1), recurring_charges: [] },
];

class ProductStore {
	constructor() {
		/** @type {Product[]} */
		this.products = structuredClone(CATALOGUE);
	}

	/** @param {Product[]} products */
	set(products) {
		if (!Array.isArray(products)) throw new TypeError('setProducts(list): list must be an array');
		this.products = structuredClone(products);
	}
}

/**
 * @param {import('./spec-route').SpecRouteContext & { products: ProductStore }} context
 * @param {{ method: string, path: string, url: URL, headers: import('node:http').IncomingHttpHeaders }} req
 * @returns {import('./http').Answer}
 */
function handleProductRequest(context, req) {
	return routeBySpec(context, req, (operationId) =>
		operationId === 'getProductsUsingGET'
			? { status: 200, json: context.products.products }
			: { status: 404, json: { message: `Not Found: ${req.method} ${req.path} is not simulated` } },
	);
}

/** @param {string} path */
const isProductsPath = (path) => path === '/v1/products' || path.startsWith('/v1/products/');

module.exports = { ProductStore, handleProductRequest, isProductsPath, CATALOGUE };
