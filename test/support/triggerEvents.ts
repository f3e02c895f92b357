/** The 1NCE Trigger's Event picker as users see it, in order: the oracle of the description, engine and editor tests. */
export const TRIGGER_EVENTS: ReadonlyArray<readonly [value: string, name: string]> = [
	['orderStatusChanged', 'Order Status Changed'],
	['simStatusChanged', 'SIM Status Changed'],
	['dataQuotaStatusChanged', 'Data Quota Status Changed'],
	['smsQuotaStatusChanged', 'SMS Quota Status Changed'],
	['dataQuotaBelow', 'Data Quota Below'],
	['smsQuotaBelow', 'SMS Quota Below'],
	['newSim', 'New SIM'],
];
