/**
 * One 1NCE Trigger per SIM event, each posting what it emitted, unfiltered, to `url`: the e2e's proof that every
 * SIM event fires exactly once per change in a real n8n (the examples filter and reword theirs).
 */
export const SIM_EVENTS_WORKFLOW_ID = '1nceSimEvents001';

export const SIM_EVENTS = [
	['simStatusChanged', {}],
	['dataQuotaStatusChanged', {}],
	['smsQuotaStatusChanged', {}],
	['dataQuotaBelow', { dataQuotaBelowMb: 50 }],
	['smsQuotaBelow', { smsQuotaBelow: 10 }],
	['newSim', {}],
] as const;

/** The posted text: the event, the ICCID, then what it says changed (from → to, or threshold and quota). */
const TEXT = [
	'$json.event',
	'$json.iccid',
	'$json.previous_status',
	'$json.status',
	'$json.previous_quota_status',
	'$json.quota_status',
	'$json.threshold',
	'$json.quota',
].join(', ');

export function simEventsWorkflow(credential: { id: string; name: string }, url: string) {
	const triggers = SIM_EVENTS.map(([event, thresholds], index) => ({
		id: `t${index}`,
		name: event,
		type: 'n8n-nodes-1nce.oneNceTrigger',
		typeVersion: 1,
		position: [0, index * 160],
		parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, event, ...thresholds },
		credentials: { oneNceApi: credential },
	}));
	return {
		id: SIM_EVENTS_WORKFLOW_ID,
		name: 'Every SIM event',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			...triggers,
			{
				id: 'p',
				name: 'Post',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [300, 400],
				parameters: {
					method: 'POST',
					url,
					sendBody: true,
					specifyBody: 'json',
					jsonBody: `={{ JSON.stringify({ text: [${TEXT}].filter((v) => v !== undefined).join(' ') }) }}`,
					options: {},
				},
			},
		],
		connections: Object.fromEntries(triggers.map((t) => [t.name, { main: [[{ node: 'Post', type: 'main', index: 0 }]] }])),
	};
}
