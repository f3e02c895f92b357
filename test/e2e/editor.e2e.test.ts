/**
 * The package in n8n's editor, in a real browser (Debian's Chromium driven by playwright-core): the example
 * workflows show the nodes, their parameter panels show the operations and fields, and the credential test
 * passes against the simulator. Runs on n8n 1.x (N8N_E2E_EDITOR_MAJOR=2 for 2.x).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startSimulator } from '../support/simulator';

const { prepareInstance } = require('./instance');
const { freePort } = require('./n8n-cli');
const { tourEditor } = require('./editor');

jest.setTimeout(15 * 60_000);
// A browser driving a single-page app on a busy 2-core machine: one retry absorbs a slow first render.
jest.retryTimes(1, { logErrorsBeforeRetry: true });

it('shows the 1NCE nodes, their fields and a passing credential test in the editor', async () => {
	const sim = await startSimulator({ seed: 'editor' });
	sim.seedOrders(25);
	const instance = await prepareInstance({ major: Number(process.env.N8N_E2E_EDITOR_MAJOR ?? 1), sim });
	const server = await instance.n8n.start({ port: await freePort() });
	const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-1nce-shots-'));
	try {
		const seen = await tourEditor({
			baseUrl: server.url,
			workflows: instance.workflows,
			credentialId: instance.credential.id,
			outDir,
		});
		expect(seen.operations).toEqual(expect.arrayContaining(['Create', 'Get', 'Get Many']));
		expect(seen.getManyFields).toEqual(expect.arrayContaining(['Credential to connect with', 'Return All', 'Sort By']));
		expect(seen.createFields).toEqual(
			expect.arrayContaining(['Products', 'Product ID', 'Quantity', 'Delivery Address', 'Additional Fields', 'Customer Reference']),
		);
		expect(seen.triggerFields).toEqual(
			expect.arrayContaining(['Poll Times', 'Event', 'Statuses', 'Other Statuses', 'Include New Orders', 'Options']),
		);
		expect(seen.credentialTest).toBe('Connection tested successfully');
		for (const file of ['node-operations.png', 'create-fields.png', 'trigger.png', 'credential-test.png']) {
			expect(fs.statSync(path.join(outDir, file)).size).toBeGreaterThan(10_000);
		}
		// The editor's credential test logged in and listed one order, against the simulator.
		expect(sim.counts.token).toBeGreaterThanOrEqual(1);
		expect(sim.validationErrors).toEqual([]);
	} finally {
		await server.stop();
		await sim.close();
		fs.rmSync(outDir, { recursive: true, force: true });
	}
});
