/**
 * The package in n8n's editor, in a real browser (Chromium driven by playwright-core: Debian's, or a packaged one cached under .cache/), on n8n 1.x and
 * 2.x: the example workflows show the nodes and their parameter panels the operations and fields; a new
 * workflow gets the 1NCE Trigger and a 1NCE action from the node panel's search; the credential test passes
 * against the simulator. N8N_E2E_MAJORS=1 (or 2) runs one major; N8N_E2E_KEEP=1 keeps the user folders.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startSimulator } from '../../dev/simulator';
import { TRIGGER_EVENTS } from '../support/triggerEvents';

const { prepareInstance } = require('../../dev/n8n/instance');
const { freePort } = require('../../dev/n8n/n8n-cli');
const { tourEditor } = require('../../dev/n8n/editor');

jest.setTimeout(15 * 60_000);
// A browser driving a single-page app on a busy 2-core machine: one retry absorbs a slow first render.
jest.retryTimes(1, { logErrorsBeforeRetry: true });

const MAJORS = (process.env.N8N_E2E_MAJORS ?? '1,2').split(',').map(Number);

describe.each(MAJORS)('n8n %i.x editor', (major) => {
	it('shows the 1NCE nodes, their fields, the node panel entries and a passing credential test', async () => {
		const sim = await startSimulator({ seed: `editor-${major}` });
		sim.seedOrders(25);
		const instance = await prepareInstance({ major, sim });
		const server = await instance.n8n.start({ port: await freePort() });
		const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-1nce-shots-'));
		try {
			const seen = await tourEditor({
				baseUrl: server.url,
				workflows: instance.workflows,
				credentialId: instance.credential.id,
				outDir,
			});
			// The credential selector is "Credential to connect with" in 1.x and "Credential" in 2.x.
			const credentialLabel = expect.stringMatching(/^Credential( to connect with)?$/);

			expect(seen.operations).toEqual(expect.arrayContaining(['Create', 'Get', 'Get Many']));
			expect(seen.getManyFields).toEqual(expect.arrayContaining([credentialLabel, 'Resource', 'Operation', 'Return All', 'Sort By']));
			expect(seen.createFields).toEqual(
				expect.arrayContaining(['Products', 'Product', 'Quantity', 'Delivery Address', 'Additional Fields', 'Customer Reference']),
			);
			const triggerFields = ['Poll Times', 'Event', 'Statuses', 'Other Statuses', 'Include New Orders', 'Options'];
			expect(seen.triggerFields).toEqual(expect.arrayContaining(triggerFields));

			// Built from the node panel: search "1NCE", the trigger first (a new workflow offers triggers only: n8n
			// lists one entry per Event), then an action; the added nodes open with the same fields and the
			// credential already chosen.
			expect(seen.triggerEntries).toEqual([
				'On order status changed',
				'On sim status changed',
				'On data quota status changed',
				'On sms quota status changed',
				'On data quota below',
				'On sms quota below',
				'On new sim',
			]);
			expect(seen.addedTriggerFields).toEqual(expect.arrayContaining([credentialLabel, ...triggerFields]));
			expect(seen.actions).toEqual(
				expect.arrayContaining(['Create an order', 'Get an order', 'Get many orders', 'Get many products', 'Get a SIM', 'Get many sims', 'Update a SIM', 'On order status changed']),
			);
			expect(seen.addedNodeOperation).toBe('Get Many');
			expect(seen.addedNodeFields).toEqual(expect.arrayContaining(['Return All', 'Limit', 'Sort By']));
			expect(seen.draftNodes).toEqual(expect.arrayContaining(['1NCE Trigger', 'Get many orders']));

			// The product picker shows the simulator's products by name; the SIM resource reads, changes and tops up
			// SIMs (SIMs come from orders: it creates none).
			expect(seen.productChoices).toEqual(expect.arrayContaining([expect.stringContaining('1NCE IoT FlexSIM - Standard')]));
			// n8n adds its own "Custom API Call" entry to a node with credentials; ours are the rest.
			expect(seen.simOperations.filter((name: string) => name !== 'Custom API Call')).toEqual([
				'Get',
				'Get Connectivity Info',
				'Get Data Quota',
				'Get Events',
				'Get Many',
				'Get Many SMS',
				'Get SMS',
				'Get SMS Quota',
				'Get Status',
				'Get Usage',
				'Reset Connectivity',
				'Send SMS',
				'Top Up',
				'Update',
			]);
			expect(seen.simFields).toEqual(expect.arrayContaining(['Resource', 'Operation', 'Output']));
			// Update, added from the node panel: its fields, and the ICCID's hint that it changes a live SIM.
			expect(seen.updateFields).toEqual(expect.arrayContaining([credentialLabel, 'Resource', 'Operation', 'ICCID', 'Status', 'Update Fields']));
			expect(seen.updateHint).toContain('Changes a live SIM');
			// The added trigger's Event picker: orders first and chosen, then the SIM events; Data Quota Below asks
			// for its threshold and drops the order fields.
			expect(seen.defaultEvent).toBe('Order Status Changed');
			expect(seen.events).toEqual(TRIGGER_EVENTS.map(([, name]) => name));
			expect(seen.dataQuotaBelowFields).toEqual(expect.arrayContaining(['Event', 'Below (MB)']));
			expect(seen.dataQuotaBelowFields).not.toContain('Statuses');

			expect(seen.credentialTest).toBe('Connection tested successfully');
			for (const file of ['node-operations.png', 'create-fields.png', 'product-picker.png', 'sim-resource.png', 'sim-operations.png', 'sim-update.png', 'trigger-events.png', 'trigger-data-quota-below.png', 'trigger.png', 'node-search.png', 'credential-test.png']) {
				expect(fs.statSync(path.join(outDir, file)).size).toBeGreaterThan(10_000);
			}
			// The editor's credential test logged in and listed one order, against the simulator.
			expect(sim.counts.token).toBeGreaterThanOrEqual(1);
			expect(sim.validationErrors).toEqual([]);
		} finally {
			await server.stop();
			await sim.close();
			fs.rmSync(outDir, { recursive: true, force: true });
			if (!process.env.N8N_E2E_KEEP) fs.rmSync(instance.userFolder, { recursive: true, force: true });
		}
	});
});
