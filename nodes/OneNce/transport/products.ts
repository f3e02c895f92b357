import type { IDataObject } from 'n8n-workflow';

import { accountKey } from './baseUrl';
import { currentClock, processMap } from './processState';
import type { ApiContext } from './request';
import { apiRequest, CREDENTIAL_TYPE } from './request';

export type Product = IDataObject & {
	id?: number;
	product?: string;
	package_size?: number;
	minQuantity?: number;
	maxQuantity?: number;
};

/** Spends one request of the orders allowance. Entries that are not objects describe no product and are dropped. */
export async function listProducts(this: ApiContext): Promise<Product[]> {
	const response = await apiRequest.call(this, { method: 'GET', path: '/v1/products', expect: 'array' });
	return (response.body as unknown[]).filter(
		(entry): entry is Product => typeof entry === 'object' && entry !== null && !Array.isArray(entry),
	);
}

/** A positive count as sent, or undefined for anything else (0, negative, fractional, text, null). */
function positiveCount(value: unknown): number | undefined {
	return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/**
 * The per-order range a product states, as far as it can be meant: a bound that would refuse every order (a
 * maximum of 0, a minimum above the maximum) or is not a whole number counts as not stated, so 1NCE decides.
 */
export function quantityLimits(product: Product): { min?: number; max?: number } {
	const min = positiveCount(product.minQuantity);
	const max = positiveCount(product.maxQuantity);
	if (min !== undefined && max !== undefined && min > max) return {};
	return { min, max };
}

/** `package_size` when it is a usable count. */
export function packageSize(product: Product): number | undefined {
	return positiveCount(product.package_size);
}

/** Long enough that opening and re-opening the editor costs one request, short enough to see a new product soon. */
export const PRODUCT_CACHE_MS = 5 * 60_000;

// Per credential and account, so two accounts never see each other's products (per process: processState.ts).
const cache = processMap<{ at: number; products: Promise<Product[]> }>('products');

async function cacheKey(context: ApiContext): Promise<string> {
	const credentials = await context.getCredentials(CREDENTIAL_TYPE);
	const reference = context.getNode().credentials?.[CREDENTIAL_TYPE];
	return JSON.stringify([reference?.id ?? '', accountKey(credentials)]);
}

/**
 * The product list, fetched at most once per credential every few minutes in this process. Loads that arrive
 * while a fetch is under way share it; a failed fetch is forgotten at once so the next load tries again.
 */
export async function cachedProducts(this: ApiContext): Promise<Product[]> {
	const now = currentClock().now();
	const key = await cacheKey(this);
	const entry = cache.get(key);
	if (entry && now - entry.at < PRODUCT_CACHE_MS) return await entry.products;
	const products = listProducts.call(this);
	const fresh = { at: now, products };
	cache.set(key, fresh);
	products.catch(() => {
		if (cache.get(key) === fresh) cache.delete(key);
	});
	return await products;
}

/** Stores a list just fetched by Get Many so the editor and Create see it without asking again. */
export async function rememberProducts(this: ApiContext, products: Product[]): Promise<void> {
	cache.set(await cacheKey(this), { at: currentClock().now(), products: Promise.resolve(products) });
}
