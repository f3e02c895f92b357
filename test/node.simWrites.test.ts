// SIM changes: Update (PUT /v1/sims/{iccid}), Reset Connectivity and Send SMS. Every item's input is checked
// before any is sent; a refused input sends nothing; a 404 is a readable NodeApiError; continueOnFail keeps
// every item paired; a write is sent once and is worded as a SIM request, never as an order. As an AI tool
// they run only when the tool node allows it.
import { useHarness } from './support/fixtures';

const harness = useHarness({ simRateLimit: { limit: 10, windowMs: 1000 } });

const UNKNOWN = '8988280666000999999';

/** Request bodies of SIM writes as the simulator received them. */
function writes(): Array<{ method: string; path: string; body: any }> {
	const seen: Array<{ method: string; path: string; body: any }> = [];
	harness().sim.onRequest((entry, body) => {
		if (entry.method !== 'GET' && entry.path.startsWith('/v1/sims')) {
			seen.push({ method: entry.method, path: entry.path, body: body.length ? JSON.parse(body.toString()) : undefined });
		}
	});
	return seen;
}

/** Seeds 3 Enabled SIMs, the first labelled "meter-1" and IMEI-locked; returns it. */
function seeded() {
	const { sim } = harness();
	sim.seedSims(3, { enabledShare: 1 });
	const target = sim.sims[0];
	sim.updateSim(target.iccid, { label: 'meter-1', imei_lock: true });
	return target;
}

const simCalls = () => harness().sim.requests.filter((r) => r.path.startsWith('/v1/sims')).map((r) => `${r.method} ${r.path}`);

interface WriteCase {
	operation: string;
	extra: Record<string, unknown>;
	/** The requests one item sends, given its ICCID. */
	calls: (iccid: string) => string[];
}

const cases: WriteCase[] = [
	{ operation: 'update', extra: { status: 'Disabled' }, calls: (iccid) => [`GET /v1/sims/${iccid}`, `PUT /v1/sims/${iccid}`] },
	{ operation: 'resetConnectivity', extra: {}, calls: (iccid) => [`POST /v1/sims/${iccid}/reset`] },
	{ operation: 'sendSms', extra: { payload: 'ping' }, calls: (iccid) => [`POST /v1/sims/${iccid}/sms`] },
];

describe('every SIM change', () => {
	test.each(cases)('$operation: one malformed ICCID among good items stops the run before any request', async ({ operation, extra }) => {
		const { sim, run } = harness();
		const { iccid } = seeded();
		const result = await run(
			{ resource: 'sim', operation, ...extra, iccid: '={{ $json.iccid }}' },
			{ input: [{ iccid }, { iccid: '8988-2806' }] },
		);
		expect(result.nodeError('1NCE').message).toBe('ICCID must be 18 to 22 digits, got "8988-2806"');
		expect(sim.counts.total).toBe(0);
	});

	test.each(cases)('$operation: an unknown ICCID is a readable 404, sent once', async ({ operation, extra, calls }) => {
		const { runError } = harness();
		seeded();
		const error = await runError({ resource: 'sim', operation, ...extra, iccid: UNKNOWN });
		expect(error.name).toBe('NodeApiError');
		expect(error.httpCode).toBe('404');
		expect(error.message).toBe(`SIM ${UNKNOWN} was not found`);
		expect(simCalls()).toEqual(calls(UNKNOWN).slice(0, 1));
	});

	test.each(cases)('$operation: a 500 is sent once and worded as a SIM request, not an order', async ({ operation, extra, calls }) => {
		const { sim, runError } = harness();
		const { iccid } = seeded();
		const [write] = calls(iccid).slice(-1);
		const [method, path] = write.split(' ');
		sim.injectFault({ kind: 500, method, path, times: Infinity });
		const error = await runError({ resource: 'sim', operation, ...extra, iccid });
		expect(error.message).toMatch(/^1NCE service error \(500\)/);
		expect(error.description).toMatch(`The change may or may not have reached SIM ${iccid}; it was not sent again.`);
		expect(`${error.message} ${error.description}`).not.toMatch(/order/i);
		expect(simCalls().filter((call) => call === write)).toHaveLength(1);
	});

	test.each(cases)('$operation under continueOnFail: good, malformed and unknown ICCIDs, each item paired', async ({ operation, extra, calls }) => {
		const { sim, run } = harness();
		const { iccid } = seeded();
		const result = await run(
			{ resource: 'sim', operation, ...extra, iccid: '={{ $json.iccid }}' },
			{ input: [{ iccid }, { iccid: 'abc' }, { iccid: UNKNOWN }], continueOnFail: true },
		);
		expect(result.error).toBeUndefined();
		const items = result.items('1NCE');
		expect(items).toHaveLength(3);
		expect(items[0]).toMatchObject({ json: { iccid }, pairedItem: { item: 0 } });
		expect(items[0].json).not.toHaveProperty('error');
		expect(items[1]).toEqual({ json: { error: 'ICCID must be 18 to 22 digits, got "abc"' }, pairedItem: { item: 1 } });
		expect(items[2]).toEqual({ json: { error: `SIM ${UNKNOWN} was not found` }, pairedItem: { item: 2 } });
		expect(simCalls()).toEqual([...calls(iccid), ...calls(UNKNOWN).slice(0, 1)]);
		expect(sim.validationErrors).toEqual([]);
	});
});

test('a connection dropped after 1NCE took the reset: one reset, and the error says it may have happened', async () => {
	const { sim, runError } = harness();
	const { iccid } = seeded();
	sim.injectFault({ kind: 'resetAfterProcessing', method: 'POST', path: '/v1/sims/{iccid}/reset' });
	const error = await runError({ resource: 'sim', operation: 'resetConnectivity', iccid });
	expect(error.message).toBe('Could not reach 1NCE');
	expect(error.description).toMatch(`The change may or may not have reached SIM ${iccid}; it was not sent again.`);
	expect(simCalls()).toEqual([`POST /v1/sims/${iccid}/reset`]);
});

describe('Update', () => {
	test('Disabled: the PUT carries every value, the label and IMEI lock as they were', async () => {
		const { sim, run } = harness();
		const target = seeded();
		const sent = writes();
		const result = await run({ resource: 'sim', operation: 'update', iccid: target.iccid, status: 'Disabled' });
		expect(sent).toEqual([
			{ method: 'PUT', path: `/v1/sims/${target.iccid}`, body: { iccid: target.iccid, status: 'Disabled', label: 'meter-1', imei_lock: true } },
		]);
		expect(sim.sims[0]).toMatchObject({ status: 'Disabled', label: 'meter-1', imei_lock: true });
		expect(result.json('1NCE')).toEqual([
			{
				iccid: target.iccid,
				status: 'Disabled',
				label: 'meter-1',
				imei_lock: true,
				changed: ['status'],
				previous: { status: 'Enabled', label: 'meter-1', imei_lock: true },
			},
		]);
	});

	test('Keep Current with a new label and IMEI lock off: the status sent is the current one', async () => {
		const { sim, run } = harness();
		const target = seeded();
		const sent = writes();
		await run({ resource: 'sim', operation: 'update', iccid: target.iccid, updateFields: { label: 'spare', imeiLock: false } });
		expect(sent.map((w) => w.body)).toEqual([{ iccid: target.iccid, status: 'Enabled', label: 'spare', imei_lock: false }]);
		expect(sim.sims[0]).toMatchObject({ status: 'Enabled', label: 'spare', imei_lock: false });
	});

	test('nothing to change is refused before any request', async () => {
		const { sim, run } = harness();
		const result = await run({ resource: 'sim', operation: 'update', iccid: '8988280666000000001' });
		expect(result.nodeError('1NCE').message).toBe('Nothing to update: choose a Status or add a field to change');
		expect(sim.counts.total).toBe(0);
	});
});

describe('Reset Connectivity', () => {
	test('queues a reset: 201, no body; the SIM records it', async () => {
		const { run } = harness();
		const target = seeded();
		const sent = writes();
		const result = await run({ resource: 'sim', operation: 'resetConnectivity', iccid: target.iccid });
		expect(result.json('1NCE')).toEqual([{ iccid: target.iccid, reset: 'queued' }]);
		expect(sent.map((w) => `${w.method} ${w.path}`)).toEqual([`POST /v1/sims/${target.iccid}/reset`]);
		const events = await run({ resource: 'sim', operation: 'getEvents', iccid: target.iccid, returnAll: true });
		expect(events.json('1NCE').slice(-1)[0]).toMatchObject({ event_type: 'Connectivity reset' });
	});
});

describe('Send SMS', () => {
	test('sends the SMS Message Object; the SIM holds it as MT and one SMS of quota is used', async () => {
		const { sim, run } = harness();
		const target = seeded();
		sim.setSimQuota(target.iccid, { sms: 10 });
		const sent = writes();
		const result = await run({
			resource: 'sim',
			operation: 'sendSms',
			iccid: target.iccid,
			payload: 'reboot',
			options: { udh: '050003CC0301', sourceAddress: '1234567890' },
		});
		const message = { payload: 'reboot', dcs: 0, udh: '050003CC0301', source_address: '1234567890' };
		expect(sent.map((w) => w.body)).toEqual([message]);
		expect(result.json('1NCE')).toEqual([{ iccid: target.iccid, ...message, sent: true }]);
		expect(sim.smsOf(target.iccid)).toEqual([expect.objectContaining({ payload: 'reboot', sms_type: { id: 1 } })]);
		expect(sim.sims[0].current_quota_SMS).toBe(9);
	});

	test.each([
		[{ payload: 'x'.repeat(161) }, 'Message is 161 characters long; one SMS holds at most 160'],
		[{ payload: 'ü'.repeat(71), options: { dcs: 8 } }, 'Message is 71 characters long; one SMS holds at most 70'],
		[{ payload: 'not hex', options: { dcs: 4 } }, 'With Binary (DCS 4) the message must be hex digits, two per byte'],
		[{ payload: 'hi', options: { udh: '0500Z' } }, 'User Data Header must be hex digits, two per byte, got "0500Z"'],
		[{ payload: 'hi', options: { sourceAddress: 'ACME' } }, 'Source Address must be a number of up to 20 digits, got "ACME"'],
		[{ payload: 'hi', options: { expiryDate: 'tomorrow' } }, 'Expiry Date must be a date and time, got "tomorrow"'],
	])('%j is refused before any request', async (parameters, message) => {
		const { sim, run } = harness();
		const result = await run({ resource: 'sim', operation: 'sendSms', iccid: '8988280666000000001', ...parameters });
		expect(result.nodeError('1NCE').message).toBe(message);
		expect(sim.counts.total).toBe(0);
	});

	test('160 characters of text are sent', async () => {
		const { sim, run } = harness();
		const target = seeded();
		const result = await run({ resource: 'sim', operation: 'sendSms', iccid: target.iccid, payload: 'y'.repeat(160) });
		expect(result.nodeError('1NCE')).toBeUndefined();
		expect(sim.smsOf(target.iccid)).toHaveLength(1);
	});
});

describe.each(['toolObject', 'engineRequest'])('as an AI tool, called via %s', (mode) => {
	/** Runs the tool node (n8n's tool variant of the 1NCE node) for an agent that calls it once. */
	async function callAsAgent(parameters: Record<string, unknown>) {
		const { engine, credentials } = harness();
		const nodes = [
			{ name: 'Chat', type: 'testInput', parameters: { items: JSON.stringify([{ chatInput: 'reset my SIM' }]) } },
			{ name: 'Agent', type: 'testAgent', parameters: { mode, toolNode: '1NCE', toolCalls: JSON.stringify([{}]) } },
			{ name: '1NCE', type: 'n8n-nodes-1nce.oneNceTool', parameters, credentials },
		];
		const connections = {
			Chat: { main: [[{ node: 'Agent', type: 'main', index: 0 }]] },
			'1NCE': { ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]] },
		};
		const result = await engine.run({ nodes, connections, settings: { executionOrder: 'v1' } });
		const toolRuns: Array<{ error?: { message: string } }> = result.runData['1NCE'] ?? [];
		const said = `${String(result.json('Agent')[0]?.error ?? '')} ${toolRuns.find((run) => run.error)?.error?.message ?? ''}`;
		return { said, answers: result.json('Agent') };
	}

	test('Reset Connectivity is refused unless "Allow the Agent to Change SIMs" is on', async () => {
		const { sim } = harness();
		const { iccid } = seeded();
		const reset = { resource: 'sim', operation: 'resetConnectivity', iccid };
		const refused = await callAsAgent(reset);
		expect(refused.said).toMatch(/This 1NCE tool may not change SIMs/);
		expect(sim.counts.total).toBe(0);
		await callAsAgent({ ...reset, agentMayChangeSims: true });
		expect(simCalls()).toEqual([`POST /v1/sims/${iccid}/reset`]);
	});
});
