/**
 * One workflow with a polling trigger in an n8n that keeps static data the way `saving` says: `onEmit` (n8n 1.x;
 * 2.x without durable cursors: written to the database only when a poll returns something, and after
 * activation), `reloadEveryPoll` (2.x's scheduler without durable cursors: the workflow is read from the
 * database before each poll) or `durable` (2.x durable cursors: a plain copy, committed after every poll).
 * Polls run through n8n's real PollContext (dev/engine).
 */
export type Saving = 'onEmit' | 'reloadEveryPoll' | 'durable';
type StaticData = Record<string, any>;

export interface TriggerNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	credentials: object;
}

export interface PollHost {
	/** What each poll returned, null included. */
	results: Array<unknown[][] | null>;
	/** Static data as the database has it. */
	readonly database: StaticData;
	/** One scheduled (or manual) poll; the emitted items' JSON. The first one is the activation's (always saved). */
	poll(mode?: 'trigger' | 'manual'): Promise<any[]>;
	/** n8n restarted: memory is what the database had. */
	restart(): void;
	/** Static data as the editor's Duplicate, or an import of an export, gives the copy. */
	copyTo(workflowId: string): PollHost;
	seed(data: StaticData): void;
}

/** Static data as n8n stores it: JSON (it holds n8n's observable proxies, which structuredClone refuses). */
export const copyStaticData = (data: StaticData): StaticData => JSON.parse(JSON.stringify(data));
const copy = copyStaticData;

export function pollHost(engine: any, node: TriggerNode, saving: Saving, workflowId: string): PollHost {
	let database: StaticData = {};
	let memory: StaticData = {};
	const key = `node:${node.name}`;
	const results: Array<unknown[][] | null> = [];
	return {
		results,
		get database() {
			return database;
		},
		async poll(mode = 'trigger') {
			if (saving === 'reloadEveryPoll') memory = copy(database);
			let result: unknown[][] | null;
			if (saving === 'durable') {
				const cursor = copy(database[key] ?? {});
				({ result } = await engine.poll({ node, staticData: {}, workflowId, nodeStaticData: cursor, mode }));
				database = { ...database, [key]: copy(cursor) };
			} else {
				({ result } = await engine.poll({ node, staticData: memory, workflowId, mode }));
				if (result !== null || results.length === 0) database = copy(memory);
			}
			results.push(result);
			return result === null ? [] : (result[0] as Array<{ json: any }>).map((item) => item.json);
		},
		restart() {
			memory = copy(database);
		},
		copyTo(id: string) {
			const to = pollHost(engine, node, saving, id);
			to.seed(database);
			return to;
		},
		seed(data: StaticData) {
			database = copy(data);
			memory = copy(data);
		},
	};
}
