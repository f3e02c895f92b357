import type { IDisplayOptions, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/** Shows `properties` only where `show` holds, keeping any finer condition of their own (as n8n's updateDisplayOptions). */
export function showWhen(show: NonNullable<IDisplayOptions['show']>, properties: INodeProperties[]): INodeProperties[] {
	return properties.map((property) => ({
		...property,
		displayOptions: { ...property.displayOptions, show: { ...show, ...property.displayOptions?.show } },
	}));
}

export function showOnlyFor(resource: string, operation: string, properties: INodeProperties[]): INodeProperties[] {
	return showWhen({ resource: [resource], operation: [operation] }, properties);
}

/** A resource's Operation picker. */
export function operationField(resource: string, options: INodePropertyOptions[]): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options,
		default: 'getAll',
	};
}

/** A collection parameter: optional entries the user adds one by one. */
export function collection(
	displayName: string,
	name: string,
	placeholder: string,
	description: string | undefined,
	options: INodeProperties[],
): INodeProperties {
	return { displayName, name, type: 'collection', placeholder, default: {}, ...(description === undefined ? {} : { description }), options };
}

/** An operation's Options collection. */
export const optionsField = (options: INodeProperties[]) => collection('Options', 'options', 'Add Option', undefined, options);

/** Return All / Limit of a list operation. */
export const pagedFields: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

export function limitParameter(returnAll: boolean, limit: unknown): number | undefined {
	if (returnAll) return undefined;
	const value = Number(limit);
	if (!Number.isInteger(value) || value < 1) throw new Error(`Limit must be a whole number of at least 1, got "${String(limit)}"`);
	return value;
}

/** The Limit as a whole number, undefined for Return All (`loose`: any truthy Return All counts, as Get Many has always read it). */
export function limitOf(context: IExecuteFunctions, itemIndex: number, loose = false): number | undefined {
	const returnAll = context.getNodeParameter('returnAll', itemIndex, false);
	return limitParameter(loose ? Boolean(returnAll) : returnAll === true, context.getNodeParameter('limit', itemIndex, 50));
}

/** A list parameter's entries, trimmed and without blanks: a multi-select gives a list, an expression may give text separated by commas. */
export function textList(raw: unknown): string[] {
	return (Array.isArray(raw) ? raw : String(raw ?? '').split(','))
		.map((entry) => String(entry).trim())
		.filter((entry) => entry !== '');
}
