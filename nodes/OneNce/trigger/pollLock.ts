/**
 * One poll at a time per trigger within this n8n process. n8n starts a poll on its schedule without waiting
 * for the previous one, so two can overlap; the later one returns at once. This module-level map is the only
 * state shared between polls outside static data, and it only coordinates.
 */
const running = new Map<string, { token: number; since: number }>();
let tokens = 0;

/**
 * After this long a poll's hold is ignored: a poll stuck on a request that never ends must not stop the
 * trigger for good. Far beyond a normal poll (at most 100 requests, each waiting at most 40 s).
 */
export const POLL_LEASE_MS = 15 * 60_000;

/** The hold's token, or undefined while another poll of the same trigger holds it. */
export function tryHold(key: string, now: number): number | undefined {
	const current = running.get(key);
	if (current && now - current.since < POLL_LEASE_MS) return undefined;
	const token = ++tokens;
	running.set(key, { token, since: now });
	return token;
}

/** Lets go of the hold, unless a later poll took it over after the lease ran out. */
export function release(key: string, token: number): void {
	if (running.get(key)?.token === token) running.delete(key);
}

export function pollKey(workflowId: string | undefined, nodeName: string): string {
	return `${workflowId ?? ''}\n${nodeName}`;
}
