import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { Sim } from '../../transport/sims';
import { listSims } from '../../transport/sims';
import { collection, limitOf, pagedFields, showOnlyFor, showWhen, textList } from '../fields';

export const SIM_STATUSES = ['Enabled', 'Disabled'] as const;

export const description: INodeProperties[] = showOnlyFor('sim', 'getAll', [
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{ name: 'SIMs', value: 'sims', description: 'One item per SIM' },
			{
				name: 'Count by Status',
				value: 'countByStatus',
				description: 'One item with the number of SIMs per status; reads every page (N/100 requests)',
			},
		],
		default: 'sims',
	},
	...showWhen({ output: ['sims'] }, pagedFields),
	collection('Filters', 'filters', 'Add Filter', "1NCE's SIM list filters neither: the node applies these to the pages it reads (100 SIMs per request)", [
		{
			displayName: 'Status',
			name: 'status',
			type: 'multiOptions',
			options: SIM_STATUSES.map((status) => ({ name: status, value: status })),
			default: [],
		},
		{
			displayName: 'Label',
			name: 'label',
			type: 'string',
			default: '',
			description: 'Keep SIMs whose label is exactly this (case ignored)',
		},
	]),
]);

export function simFilter(raw: unknown): ((sim: Sim) => boolean) | undefined {
	const filters = (raw ?? {}) as { status?: unknown; label?: unknown };
	const statuses = textList(filters.status).map((status) => status.toLowerCase());
	const label = typeof filters.label === 'string' ? filters.label.trim().toLowerCase() : '';
	if (!statuses.length && label === '') return undefined;
	return (sim) =>
		(!statuses.length || statuses.includes(String(sim.status ?? '').toLowerCase())) &&
		(label === '' || String(sim.label ?? '').trim().toLowerCase() === label);
}

/** Totals per status; the documented statuses are always present so an expression never meets undefined. */
export function countByStatus(sims: Sim[]): IDataObject {
	const byStatus: Record<string, number> = Object.fromEntries(SIM_STATUSES.map((status) => [status, 0]));
	for (const sim of sims) {
		const status = String(sim.status ?? 'unknown');
		byStatus[status] = (byStatus[status] ?? 0) + 1;
	}
	return { total: sims.length, by_status: byStatus };
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const output = this.getNodeParameter('output', itemIndex, 'sims') as string;
	const keep = simFilter(this.getNodeParameter('filters', itemIndex, {}));
	if (output === 'countByStatus') {
		const { sims, pagesRead } = await listSims.call(this, { keep });
		return [{ json: { ...countByStatus(sims), requests: pagesRead } }];
	}
	const { sims } = await listSims.call(this, { limit: limitOf(this, itemIndex, true), keep });
	return sims.map((sim) => ({ json: sim }));
}
