import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import * as order from './order';
import * as product from './product';
import * as sim from './sim';

type Operation = (this: IExecuteFunctions, itemIndex: number) => Promise<INodeExecutionData[]>;

const operations: Record<string, Record<string, Operation>> = {
	order: { getAll: order.getAll.execute, get: order.get.execute, create: order.create.execute },
	product: { getAll: product.getAll.execute },
	sim: { getAll: sim.getAll.execute, get: sim.get.execute },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const resource = this.getNodeParameter('resource', itemIndex) as string;
		const operationName = this.getNodeParameter('operation', itemIndex) as string;
		try {
			const operation = operations[resource]?.[operationName];
			if (!operation) throw new Error(`The operation "${operationName}" is not known for "${resource}"`);
			const results = await operation.call(this, itemIndex);
			for (const result of results) output.push({ ...result, pairedItem: { item: itemIndex } });
		} catch (error) {
			// Anything that is not an API error was a bad input found before any request was sent.
			const nodeError =
				error instanceof NodeApiError || error instanceof NodeOperationError
					? error
					: new NodeOperationError(this.getNode(), error as Error, { itemIndex });
			if (this.continueOnFail()) {
				output.push({
					json: { error: nodeError.message, ...(nodeError.description ? { details: nodeError.description } : {}) },
					pairedItem: { item: itemIndex },
				});
				continue;
			}
			if ('context' in nodeError && nodeError.context) nodeError.context.itemIndex = itemIndex;
			throw nodeError;
		}
	}
	return [output];
}
