import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../nodeError';

import * as order from './order';
import { describePlaced, placementsOf, placeOnce, retold } from './order/placement';
import * as product from './product';
import * as sim from './sim';

interface Operation {
	/** Checks one item's input before anything is sent for any item. */
	prepare?: (this: IExecuteFunctions, itemIndex: number) => unknown;
	execute: (this: IExecuteFunctions, itemIndex: number, prepared: never, session: never) => Promise<INodeExecutionData[]>;
	/** Places something billed: sent at most once per item per run of the node, whatever n8n re-runs. */
	placesOrders?: boolean;
}

const resources: Record<string, Record<string, Operation>> = { order: order.operations, product: product.operations, sim: sim.operations };

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length === 0) return [[]];
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = resources[resource]?.[operationName];
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" is not known for "${resource}"`);
	}
	const fail = (error: unknown, itemIndex: number) => {
		const nodeError = asNodeError(this.getNode(), error, itemIndex);
		if ('context' in nodeError && nodeError.context) nodeError.context.itemIndex = itemIndex;
		return nodeError;
	};

	const outputs: INodeExecutionData[][] = items.map(() => []);
	const failed = (error: unknown, itemIndex: number, after?: string) => {
		const nodeError = fail(error, itemIndex);
		if (!this.continueOnFail()) throw after ? retold(this, nodeError, itemIndex, { after }) : nodeError;
		const json = { error: nodeError.message, ...(nodeError.description ? { details: nodeError.description } : {}) };
		outputs[itemIndex] = [{ json, pairedItem: { item: itemIndex } }];
	};
	const prepared = new Map<number, unknown>();
	// Every item is checked first: a bad item 2 must not leave item 1's order placed with its result lost.
	for (let itemIndex = 0; itemIndex < items.length && operation.prepare; itemIndex++) {
		try {
			prepared.set(itemIndex, await operation.prepare.call(this, itemIndex));
		} catch (error) {
			failed(error, itemIndex);
		}
	}

	const placements = operation.placesOrders ? placementsOf(this) : undefined;
	const session = placements ? { record: placements, recent: new Map() } : undefined;
	const placed: Array<{ itemIndex: number; json: IDataObject }> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		if (operation.prepare && !prepared.has(itemIndex)) continue;
		const run = async () =>
			await operation.execute.call(this, itemIndex, prepared.get(itemIndex) as never, session as never);
		try {
			const results = placements
				? await placeOnce(this, placements, itemIndex, run, (error) => fail(error, itemIndex))
				: await run();
			outputs[itemIndex] = results.map((result) => ({ ...result, pairedItem: { item: itemIndex } }));
			if (placements) placed.push(...results.map((result) => ({ itemIndex, json: result.json })));
		} catch (error) {
			failed(error, itemIndex, placed.length ? describePlaced(placed) : undefined);
		}
	}
	return [outputs.flat()];
}
