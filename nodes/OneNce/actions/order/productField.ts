import type { ILoadOptionsFunctions, INodeListSearchResult, INodeProperties } from 'n8n-workflow';

import type { Product } from '../../transport/products';
import { cachedProducts, packageSize, quantityLimits } from '../../transport/products';
import type { OrderRow } from './orderBody';

/**
 * The product of one order row: picked by name from 1NCE's product list, or given as an id (typed, or from an
 * expression). Picking from the list is what makes the node check the quantity against the product's limits.
 */
export const productIdField: INodeProperties = {
	displayName: 'Product',
	name: 'productId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	// Not marked required: n8n would then refuse the whole workflow for an empty row, where the node's own
	// check names the row ("Product 2: product ID must be ...").
	description: 'The 1NCE product to order',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a product...',
			typeOptions: { searchListMethod: 'searchProducts', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: '1001',
			validation: [{ type: 'regex', properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'A product ID is a whole number' } }],
		},
	],
};

/** How a product shows in the list: its name, then what tells two similar ones apart. */
function productLabel(product: Product): string {
	const size = packageSize(product);
	const name = typeof product.product === 'string' && product.product.trim() !== '' ? product.product : 'Product';
	return `${name} (ID ${product.id}${size !== undefined ? `, package of ${size}` : ''})`;
}

/** The picker's search: 1NCE's products by name, from the per-credential cache (one request per few minutes). */
export async function searchProducts(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const products = await cachedProducts.call(this);
	const wanted = (filter ?? '').trim().toLowerCase();
	const results = products
		.filter((product) => product.id !== undefined && product.id !== null)
		.map((product) => ({ name: productLabel(product), value: String(product.id) }))
		.filter((result) => wanted === '' || result.name.toLowerCase().includes(wanted))
		.sort((a, b) => a.name.localeCompare(b.name));
	return { results };
}

/**
 * Refuses a quantity outside the per-order range of a product picked from the list, compared as given (whether 1NCE
 * counts SIMs or packages is undocumented). Bounds that cannot be meant (see quantityLimits) are left to 1NCE.
 */
export function checkQuantityLimits(rows: OrderRow[], products: Product[]): void {
	rows.forEach((row, index) => {
		if (!row.picked) return;
		const product = products.find((candidate) => Number(candidate.id) === row.productId);
		if (!product) return;
		const { min, max } = quantityLimits(product);
		if (min === undefined && max === undefined) return;
		const range =
			min !== undefined && max !== undefined ? `${min} to ${max}` : min !== undefined ? `at least ${min}` : `at most ${max}`;
		if ((min !== undefined && row.quantity < min) || (max !== undefined && row.quantity > max)) {
			throw new Error(
				`Product ${index + 1}: ${product.product ?? `product ${row.productId}`} takes ${range} per order, got ${row.quantity}`,
			);
		}
	});
}
