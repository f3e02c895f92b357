import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** The ICCID every single-SIM operation starts from. */
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

/** The item's ICCID: 18 to 22 digits; anything else would only earn a 404 and spend a request. */
export function iccidOf(context: IExecuteFunctions, itemIndex: number): string {
	const raw = context.getNodeParameter('iccid', itemIndex);
	const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.replace(/\s+/g, '') : '';
	if (!/^\d{18,22}$/.test(text)) throw new Error(`ICCID must be 18 to 22 digits, got "${String(raw ?? '')}"`);
	return text;
}
