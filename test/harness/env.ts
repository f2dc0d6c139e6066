// jest setupFiles: runs in every test file before any module under test is loaded.
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// n8n-core's InstanceSettings writes <N8N_USER_FOLDER>/.n8n/config on the first node run;
// without this it would write into $HOME. One folder per worker process keeps parallel
// workers apart; wiping it once per process keeps an old config with another key out.
const userFolder = join(tmpdir(), `n8n-harness-${process.pid}`);
const marker = '__N8N_HARNESS_USER_FOLDER';
if (process.env[marker] !== userFolder) {
	rmSync(userFolder, { recursive: true, force: true });
	mkdirSync(userFolder, { recursive: true });
	process.env[marker] = userFolder;
}
process.env.N8N_USER_FOLDER = userFolder;
// A config file written with another key makes InstanceSettings throw, so the key is fixed.
process.env.N8N_ENCRYPTION_KEY = 'n8n-harness-only-encryption-key';
// The loader and executors log through @n8n/backend-common's Logger; test output stays clean.
process.env.N8N_LOG_LEVEL = 'silent';
