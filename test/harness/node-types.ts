import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { PackageDirectoryLoader } from 'n8n-core';
import type {
	ICredentialType,
	IDataObject,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { standInNodeTypes } from './fixtures';

/** Maps a published path (dist/x/Y.node.js) to the TypeScript source ts-jest can load. */
export function distToSource(file: string): string {
	return file.replace(/^(\.\/)?dist\//, '').replace(/\.js$/, '.ts');
}

/**
 * n8n-core's real package loader (node type naming, class-name check, polling parameters,
 * codex/icon handling), reading the package's own package.json "n8n" section. Only file
 * resolution is changed, like n8n's internal nodes-testing does with fixSourcePath.
 */
class SourcePackageLoader extends PackageDirectoryLoader {
	protected resolvePath(file: string): string {
		return resolve(this.directory, distToSource(file));
	}
}

export interface LoadedPackage {
	packageName: string;
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	credentialTypes: Record<string, ICredentialType>;
}

export async function loadPackage(packageDir: string): Promise<LoadedPackage> {
	const loader = new SourcePackageLoader(packageDir);
	const { n8n } = loader.packageJson;
	const listed = [...(n8n?.credentials ?? []), ...(n8n?.nodes ?? [])];
	// Without this check a missing node surfaces as a bare "Cannot find module" from deep
	// inside the loader; until the pack's nodes land that is the expected failure.
	const missing = listed.filter((file) => !existsSync(join(loader.directory, distToSource(file))));
	if (missing.length > 0) {
		throw new Error(
			`Harness: package "${loader.packageName}" (${loader.directory}) lists n8n files whose ` +
				`TypeScript sources do not exist: ${missing.map((f) => `${f} -> ${distToSource(f)}`).join(', ')}`,
		);
	}
	await loader.loadAll();
	const nodeTypes: LoadedPackage['nodeTypes'] = {};
	for (const [name, { type }] of Object.entries(loader.nodeTypes)) {
		nodeTypes[`${loader.packageName}.${name}`] = type;
	}
	const credentialTypes: LoadedPackage['credentialTypes'] = {};
	for (const [name, { type }] of Object.entries(loader.credentialTypes)) {
		credentialTypes[name] = type;
	}
	return { packageName: loader.packageName, nodeTypes, credentialTypes };
}

/** The registry n8n's CLI keeps in its NodeTypes service, here for one package + stand-ins. */
export class HarnessNodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType | IVersionedNodeType>;

	constructor(packageTypes: Record<string, INodeType | IVersionedNodeType>) {
		this.types = { ...standInNodeTypes, ...packageTypes };
	}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types[nodeType];
		if (type === undefined) {
			throw new Error(
				`Harness: unknown node type "${nodeType}". Known: ${Object.keys(this.types).join(', ')}`,
			);
		}
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}

	names(): string[] {
		return Object.keys(this.types);
	}
}
