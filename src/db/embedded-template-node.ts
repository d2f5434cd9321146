// The migrated, empty embedded database the build leaves in dist/ (scripts/make-embedded-template.ts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRootOf } from './project-root-node.ts';

export function embeddedTemplateFile(): string {
  return join(projectRootOf(import.meta.url), 'dist', 'embedded-template.tar.gz');
}

/** The template, or undefined where the build made none (the new directory is then created by initdb). */
export function readEmbeddedTemplate(): Blob | undefined {
  const file = embeddedTemplateFile();
  return existsSync(file) ? new Blob([readFileSync(file)]) : undefined;
}
