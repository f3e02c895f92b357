// The real-n8n suite (realN8n.suite.ts) on n8n 1.x.
import { realN8nSuite } from './realN8n.suite';

jest.setTimeout(20 * 60_000);

realN8nSuite(1);
