import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { productLabel } from '../actions/order/productField';
import { cachedProducts } from '../transport/products';

/** The product picker: 1NCE's products by name, from the per-credential cache (one request per few minutes). */
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
