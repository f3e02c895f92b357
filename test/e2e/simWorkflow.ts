/**
 * One manual workflow with a 1NCE node for every SIM operation, chained so that one `n8n execute` runs them all:
 * the reads first (on `read`), then the changes (on `write`), so no read sees a change of the same run.
 * Every node is Execute Once: a node that outputs many items (Get Many, Get Events) still runs its successor once.
 */

export const SIM_WORKFLOW_ID = '1nceSimOperation';

export interface SimWorkflowInput {
	credential: { id: string; name: string };
	/** ICCID the read operations use. */
	read: string;
	/** ICCID the changes (Update, Reset Connectivity, Send SMS, Top Up) go to. */
	write: string;
	/** An SMS of `read` for Get SMS. */
	smsId: number;
	/** Get Usage's range, YYYY-MM-DD. */
	usage: { start: string; end: string };
}

/** Node name → its parameters (resource `sim` is added), in the order they run. */
export function simSteps({ read, write, smsId, usage }: SimWorkflowInput): Array<[string, Record<string, unknown>]> {
	return [
		['Get Many SIMs', { operation: 'getAll', output: 'sims', returnAll: false, limit: 5 }],
		['Count by Status', { operation: 'getAll', output: 'countByStatus' }],
		['Get', { operation: 'get', iccid: read }],
		['Get Status', { operation: 'getStatus', iccid: read }],
		['Get Connectivity Info', { operation: 'getConnectivityInfo', iccid: read, options: { ussd: true } }],
		['Get Data Quota', { operation: 'getDataQuota', iccid: read }],
		['Get SMS Quota', { operation: 'getSmsQuota', iccid: read }],
		['Get Usage', { operation: 'getUsage', iccid: read, startDate: usage.start, endDate: usage.end }],
		['Get Events', { operation: 'getEvents', iccid: read, returnAll: false, limit: 3, newestFirst: true }],
		['Get Many SMS', { operation: 'getManySms', iccid: read, returnAll: true }],
		['Get SMS', { operation: 'getSms', iccid: read, smsId }],
		['Update', { operation: 'update', iccid: write, status: 'Disabled', updateFields: { label: 'stolen', imeiLock: true } }],
		['Reset Connectivity', { operation: 'resetConnectivity', iccid: write }],
		['Send SMS', { operation: 'sendSms', iccid: write, payload: 'e2e ping', options: {} }],
		['Top Up', { operation: 'topUp', iccid: write, paymentMethod: 'banktransfer', options: {} }],
	];
}

export function simOperationsWorkflow(input: SimWorkflowInput) {
	const steps = simSteps(input);
	const names = ['Run now', ...steps.map(([name]) => name)];
	const nodes = [
		{ id: 's0', name: 'Run now', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		...steps.map(([name, parameters], i) => ({
			id: `s${i + 1}`,
			name,
			type: 'n8n-nodes-1nce.oneNce',
			typeVersion: 1,
			position: [220 * (i + 1), 0],
			executeOnce: true,
			parameters: { resource: 'sim', ...parameters },
			credentials: { oneNceApi: input.credential },
		})),
	];
	const connections = Object.fromEntries(
		names.slice(0, -1).map((name, i) => [name, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]),
	);
	return { id: SIM_WORKFLOW_ID, name: 'Every SIM operation', active: false, settings: { executionOrder: 'v1' }, nodes, connections };
}
