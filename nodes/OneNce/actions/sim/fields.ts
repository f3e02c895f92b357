import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** ICCIDs are 18 to 22 digits; anything else would only earn a 404 and spend a request. */
export function parseIccid(raw: unknown): string {
	const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.replace(/\s+/g, '') : '';
	if (!/^\d{18,22}$/.test(text)) throw new Error(`ICCID must be 18 to 22 digits, got "${String(raw ?? '')}"`);
	return text;
}

/** The ICCID every single-SIM operation starts from; checked by parseIccid before any request. */
export function iccidField(description = 'ICCID of the SIM, with or without its check digit'): INodeProperties {
	return {
		displayName: 'ICCID',
		name: 'iccid',
		type: 'string',
		required: true,
		default: '',
		placeholder: '8988280666000000001',
		description,
	};
}

export function iccidOf(context: IExecuteFunctions, itemIndex: number): string {
	return parseIccid(context.getNodeParameter('iccid', itemIndex));
}
