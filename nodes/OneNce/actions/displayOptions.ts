import type { INodeProperties } from 'n8n-workflow';

/**
 * Shows `properties` only for one resource and operation, keeping any finer condition a property has (in the
 * spirit of n8n's updateDisplayOptions): an operation's file lists its fields without repeating where they show.
 */
export function showOnlyFor(resource: string, operation: string, properties: INodeProperties[]): INodeProperties[] {
	return properties.map((property) => ({
		...property,
		displayOptions: {
			...property.displayOptions,
			show: { resource: [resource], operation: [operation], ...property.displayOptions?.show },
		},
	}));
}
