import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { listProducts, rememberProducts } from '../../transport/products';

/** One request, always fresh; the list it got also refreshes what the editor's product picker shows. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const products = await listProducts.call(this);
	await rememberProducts.call(this, products);
	return products.map((product) => ({ json: product }));
}
