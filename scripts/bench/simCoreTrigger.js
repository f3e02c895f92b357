// A stand-in for the wired 1NCE Trigger's SIM events, for the bench only: a polling node that reads the whole SIM
// list through the package's real transport (fetchSimPage: token reuse, SIM pacing, retries) and hands the pages
// to the pure core (simPollStep), keeping its state under simWatch in the node's static data. No budget, lock or
// deadline: it measures the core's request cost and state size, not the node's discipline.
'use strict';

const path = require('node:path');
const { root } = require('../bootstrap');

function simCoreTriggerType() {
	const load = (file) => require(path.join(root, 'dist/nodes/OneNce', file));
	const { fetchSimPage } = load('transport/sims');
	const { simNextPage, simPollStep } = load('trigger/sim/simPoll');
	const { endsList } = load('trigger/sim/simScan');
	const { buildSimSettings } = load('trigger/sim/simSettings');
	const { SIM_STATE_KEY } = load('trigger/sim/simState');
	const { stateAccount } = load('trigger/state');
	return {
		description: {
			displayName: 'SIM core trigger (bench stand-in)',
			name: 'simCoreTrigger',
			group: ['trigger'],
			version: 1,
			description: 'simPollStep over the real transport',
			defaults: { name: 'SIM core trigger' },
			polling: true,
			inputs: [],
			outputs: ['main'],
			credentials: [{ name: 'oneNceApi', required: true }],
			properties: [
				{ displayName: 'Event', name: 'event', type: 'string', default: 'dataQuotaBelow' },
				{ displayName: 'Below (MB)', name: 'dataQuotaBelowMb', type: 'number', default: 0 },
			],
		},
		async poll() {
			const credentials = await this.getCredentials('oneNceApi');
			const account = stateAccount(credentials).key;
			const event = this.getNodeParameter('event');
			const settings = buildSimSettings({ events: [event], dataQuotaBelowMb: this.getNodeParameter('dataQuotaBelowMb') });
			const data = this.getWorkflowStaticData('node');
			const stored = data[SIM_STATE_KEY];
			const pages = [];
			for (let page = simNextPage(stored, account); ; page++) {
				const read = await fetchSimPage.call(this, page);
				pages.push(read);
				if (endsList(read)) break;
			}
			const step = simPollStep({ stored, account, pages, settings, now: Date.now() });
			if (step.changed) data[SIM_STATE_KEY] = { ...step.state, generation: step.state.generation + 1 };
			return step.events.length ? [step.events.map((json) => ({ json }))] : null;
		},
	};
}

module.exports = { simCoreTriggerType };
