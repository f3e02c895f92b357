'use strict';
/**
 * SMS to and from SIMs (schemas SMSMessage, SMS-Data): MT-SMS sent through the API, MO-SMS added by tests.
 * Only SIMs that have SMS hold any; ids are one counter across the account, like 1NCE's.
 */

/** sms_type ids: 1 MT (to the device), 2 MO (from it). Status 4: delivered, as in 1NCE's example. */
const MT = 1;
const MO = 2;
const DELIVERED = 4;
const FIRST_ID = 590;

/** @typedef {import('./sims').Sim} Sim */
/** @typedef {Record<string, any> & { id: number, iccid: string }} Sms */

class SmsStore {
	constructor() {
		/** @type {Map<string, Sms[]>} */
		this.byIccid = new Map();
		this.nextId = FIRST_ID;
	}

	/**
	 * @param {Sim} sim
	 * @param {Record<string, any>} message  a valid SMSMessage body (MT), or SMS-Data fields (MO, from tests)
	 * @param {'MT' | 'MO'} direction
	 * @returns {Sms}
	 */
	add(sim, message, direction) {
		const now = Date.now();
		const iso = (/** @type {number} */ ms) => new Date(ms).toISOString();
		/** @type {Sms} */
		const sms = {
			id: this.nextId++,
			submit_date: iso(now),
			delivery_date: iso(now + 1000),
			expiry_date: message.expiry_date ?? iso(now + 86_400_000),
			final_date: iso(now + 1000),
			retry_count: '0',
			source_address: message.source_address ?? (direction === 'MT' ? '1234567890' : sim.msisdn),
			iccid: sim.iccid,
			msisdn: sim.msisdn,
			imsi: sim.current_imsi ?? sim.imsi,
			msc: '491600190000',
			dcs: message.dcs ?? 0,
			payload: message.payload ?? '',
			status: { id: DELIVERED },
			sms_type: { id: direction === 'MT' ? MT : MO },
			source_address_type: message.source_address_type ?? { id: 145 },
		};
		if (message.udh !== undefined) sms.udh = message.udh;
		if (direction === 'MO') Object.assign(sms, message, { id: sms.id, iccid: sim.iccid });
		const list = this.byIccid.get(sim.iccid) ?? [];
		list.push(sms);
		this.byIccid.set(sim.iccid, list);
		return sms;
	}

	/** @param {string} iccid @returns {Sms[]} */
	of(iccid) {
		return this.byIccid.get(iccid) ?? [];
	}

	/** @param {string} iccid @param {number} id */
	find(iccid, id) {
		return this.of(iccid).find((sms) => sms.id === id);
	}
}

module.exports = { SmsStore };
