// Reads the docs page's assets from the installed swagger-ui-dist package (Node only).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const ALLOWED: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
};

export function nodeDocsAssets(): (name: string) => Promise<{ body: Uint8Array; contentType: string } | null> {
  const dir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const cache = new Map<string, Uint8Array>();
  return async (name) => {
    const contentType = ALLOWED[name];
    if (!contentType) return null;
    let body = cache.get(name);
    if (!body) {
      body = await readFile(join(dir, name));
      cache.set(name, body);
    }
    return { body, contentType };
  };
}
