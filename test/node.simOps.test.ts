// SIM reads by ICCID: Get Status, Get Connectivity Info, Get Data / SMS Quota, Get Usage, Get Events, Get Many
// SMS and Get SMS. Each: its request and answer, a refused input that sends nothing, a 404 as a readable
// NodeApiError, and continueOnFail keeping every item paired.
import { useHarness } from './support/fixtures';

const harness = useHarness({ simRateLimit: { limit: 10, windowMs: 1000 } });

const UNKNOWN = '8988280666000999999';

/** Seeds 3 SIMs and returns the first one's ICCID. */
function seeded(): string {
	const { sim } = harness();
	sim.seedSims(3, { enabledShare: 1 });
	return sim.sims[0].iccid;
}

const simRequests = () => harness().sim.requests.filter((r) => r.path.startsWith('/v1/sims'));

interface ReadCase {
	operation: string;
	/** Parameters besides the ICCID. */
	extra?: Record<string, unknown>;
	/** The path below /v1/sims/{iccid} each request goes to. */
	suffix: string;
	/** A 404 names what was not found; for one SMS 1NCE's 404 cannot tell the SIM from the SMS. */
	notFound?: string;
}

const reads: ReadCase[] = [
	{ operation: 'getStatus', suffix: '/status' },
	{ operation: 'getConnectivityInfo', suffix: '/connectivity_info' },
	{ operation: 'getDataQuota', suffix: '/quota/data' },
	{ operation: 'getSmsQuota', suffix: '/quota/sms' },
	{ operation: 'getUsage', extra: { startDate: '2025-01-01', endDate: '2025-01-07' }, suffix: '/usage' },
	{ operation: 'getEvents', extra: { returnAll: true }, suffix: '/events' },
	{ operation: 'getManySms', extra: { returnAll: true }, suffix: '/sms' },
	{ operation: 'getSms', extra: { smsId: 1 }, suffix: '/sms/1', notFound: `SMS 1 of SIM ${UNKNOWN} was not found` },
];

describe('every SIM read', () => {
	test.each(reads)('$operation: a malformed ICCID is refused before any request', async ({ operation, extra }) => {
		const { sim, run } = harness();
		const result = await run({ resource: 'sim', operation, ...extra, iccid: '12345' });
		expect(result.nodeError('1NCE').message).toBe('ICCID must be 18 to 22 digits, got "12345"');
		expect(sim.counts.total).toBe(0);
	});

	test.each(reads)('$operation: an unknown ICCID is a readable 404', async ({ operation, extra, suffix, notFound }) => {
		const { runError } = harness();
		seeded();
		const error = await runError({ resource: 'sim', operation, ...extra, iccid: UNKNOWN });
		expect(error.name).toBe('NodeApiError');
		expect(error.httpCode).toBe('404');
		expect(error.message).toBe(notFound ?? `SIM ${UNKNOWN} was not found`);
		expect(simRequests().map((r) => r.path)).toEqual([`/v1/sims/${UNKNOWN}${suffix}`]);
	});

	test.each(reads)('$operation under continueOnFail: good, malformed and unknown ICCIDs, each item paired', async ({ operation, extra, notFound }) => {
		const { sim, run } = harness();
		const iccid = seeded();
		sim.addMoSms(iccid, { payload: 'hello' });
		const smsId = sim.smsOf(iccid)[0].id;
		const result = await run(
			{ resource: 'sim', operation, ...extra, ...(operation === 'getSms' ? { smsId } : {}), iccid: '={{ $json.iccid }}' },
			{ input: [{ iccid }, { iccid: 'abc' }, { iccid: UNKNOWN }], continueOnFail: true },
		);
		expect(result.error).toBeUndefined();
		const items = result.items('1NCE');
		const byItem = (i: number) => items.filter((item) => item.pairedItem?.item === i);
		expect(items.every((item) => typeof item.pairedItem?.item === 'number')).toBe(true);
		expect(byItem(0).length).toBeGreaterThan(0);
		expect(byItem(0).some((item) => 'error' in item.json)).toBe(false);
		expect(byItem(1)).toEqual([{ json: { error: 'ICCID must be 18 to 22 digits, got "abc"' }, pairedItem: { item: 1 } }]);
		const unknown = notFound?.replace('SMS 1 ', `SMS ${smsId} `) ?? `SIM ${UNKNOWN} was not found`;
		expect(byItem(2)).toEqual([{ json: { error: unknown }, pairedItem: { item: 2 } }]);
	});
});

describe('Get Status', () => {
	test('connectivity and location of one SIM, in one request', async () => {
		const { sim, run } = harness();
		const iccid = seeded();
		sim.setSimConnectivity(iccid, 'OFFLINE');
		const result = await run({ resource: 'sim', operation: 'getStatus', iccid });
		expect(result.json('1NCE')).toEqual([expect.objectContaining({ iccid, status: 'OFFLINE', location: expect.objectContaining({ iccid }) })]);
		expect(simRequests()).toHaveLength(1);
	});
});

describe('Get Connectivity Info', () => {
	test('subscriber info by default; USSD when asked, as the spec\'s query flags', async () => {
		const { run } = harness();
		const iccid = seeded();
		const plain = await run({ resource: 'sim', operation: 'getConnectivityInfo', iccid });
		expect(plain.json('1NCE')[0]).toHaveProperty('subscriber_info');
		expect(plain.json('1NCE')[0]).not.toHaveProperty('ussd_info');
		const both = await run({ resource: 'sim', operation: 'getConnectivityInfo', iccid, options: { subscriber: false, ussd: true } });
		expect(both.json('1NCE')[0]).toHaveProperty('ussd_info');
		expect(both.json('1NCE')[0]).not.toHaveProperty('subscriber_info');
		expect(simRequests().map((r) => r.query)).toEqual([
			{ subscriber: 'true', ussd: 'false' },
			{ subscriber: 'false', ussd: 'true' },
		]);
	});
});

describe('Get Data Quota and Get SMS Quota', () => {
	test.each([
		['getDataQuota', 'quota/data', { data: 123 }, 123],
		['getSmsQuota', 'quota/sms', { sms: 42 }, 42],
	])('%s reads %s: the volume left', async (operation, suffix, quota, left) => {
		const { sim, run } = harness();
		const iccid = seeded();
		sim.setSimQuota(iccid, quota);
		const result = await run({ resource: 'sim', operation, iccid });
		expect(result.json('1NCE')).toEqual([expect.objectContaining({ iccid, volume: left })]);
		expect(simRequests().map((r) => r.path)).toEqual([`/v1/sims/${iccid}/${suffix}`]);
	});
});

describe('Get Usage', () => {
	test('a week as start_dt and end_dt (YYYY-MM-DD): one day a row; a time of day is dropped', async () => {
		const { run } = harness();
		const iccid = seeded();
		const result = await run({ resource: 'sim', operation: 'getUsage', iccid, startDate: '2025-01-01T10:30:00', endDate: '2025-01-07' });
		const [usage] = result.json('1NCE');
		expect(usage).toMatchObject({ iccid, start_dt: '2025-01-01', end_dt: '2025-01-07' });
		expect(usage.stats).toHaveLength(7);
		expect(simRequests().map((r) => r.query)).toEqual([{ start_dt: '2025-01-01', end_dt: '2025-01-07' }]);
	});

	test.each([
		[{ startDate: '01/02/2025', endDate: '2025-01-07' }, 'Start Date must be a date as YYYY-MM-DD, got "01/02/2025"'],
		[{ startDate: '2025-02-30', endDate: '2025-03-07' }, 'Start Date must be a date as YYYY-MM-DD, got "2025-02-30"'],
		[{ startDate: '2025-01-01', endDate: 'soon' }, 'End Date must be a date as YYYY-MM-DD, got "soon"'],
		[{ startDate: '2025-01-08', endDate: '2025-01-07' }, 'Start Date (2025-01-08) is after End Date (2025-01-07)'],
		[{ startDate: '2025-01-01', endDate: '2025-07-04' }, 'The range covers 185 days; 1NCE gives usage for at most 184 days (6 months)'],
	])('%j is refused before any request', async (dates, message) => {
		const { sim, run } = harness();
		const result = await run({ resource: 'sim', operation: 'getUsage', iccid: '8988280666000000001', ...dates });
		expect(result.nodeError('1NCE').message).toBe(message);
		expect(sim.counts.total).toBe(0);
	});

	test('184 days, the most 1NCE keeps, is sent', async () => {
		const { run } = harness();
		const iccid = seeded();
		const result = await run({ resource: 'sim', operation: 'getUsage', iccid, startDate: '2025-01-01', endDate: '2025-07-03' });
		expect(result.json('1NCE')[0].stats).toHaveLength(184);
	});
});

describe('Get Events', () => {
	test('Return All reads 1,000 a page until the last page; a Limit stops at the first', async () => {
		const { sim, run } = harness();
		const iccid = seeded();
		for (let i = 0; i < 1_100; i++) sim.addSimEvent(iccid, { event_type: `test ${i}` });
		const all = await run({ resource: 'sim', operation: 'getEvents', iccid, returnAll: true });
		const events = all.json('1NCE');
		expect(events.length).toBeGreaterThan(1_100);
		expect(events.slice(-1)[0].event_type).toBe('test 1099');
		expect(simRequests().map((r) => [r.query.page, r.query.pageSize])).toEqual([
			['1', '1000'],
			['2', '1000'],
		]);
		sim.resetCounts();
		const some = await run({ resource: 'sim', operation: 'getEvents', iccid, limit: 5 });
		expect(some.json('1NCE')).toEqual(events.slice(0, 5));
		expect(simRequests()).toHaveLength(1);
	});

	test('Newest First sorts by -timestamp: a Limit keeps the latest events', async () => {
		const { sim, run } = harness();
		const iccid = seeded();
		for (const day of ['01', '03', '02']) sim.addSimEvent(iccid, { event_type: `day ${day}`, timestamp: `2099-01-${day}T00:00:00.000+0000` });
		const result = await run({ resource: 'sim', operation: 'getEvents', iccid, limit: 2, newestFirst: true });
		expect(result.json('1NCE').map((event) => event.event_type)).toEqual(['day 03', 'day 02']);
		expect(simRequests().map((r) => r.query.sort)).toEqual(['-timestamp,-id']);
	});

	test('a Limit of 0 is refused before any request', async () => {
		const { sim, run } = harness();
		const result = await run({ resource: 'sim', operation: 'getEvents', iccid: '8988280666000000001', limit: 0 });
		expect(result.nodeError('1NCE').message).toBe('Limit must be a whole number of at least 1, got "0"');
		expect(sim.counts.total).toBe(0);
	});
});

describe('Get Many SMS and Get SMS', () => {
	test('Get Many SMS: Return All reads 100 a page; Limit keeps the first ones', async () => {
		const { sim, run } = harness();
		const iccid = seeded();
		for (let i = 0; i < 120; i++) sim.addMoSms(iccid, { payload: `reading ${i}` });
		const all = await run({ resource: 'sim', operation: 'getManySms', iccid, returnAll: true });
		expect(all.json('1NCE').map((sms) => sms.payload)).toEqual(sim.smsOf(iccid).map((sms) => sms.payload));
		expect(all.json('1NCE')).toHaveLength(120);
		expect(simRequests().map((r) => r.query.page)).toEqual(['1', '2']);
		const few = await run({ resource: 'sim', operation: 'getManySms', iccid, limit: 3 });
		expect(few.json('1NCE').map((sms) => sms.payload)).toEqual(['reading 0', 'reading 1', 'reading 2']);
	});

	test('Get SMS: one SMS by its id; an unknown id is a readable 404', async () => {
		const { sim, run, runError } = harness();
		const iccid = seeded();
		sim.addMoSms(iccid, { payload: 'first' });
		const [sms] = sim.smsOf(iccid);
		const result = await run({ resource: 'sim', operation: 'getSms', iccid, smsId: sms.id });
		expect(result.json('1NCE')).toEqual([expect.objectContaining({ id: sms.id, payload: 'first' })]);
		const error = await runError({ resource: 'sim', operation: 'getSms', iccid, smsId: 999 });
		expect(error.message).toBe(`SMS 999 of SIM ${iccid} was not found`);
	});

	test.each([0, 1.5, 'x'])('Get SMS: SMS ID %j is refused before any request', async (smsId) => {
		const { sim, run } = harness();
		const result = await run({ resource: 'sim', operation: 'getSms', iccid: '8988280666000000001', smsId });
		expect(result.nodeError('1NCE').message).toMatch(/^SMS ID must be a whole number of at least 1/);
		expect(sim.counts.total).toBe(0);
	});
});
